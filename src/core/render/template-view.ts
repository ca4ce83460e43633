/**
 * The data a body template sees (docs/templates.md lists every variable).
 *
 * Every value that comes from the server is neutralised here, before any
 * template sees it: short fields with `neutraliseInline`, the description
 * with `htmlToMarkdown` + `neutraliseMarkdown`, links and URLs rebuilt from
 * sanitised parts. So a template may print any variable with `{{x}}` or
 * `{{{x}}}` alike and the note stays inert.
 *
 * The view is plain data only: strings, booleans, arrays and objects
 * without a prototype, frozen, every key always present ('' when empty, so
 * a missing value never falls through to an outer section's value). No
 * function is ever put in a view: Mustache would call it.
 */
import type { BookRecord, Instant } from '../api/record';
import type { RenderOptions } from './options';
import { formatDate, formatDateTime } from './dates';
import { sanitizeFileName } from './file-name';
import { htmlToMarkdown } from './html-to-markdown';
import { neutraliseInline, neutraliseMarkdown } from './neutralise';
import { vaultLinkTarget, coverUrl, type RenderContext } from './properties';
import { formatFileSize } from './sizes';
import { toTags } from './tags';
import { cleanLine } from './text';

/** A value in a template view: text, a flag, a list or a nested object. */
export type TemplateValue = string | boolean | readonly TemplateValue[] | TemplateObject;

/** A nested object in a template view (null prototype, frozen). */
export interface TemplateObject {
	readonly [key: string]: TemplateValue;
}

/** What a body template is rendered with. */
export type TemplateView = TemplateObject;

/** Cells of the text progress bar. */
export const PROGRESS_BAR_CELLS = 10;

// A null-prototype, frozen object: `{{constructor}}`, `{{__proto__}}` and
// friends find nothing, and nothing can be added later.
function data(entries: Record<string, TemplateValue>): TemplateObject {
	return Object.freeze(Object.assign(Object.create(null) as Record<string, TemplateValue>, entries));
}

function listOf(values: readonly TemplateValue[]): readonly TemplateValue[] {
	return Object.freeze([...values]);
}

/** A server value as safe inline Markdown, '' when empty. */
function inline(value: string | undefined): string {
	const text = cleanLine(value);
	return text === undefined ? '' : neutraliseInline(text);
}

