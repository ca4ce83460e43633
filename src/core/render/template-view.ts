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
import { vaultLinkTarget, loadableCoverUrl, type RenderContext } from './properties';
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

/** What the view's fields are computed from, and the fields computed so far. */
class ViewSource {
	readonly zone: string;
	private readonly done = new Map<string, TemplateValue>();
	private readonly parts = new Map<string, unknown>();

	constructor(readonly record: BookRecord, readonly options: RenderOptions, readonly context: RenderContext) {
		this.zone = options.timeZone;
	}

	/** A field's value, computed once. */
	field(name: string): TemplateValue {
		let value = this.done.get(name);
		if (value === undefined) {
			const compute = FIELDS[name];
			if (compute === undefined) throw new Error(`templateView: no field "${name}"`);
			value = compute(this);
			this.done.set(name, value);
		}
		return value;
	}

	/** A text field's value. */
	text(name: string): string {
		const value = this.field(name);
		return typeof value === 'string' ? value : '';
	}

	/** An intermediate result several fields share, computed once. */
	part<T>(name: string, make: () => T): T {
		if (!this.parts.has(name)) this.parts.set(name, make());
		return this.parts.get(name) as T;
	}
}

type Field = (source: ViewSource) => TemplateValue;

function rawGenres(source: ViewSource): string[] {
	return source.part('rawGenres', () => source.record.genres.map((genre) => cleanLine(genre)).filter((genre): genre is string => genre !== undefined));
}

function genreList(source: ViewSource): string[] {
	return source.part('genres', () => distinct(rawGenres(source).map((genre) => neutraliseInline(genre))));
}

function genreLinkList(source: ViewSource): string[] {
	return source.part('genreLinks', () => distinct(rawGenres(source).map((genre) => bodyLink(genre))));
}

function tagList(source: ViewSource): string[] {
	const { record, options } = source;
	return source.part('tags', () => toTags([...record.tags, ...(options.genresAsTags ? record.genres : [])], options.tagPrefix).map((tag) => neutraliseInline(tag)));
}

