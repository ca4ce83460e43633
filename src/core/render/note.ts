/**
 * A record rendered as a note: managed properties plus the generated region.
 */
import type { BookRecord } from '../api/record';
import type { RenderOptions } from './options';
import { renderBody } from './body';
import { dumpProperties, type PropertyValue } from './yaml-dump';
import { renderProperties, type RenderContext } from './properties';

export type { RenderContext } from './properties';

/** Marker line opening the generated region (an HTML comment: invisible in reading view). */
export const REGION_BEGIN = '<!-- library-sync:begin -->';
/** Marker line closing the generated region. */
export const REGION_END = '<!-- library-sync:end -->';

/** What the sync owns in a note. */
export interface RenderedNote {
	/** Managed properties in canonical order, the id property first. */
	properties: Array<[string, PropertyValue]>;
	/** The generated region's Markdown, without the markers and without a trailing newline. */
	region: string;
}

/**
 * Renders a record. Pure and deterministic: the same record, options and
 * context give the same result on every device. Throws SyncError('config')
 * only for an unknown time zone.
 */
export function renderBook(record: BookRecord, options: RenderOptions, context: RenderContext): RenderedNote {
	return {
		properties: renderProperties(record, options, context),
		region: renderBody(record, options, context),
	};
}

/** The region with its marker lines, `\n`-separated, no trailing newline. */
export function regionBlock(region: string): string {
	return region === '' ? `${REGION_BEGIN}\n${REGION_END}` : `${REGION_BEGIN}\n${region}\n${REGION_END}`;
}

/**
 * The full text of a new note: frontmatter, the delimited region, then an
 * empty line where the user's own notes go. LF line endings, trailing newline.
 */
export function composeNewNote(rendered: RenderedNote): string {
	return `---\n${dumpProperties(rendered.properties)}---\n${regionBlock(rendered.region)}\n\n`;
}
