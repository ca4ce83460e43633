/**
 * The generated region's Markdown: what the sync owns inside the note body.
 * Rendered from a Mustache template (the user's, or DEFAULT_BODY_TEMPLATE)
 * with a view whose every server value is already neutralised, so the same
 * record gives the same bytes everywhere and nothing from the server runs.
 */
import type { BookRecord } from '../api/record';
import { SyncError } from '../errors';
import type { RenderOptions } from './options';
import type { RenderContext } from './properties';
import { DEFAULT_BODY_TEMPLATE } from './default-template';
import { renderTemplate, validateTemplate } from './template';
import { templateView } from './template-view';

// Our region markers, as the merge looks for them. Values cannot produce one
// (`<` is always escaped); only a template's own text could.
const REGION_MARKER = /<!--\s*library-sync:(?:begin|end)\s*-->/;

/**
 * Tidies a rendered template: LF line endings, runs of blank lines (left by
 * empty sections) collapsed to one, no blank lines at the start, no
 * whitespace at the end.
 */
export function tidyRegion(markdown: string): string {
	return (markdown.includes('\r') ? markdown.replace(/\r\n?/g, '\n') : markdown)
		.replace(/\n[ \t]*(?:\n[ \t]*)+\n/g, '\n\n')
		.replace(/^(?:[ \t]*\n)+/, '')
		// What `/\s+$/` removes (the same whitespace), without trying it at every blank.
		.trimEnd();
}

/**
 * The generated region's Markdown for a record (no trailing newline), from
 * `options.bodyTemplate` or the default template. `context.baseName` heads
 * the region when the record has no title; `context.coverPath` (a
 * downloaded cover) is embedded by the default template. Throws
 * SyncError('config') for an invalid template or an unknown time zone.
 */
export function renderBody(record: BookRecord, options: RenderOptions, context: RenderContext): string {
	const template = options.bodyTemplate ?? DEFAULT_BODY_TEMPLATE;
	const names = validateTemplate(template);
	const region = tidyRegion(renderTemplate(template, templateView(record, options, context, names)));
	if (REGION_MARKER.test(region)) {
		throw new SyncError('config', 'The body template contains a library-sync region marker comment, which would break the note: remove it from the template.');
	}
	return region;
}