function localCover(source: ViewSource): string {
	return source.part('localCover', () => vaultLinkTarget(source.context.coverPath)?.replace(/`/g, "'") ?? '');
}

function fileList(source: ViewSource): { files: readonly TemplateValue[]; formats: string[] } {
	return source.part('files', () => filesView(source.record));
}

function percentage(source: ViewSource): number | undefined {
	const raw = source.record.progress?.percentage;
	return typeof raw === 'number' && Number.isFinite(raw) ? Math.round(raw * 100) / 100 : undefined;
}

const DETAIL_FIELDS = [
	'publisher', 'published', 'language', 'pages', 'isbn10', 'isbn13', 'hardcover_book_id', 'hardcover_edition_id',
	'added', 'updated', 'approved', 'created_by', 'uploader', 'library_status',
] as const;

// Each line of the default template's Progress section.
const PROGRESS_LINES = ['reading_status', 'progress_text', 'last_read_text', 'started', 'paused', 'finished', 'progress_source'] as const;

/**
 * Every variable of the view (docs/templates.md lists them), each computed
 * from the record only when a template asks for it.
 */
const FIELDS: Readonly<Record<string, Field>> = {
	id: ({ record }) => neutraliseInline(record.id),
	title: ({ record, context }) => inline(record.title) || neutraliseInline(context.baseName),
	note_name: ({ context }) => neutraliseInline(context.baseName),
	author: ({ record }) => inline(record.author),
	author_link: ({ record }) => bodyLink(record.author),
	series: ({ record }) => inline(record.series),
	series_link: ({ record }) => bodyLink(record.series),
	series_index: ({ record }) => numberText(record.seriesIndex),
	series_text: (source) => {
		const series = source.text('series');
		const index = source.text('series_index');
		return series === '' ? '' : index === '' ? series : `${series} (book ${index})`;
	},
	byline: (source) => {
		const author = source.text('author');
		return [author === '' ? '' : `By ${author}`, source.text('series_text')].filter((part) => part !== '').join(' · ');
	},
	publisher_link: ({ record }) => bodyLink(record.publisher),
	description: ({ record }) => neutraliseMarkdown(htmlToMarkdown(record.description)),
	has_description: (source) => source.text('description') !== '',
	genres: (source) => listOf(genreList(source)),
	genres_text: (source) => joined(genreList(source)),
	genre_links: (source) => listOf(genreLinkList(source)),
	genre_links_text: (source) => joined(genreLinkList(source)),
	has_genres: (source) => genreList(source).length > 0,
	tags: (source) => listOf(tagList(source)),
	tags_text: (source) => joined(tagList(source)),
	has_tags: (source) => tagList(source).length > 0,
	cover: (source) => (localCover(source) === '' ? source.text('cover_url') : `[[${localCover(source)}]]`),
	cover_path: (source) => localCover(source),
	cover_embed: (source) => (localCover(source) === '' ? '' : `![[${localCover(source)}]]`),
	cover_url: ({ record, options }) => inertUrl(loadableCoverUrl(record.coverUrl, options)),
	has_cover: (source) => localCover(source) !== '',
	possible_duplicate_of: ({ record, context }) => {
		const link = vaultLinkTarget(context.duplicateOfLink)?.replace(/\.md$/i, '').replace(/`/g, "'");
		const other = inline(record.possibleDuplicateOf);
		return link !== undefined && other !== '' ? `[[${link}]]` : other;
	},
	files: (source) => fileList(source).files,
	has_files: (source) => fileList(source).files.length > 0,
	formats: (source) => listOf(fileList(source).formats),
	formats_text: (source) => joined(fileList(source).formats),
	publisher: ({ record }) => inline(record.publisher),
	published: ({ record }) => numberText(record.publishedYear),
	language: ({ record }) => inline(record.language),
	pages: ({ record }) => numberText(record.pageCount),
	isbn10: ({ record }) => inline(record.isbn10),
	isbn13: ({ record }) => inline(record.isbn13),
	hardcover_book_id: ({ record }) => numberText(record.hardcoverBookId),
	hardcover_edition_id: ({ record }) => numberText(record.hardcoverEditionId),
	added: ({ record, zone }) => dateTimeText(record.createdAt, zone),
	updated: ({ record, zone }) => dateTimeText(record.updatedAt, zone),
	approved: ({ record, zone }) => dateTimeText(record.approvedAt, zone),
	created_by: ({ record }) => inline(record.createdBy),
	uploader: ({ record }) => inline(cleanLine(record.uploader?.label) ?? record.uploader?.id),
	library_status: ({ record }) => inline(record.status),
	server_cover_path: ({ record }) => inline(record.coverPath),
	added_date: ({ record, zone }) => dateText(record.createdAt, zone),
	updated_date: ({ record, zone }) => dateText(record.updatedAt, zone),
	approved_date: ({ record, zone }) => dateText(record.approvedAt, zone),
	has_details: (source) => DETAIL_FIELDS.some((name) => source.text(name) !== ''),
	progress: (source) => numberText(percentage(source)),
	progress_text: (source) => (percentage(source) === undefined ? '' : `${percentage(source)}%`),
	progress_bar: (source) => {
		const value = percentage(source);
		return value === undefined ? '' : progressBar(value);
	},
	reading_status: ({ record }) => inline(record.progress?.status),
	last_read: ({ record, zone }) => dateTimeText(record.progress?.lastTimestamp, zone),
	last_read_date: ({ record, zone }) => dateText(record.progress?.lastTimestamp, zone),
	last_device: ({ record }) => inline(record.progress?.lastDevice),
	last_read_text: (source) => {
		const lastRead = source.text('last_read');
		const device = source.text('last_device');
		if (lastRead === '') return device === '' ? '' : `on ${device}`;
		return device === '' ? lastRead : `${lastRead} on ${device}`;
	},
	started: ({ record, zone }) => dateTimeText(record.progress?.startedAt, zone),
	started_date: ({ record, zone }) => dateText(record.progress?.startedAt, zone),
	paused: ({ record, zone }) => dateTimeText(record.progress?.pausedAt, zone),
	paused_date: ({ record, zone }) => dateText(record.progress?.pausedAt, zone),
	finished: ({ record, zone }) => dateTimeText(record.progress?.finishedAt, zone),
	finished_date: ({ record, zone }) => dateText(record.progress?.finishedAt, zone),
	progress_manual: ({ record }) => record.progress?.manuallySet === true,
	progress_external: ({ record }) => record.progress?.externallySet === true,
	progress_source: ({ record }) => joined([
		record.progress?.manuallySet === true ? 'set manually' : '',
		record.progress?.externallySet === true ? 'set externally' : '',
	].filter((part) => part !== '')),
	// The section shows when any line of it would.
	has_progress: (source) => source.record.progress !== undefined && PROGRESS_LINES.some((name) => source.text(name) !== ''),
};

/** Every variable a template can use. */
export const TEMPLATE_VARIABLES: readonly string[] = Object.freeze(Object.keys(FIELDS));

/**
 * The view for one record: every field of the record, neutralised for
 * Markdown, with dates in `options.timeZone`, sizes humanised, lists as
 * arrays and as joined text, links, progress fields and `has_*` flags.
 * `context.baseName` stands in for a missing title; `context.coverPath`
 * (a downloaded cover in the vault) gives `cover_embed`. With `names`, only
 * those variables are computed (the ones a template uses: the others would
 * be work for nothing); without, all of them. Throws SyncError('config')
 * only for an unknown time zone.
 */
export function templateView(record: BookRecord, options: RenderOptions, context: RenderContext, names: Iterable<string> = TEMPLATE_VARIABLES): TemplateView {
	const source = new ViewSource(record, options, context);
	const view = Object.create(null) as Record<string, TemplateValue>;
	for (const name of names) {
		if (Object.prototype.hasOwnProperty.call(FIELDS, name)) view[name] = source.field(name);
	}
	return Object.freeze(view);
}
