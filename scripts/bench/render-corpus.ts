/**
 * Entry point bundled twice by check-shims.ts (with and without the bundle
 * aliases): decodes raw feed items and renders them to note text exactly as
 * the shells do, then merges each into a copy the user edited (which parses
 * its YAML), so the two bundles' outputs can be compared byte for byte.
 */
import { decodeRecord } from '../../src/core/api/decode-record';
import { fileBaseName } from '../../src/core/render/file-name';
import { htmlToMarkdown } from '../../src/core/render/html-to-markdown';
import { composeNewNote, renderBook } from '../../src/core/render/note';
import type { RenderOptions } from '../../src/core/render/options';
import { managedPropertyNames } from '../../src/core/render/properties';
import { mergeNote } from '../../src/core/sync/merge';

export { htmlToMarkdown };

/** Every raw item rendered as a new note and merged into an edited copy of it (or its decode failure). */
export function renderAll(raws: unknown[], options: RenderOptions): string[] {
	const managed = managedPropertyNames(options);
	return raws.map((raw) => {
		const decoded = decodeRecord(raw);
		if (!decoded.ok) return `! ${decoded.reason}`;
		const baseName = fileBaseName(decoded.record, options.fileNameTemplate);
		const rendered = renderBook(decoded.record, options, { baseName });
		const note = composeNewNote(rendered);
		const edited = `${note.replace(/^---\n/, '---\nmy_rating: 5\nshelves: [to-read, "a: b"]\n')}\nMy own notes.\n`;
		return `${note}\n=====\n${mergeNote(edited, rendered, managed)}`;
	});
}
