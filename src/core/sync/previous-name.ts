import type { BookRecord } from '../api/record';
import { fileBaseName } from '../render/file-name';
import type { PropertyKey, RenderOptions } from '../render/options';
import { parseNote } from '../render/frontmatter';
import { propertyNameMap } from '../render/properties';

/**
 * The file name the template gave this note when it was last synced,
 * rebuilt from the properties the note carries. A note whose current name
 * is not that one was renamed by the user, and sync leaves its name alone.
 * Undefined when the note does not say enough to tell.
 */
export function previousBaseName(noteText: string, id: string, options: RenderOptions): string | undefined {
	let data: Record<string, unknown>;
	try {
		data = parseNote(noteText).data;
	} catch {
		return undefined;
	}
	const names = new Map(propertyNameMap(options));
	const text = (key: PropertyKey): string | undefined => {
		const name = names.get(key);
		if (name === undefined) return undefined;
		const own = Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
		// A list property (author) gave the name its first item.
		const value: unknown = Array.isArray(own) ? own[0] : own;
		if (typeof value === 'number') return String(value);
		if (typeof value !== 'string') return undefined;
		return unlink(value);
	};
	const number = (key: PropertyKey): number | undefined => {
		const value = text(key);
		if (value === undefined) return undefined;
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : undefined;
	};
	const title = text('title');
	if (title === undefined) return undefined;
	const record: BookRecord = {
		id,
		title,
		author: text('author'),
		series: text('series'),
		seriesIndex: number('series_index'),
		publishedYear: number('published_year'),
		isbn13: text('isbn13'),
		isbn10: text('isbn10'),
		genres: [],
		tags: [],
		files: [],
	};
	return fileBaseName(record, options.fileNameTemplate);
}

/** `[[Target|Shown]]` or `[[Target]]` -> the shown text; anything else as is. */
function unlink(value: string): string {
	const match = /^\[\[([^\]|]*)(?:\|([^\]]*))?\]\]$/.exec(value.trim());
	if (!match) return value;
	return match[2] ?? match[1] ?? value;
}