function numberText(value: number | undefined): string {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

// The body shows datetimes with a space: easier to read than the property form.
function dateTimeText(instant: Instant | undefined, timeZone: string): string {
	return formatDateTime(instant, timeZone)?.replace('T', ' ') ?? '';
}

function dateText(instant: Instant | undefined, timeZone: string): string {
	return formatDate(instant, timeZone) ?? '';
}

/**
 * A wikilink for the body: the target sanitised like a file name, and
 * without backticks, which could pair with another backtick on the line
 * into a code span (Dataview runs spans starting with `=` or `$=`).
 */
function bodyLink(value: string | undefined): string {
	const text = cleanLine(value);
	if (text === undefined) return '';
	return `[[${sanitizeFileName(text).replace(/`/g, "'")}]]`;
}

// Characters kept as they are in a URL printed as Markdown text; anything
// else is percent-encoded, so no Markdown, HTML or wiki syntax can form.
const URL_SAFE = /[A-Za-z0-9\-./:?@!&+,=%#]/;
const encoder = new TextEncoder();

/**
 * An absolute http(s) URL as inert Markdown text: still the same address
 * (only characters that are encoded-equivalent or reserved-but-rare are
 * percent-encoded), but no `<`, `[`, `` ` ``, `%%`, `::`, `*`, `_`, `~`,
 * `$`, spaces or quotes left to form syntax.
 */
function inertUrl(url: string | undefined): string {
	if (url === undefined) return '';
	let out = '';
	for (const ch of url) {
		if (URL_SAFE.test(ch)) {
			out += ch;
			continue;
		}
		for (const byte of encoder.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out.replace(/%%/g, '%25%').replace(/::/g, ':%3A');
}

function joined(values: readonly string[], separator = ', '): string {
	return values.join(separator);
}

function distinct(values: readonly string[]): string[] {
	return Array.from(new Set(values));
}

/** A text progress bar of PROGRESS_BAR_CELLS cells: `████░░░░░░`. */
export function progressBar(percentage: number): string {
	const clamped = Math.min(100, Math.max(0, percentage));
	const filled = Math.floor((clamped / 100) * PROGRESS_BAR_CELLS + 1e-9);
	return '█'.repeat(filled) + '░'.repeat(PROGRESS_BAR_CELLS - filled);
}

function progressView(record: BookRecord, zone: string): Record<string, TemplateValue> {
	const progress = record.progress;
	const raw = progress?.percentage;
	const percentage = typeof raw === 'number' && Number.isFinite(raw) ? Math.round(raw * 100) / 100 : undefined;
	const lastRead = dateTimeText(progress?.lastTimestamp, zone);
	const device = inline(progress?.lastDevice);
	const lastReadText = lastRead === '' ? (device === '' ? '' : `on ${device}`) : device === '' ? lastRead : `${lastRead} on ${device}`;
	const source = [progress?.manuallySet === true ? 'set manually' : '', progress?.externallySet === true ? 'set externally' : '']
		.filter((part) => part !== '');
	const fields: Record<string, TemplateValue> = {
		progress: percentage === undefined ? '' : String(percentage),
		progress_text: percentage === undefined ? '' : `${percentage}%`,
		progress_bar: percentage === undefined ? '' : progressBar(percentage),
		reading_status: inline(progress?.status),
		last_read: lastRead,
		last_read_date: dateText(progress?.lastTimestamp, zone),
		last_device: device,
		last_read_text: lastReadText,
		started: dateTimeText(progress?.startedAt, zone),
		started_date: dateText(progress?.startedAt, zone),
		paused: dateTimeText(progress?.pausedAt, zone),
		paused_date: dateText(progress?.pausedAt, zone),
		finished: dateTimeText(progress?.finishedAt, zone),
		finished_date: dateText(progress?.finishedAt, zone),
		progress_manual: progress?.manuallySet === true,
		progress_external: progress?.externallySet === true,
		progress_source: joined(source),
	};
	// The section shows when any line of it would.
	fields.has_progress = progress !== undefined
		&& [fields.reading_status, fields.progress_text, lastReadText, fields.started, fields.paused, fields.finished, fields.progress_source]
			.some((value) => value !== '');
	return fields;
}

function filesView(record: BookRecord): { files: readonly TemplateValue[]; formats: string[] } {
	const files: TemplateObject[] = [];
	const formats: string[] = [];
	for (const file of record.files) {
		const format = inline(cleanLine(file.format)?.replace(/^\.+/, '').toLowerCase());
		const name = inline(file.originalName);
		const size = formatFileSize(file.fileSize) ?? '';
		if (format === '' && name === '' && size === '') continue;
		const bytes = typeof file.fileSize === 'string' && /^\d{1,64}$/.test(file.fileSize.trim()) ? file.fileSize.trim() : '';
		files.push(data({ format, name, size, bytes }));
		if (format !== '') formats.push(format);
	}
	return { files: listOf(files), formats: distinct(formats) };
}

/**
 * The view for one record: every field of the record, neutralised for
 * Markdown, with dates in `options.timeZone`, sizes humanised, lists as
 * arrays and as joined text, links, progress fields and `has_*` flags.
 * `context.baseName` stands in for a missing title; `context.coverPath`
 * (a downloaded cover in the vault) gives `cover_embed`. Throws
 * SyncError('config') only for an unknown time zone.
 */
export function templateView(record: BookRecord, options: RenderOptions, context: RenderContext): TemplateView {
	const zone = options.timeZone;
	const author = inline(record.author);
	const series = inline(record.series);
	const seriesIndex = numberText(record.seriesIndex);
	const seriesText = series === '' ? '' : seriesIndex === '' ? series : `${series} (book ${seriesIndex})`;
	const byline = [author === '' ? '' : `By ${author}`, seriesText].filter((part) => part !== '').join(' · ');
	const description = neutraliseMarkdown(htmlToMarkdown(record.description));
	const rawGenres = record.genres.map((genre) => cleanLine(genre)).filter((genre): genre is string => genre !== undefined);
	const genres = distinct(rawGenres.map((genre) => neutraliseInline(genre)));
	const genreLinks = distinct(rawGenres.map((genre) => bodyLink(genre)));
	const tags = toTags([...record.tags, ...(options.genresAsTags ? record.genres : [])], options.tagPrefix).map((tag) => neutraliseInline(tag));
	const localCover = vaultLinkTarget(context.coverPath);
	const remoteCover = inertUrl(coverUrl(record.coverUrl, options.serverUrl));
	const coverPath = localCover === undefined ? '' : localCover.replace(/`/g, "'");
	const duplicateLink = vaultLinkTarget(context.duplicateOfLink)?.replace(/\.md$/i, '').replace(/`/g, "'");
	const possibleDuplicate = inline(record.possibleDuplicateOf);
	const { files, formats } = filesView(record);
	const progress = progressView(record, zone);

	const details: Record<string, TemplateValue> = {
		publisher: inline(record.publisher),
		published: numberText(record.publishedYear),
		language: inline(record.language),
		pages: numberText(record.pageCount),
		isbn10: inline(record.isbn10),
		isbn13: inline(record.isbn13),
		hardcover_book_id: numberText(record.hardcoverBookId),
		hardcover_edition_id: numberText(record.hardcoverEditionId),
		added: dateTimeText(record.createdAt, zone),
		updated: dateTimeText(record.updatedAt, zone),
		approved: dateTimeText(record.approvedAt, zone),
		created_by: inline(record.createdBy),
		uploader: inline(cleanLine(record.uploader?.label) ?? record.uploader?.id),
		library_status: inline(record.status),
		server_cover_path: inline(record.coverPath),
	};

	return data({
		id: neutraliseInline(record.id),
		title: inline(record.title) || neutraliseInline(context.baseName),
		note_name: neutraliseInline(context.baseName),
		author,
		author_link: bodyLink(record.author),
		series,
		series_link: bodyLink(record.series),
		series_index: seriesIndex,
		series_text: seriesText,
		byline,
		publisher_link: bodyLink(record.publisher),
		description,
		has_description: description !== '',
		genres: listOf(genres),
		genres_text: joined(genres),
		genre_links: listOf(genreLinks),
		genre_links_text: joined(genreLinks),
		has_genres: genres.length > 0,
		tags: listOf(tags),
		tags_text: joined(tags),
		has_tags: tags.length > 0,
		cover: coverPath === '' ? remoteCover : `[[${coverPath}]]`,
		cover_path: coverPath,
		cover_embed: coverPath === '' ? '' : `![[${coverPath}]]`,
		cover_url: remoteCover,
		has_cover: coverPath !== '',
		possible_duplicate_of: duplicateLink !== undefined && possibleDuplicate !== '' ? `[[${duplicateLink}]]` : possibleDuplicate,
		files,
		has_files: files.length > 0,
		formats: listOf(formats),
		formats_text: joined(formats),
		...details,
		added_date: dateText(record.createdAt, zone),
		updated_date: dateText(record.updatedAt, zone),
		approved_date: dateText(record.approvedAt, zone),
		has_details: Object.values(details).some((value) => value !== ''),
		...progress,
	});
}
