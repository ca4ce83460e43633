/**
 * Entry point bundled twice by check-shims.ts (with and without the bundle
 * aliases): decodes raw feed items and renders them to note text exactly as
 * the shells do, so the two bundles' outputs can be compared byte for byte.
 */
import { decodeRecord } from '../../src/core/api/decode-record';
import { fileBaseName } from '../../src/core/render/file-name';
import { htmlToMarkdown } from '../../src/core/render/html-to-markdown';
import { composeNewNote, renderBook } from '../../src/core/render/note';
import type { RenderOptions } from '../../src/core/render/options';

export { htmlToMarkdown };

/** Every raw item rendered as a new note (or its decode failure). */
export function renderAll(raws: unknown[], options: RenderOptions): string[] {
	return raws.map((raw) => {
		const decoded = decodeRecord(raw);
		if (!decoded.ok) return `! ${decoded.reason}`;
		const baseName = fileBaseName(decoded.record, options.fileNameTemplate);
		return composeNewNote(renderBook(decoded.record, options, { baseName }));
	});
}
