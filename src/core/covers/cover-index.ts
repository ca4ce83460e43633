/**
 * The cover index as a file: `<covers folder>/library-sync-covers.json`,
 * shared by both shells (a vault the CLI fills and Obsidian opens agrees on
 * what is on disk) and synced with the covers it describes (a device that
 * receives the images through a sync service also receives the index, so it
 * does not download them again).
 *
 * The name has no leading dot because Obsidian's Vault API does not see
 * dot-files; it can never clash with a cover, whose extension is an image's.
 *
 * Format (deterministic, so an unchanged index is byte-identical):
 * `{ "version": 1, "covers": { "<book id>": "<ext>:<16 hex digits>" } }`
 * with ids sorted, tab-indented, with a final newline.
 */
import type { CoverIndex } from './ports';
import { joinPath } from '../vault-path';

/** The index file's name inside the covers folder. */
export const COVER_INDEX_FILE_NAME = 'library-sync-covers.json';

const INDEX_VERSION = 1;

/** The vault path of the index file of a covers folder. */
export function coverIndexPath(coversFolder: string): string {
	return joinPath(coversFolder, COVER_INDEX_FILE_NAME);
}

/** The index file's text: sorted ids, stable bytes. */
export function serialiseCoverIndex(index: CoverIndex): string {
	const covers = Object.create(null) as Record<string, string>;
	for (const id of Object.keys(index).sort()) {
		const value = index[id];
		if (typeof value === 'string') covers[id] = value;
	}
	return `${JSON.stringify({ version: INDEX_VERSION, covers }, null, '\t')}\n`;
}

/**
 * The index in a file's text; `{}` for text that is not a version-1 index
 * (damaged, hand-edited, from a future version). Only string values are kept;
 * whether they make sense is the CoverFetcher's business. The result has no
 * prototype, so an id such as `__proto__` is an ordinary key.
 */
export function parseCoverIndex(text: string): CoverIndex {
	const index: CoverIndex = Object.create(null) as CoverIndex;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return index;
	}
	if (!isObject(parsed) || parsed.version !== INDEX_VERSION || !isObject(parsed.covers)) return index;
	for (const [id, value] of Object.entries(parsed.covers)) {
		if (typeof value === 'string') index[id] = value;
	}
	return index;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
