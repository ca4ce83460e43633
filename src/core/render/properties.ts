/**
 * A record as ordered, typed, flat properties (docs/api.md): what the sync
 * writes into the note's frontmatter. Absent values are left out; nothing
 * ever renders as null, undefined, NaN or "Invalid Date".
 */
import type { BookRecord } from '../api/record';
import { PROPERTY_KEYS, type PropertyKey, type RenderOptions } from './options';
import { formatDateTime } from './dates';
import { sanitizeFileName } from './file-name';
import { toTags } from './tags';
import { cleanLine } from './text';
import { isRepresentable, type PropertyValue } from './yaml-dump';
import { resolveServerUrl } from '../api/server-url';
import { decideCover } from '../covers/cover-policy';
import { inertPropertyText } from './neutralise';

export type { PropertyValue } from './yaml-dump';

/** What the renderer needs to know about the note besides the record. */
export interface RenderContext {
	/** The note's file base name (no extension), as the engine chose it. */
	baseName: string;
	/**
	 * Link target (vault path or base name without `.md`) of the note of the
	 * book this one may duplicate, when the engine knows it.
	 */
	duplicateOfLink?: string;
	/**
	 * Vault path of the book's downloaded cover image, when there is one.
	 * The `cover` property (and the body's cover embed) then link to it;
	 * without it `cover` keeps the server's URL and the body embeds nothing.
	 */
	coverPath?: string;
}

/**
 * The property name each key is written under, in canonical order, with
 * left-out keys (null, empty) and names that clash with the id property or
 * an earlier key dropped.
 */
export function propertyNameMap(options: Pick<RenderOptions, 'idProperty' | 'propertyNames'>): ReadonlyArray<readonly [PropertyKey, string]> {
	let names = nameMaps.get(options);
	if (names === undefined) {
		names = buildNameMap(options);
		nameMaps.set(options, names);
	}
	return names;
}

// One name map per options object (render options are never changed once
// made): a run renders every book with the same one.
const nameMaps = new WeakMap<object, ReadonlyArray<readonly [PropertyKey, string]>>();

function buildNameMap(options: Pick<RenderOptions, 'idProperty' | 'propertyNames'>): ReadonlyArray<readonly [PropertyKey, string]> {
	const taken = new Set<string>([options.idProperty]);
	const names: Array<[PropertyKey, string]> = [];
	for (const key of PROPERTY_KEYS) {
		const override = Object.prototype.hasOwnProperty.call(options.propertyNames, key) ? options.propertyNames[key] : undefined;
		const name = override === undefined ? key : override;
		if (name === null || typeof name !== 'string' || name.trim() === '' || taken.has(name)) continue;
		taken.add(name);
		names.push([key, name]);
	}
	return names;
}

/**
 * Every property name the renderer can ever write with these options
 * (the id property and `aliases` included): the names the merge owns.
 */
export function managedPropertyNames(options: RenderOptions): Set<string> {
	const names = new Set<string>([options.idProperty]);
	for (const [, name] of propertyNameMap(options)) names.add(name);
	return names;
}

function wikilink(target: string): string {
	return `[[${target}]]`;
}

function linkOrText(value: string | undefined, asLink: boolean): string | undefined {
	const text = cleanLine(value);
	if (text === undefined || !asLink) return text;
	return wikilink(sanitizeFileName(text));
}

function finite(value: number | undefined): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function list(values: readonly (string | undefined)[]): string[] | undefined {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const value of values) {
		if (value === undefined || seen.has(value)) continue;
		seen.add(value);
		out.push(value);
	}
	return out.length === 0 ? undefined : out;
}

/**
 * A cover URL made absolute by the one resolver for server addresses
 * (server-url.ts: a path goes under the server URL's prefix), or undefined
 * unless it is http(s). Square brackets after the host are percent-encoded,
 * so the address never reads as a wikilink.
 */
export function coverUrl(raw: string | undefined, serverUrl: string): string | undefined {
	const last = lastCoverUrl;
	if (last !== undefined && last.raw === raw && last.serverUrl === serverUrl) return last.result;
	const result = resolveCoverUrl(raw, serverUrl);
	lastCoverUrl = { raw, serverUrl, result };
	return result;
}

// The last answer of coverUrl: a book's cover is asked for several times while it renders.
let lastCoverUrl: { raw: string | undefined; serverUrl: string; result: string | undefined } | undefined;

function resolveCoverUrl(raw: string | undefined, serverUrl: string): string | undefined {
	const value = cleanLine(raw);
	if (value === undefined) return undefined;
	let url: URL | undefined;
	try {
		url = resolveServerUrl(value, serverUrl);
	} catch {
		return undefined;
	}
	if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
	const tail = `${url.pathname}${url.search}${url.hash}`;
	return `${url.href.slice(0, url.href.length - tail.length)}${tail.replace(/\[/g, '%5B').replace(/\]/g, '%5D')}`;
}

/**
 * The cover address (as coverUrl makes it) when Obsidian may load it by
 * itself (a card image, the `cover` property, an embed): exactly the
 * addresses the download may fetch, by the same rules (cover-policy.ts).
 * Another server's only when the user allowed it; never a local or private
 * one but the server's own. Undefined otherwise.
 */
export function loadableCoverUrl(raw: string | undefined, options: Pick<RenderOptions, 'serverUrl' | 'coversFromOtherOrigins'>): string | undefined {
	const allow = options.coversFromOtherOrigins === true;
	// The properties and the body template ask for the same book's cover in turn: answered once.
	const last = lastLoadable;
	if (last !== undefined && last.raw === raw && last.serverUrl === options.serverUrl && last.allow === allow) return last.result;
	const address = coverUrl(raw, options.serverUrl);
	// Decided on the very address that would be written.
	const result = address !== undefined && decideCover(address, options.serverUrl, allow).kind === 'fetch' ? address : undefined;
	lastLoadable = { raw, serverUrl: options.serverUrl, allow, result };
	return result;
}

let lastLoadable: { raw: string | undefined; serverUrl: string; allow: boolean; result: string | undefined } | undefined;

/**
 * A wikilink target for a vault path (a cover, a note): one line, without the
 * characters that would end or redirect a wikilink (`[ ] | # ^`) or open
 * a comment (`%%`); undefined when nothing is left.
 */
export function vaultLinkTarget(path: string | undefined): string | undefined {
	const target = cleanLine(path)?.replace(/[[\]|#^]/g, '').replace(/%%+/g, '%').replace(/^\/+/, '').trim();
	return target === undefined || target === '' ? undefined : target;
}

function formats(record: BookRecord): string[] | undefined {
	return list(record.files.map((file) => {
		const format = cleanLine(file.format)?.replace(/^\.+/, '').toLowerCase();
		return format === '' ? undefined : format;
	}));
}

function percentage(value: number | undefined): number | undefined {
	const number = finite(value);
	// Two decimals are plenty and keep float noise out of the note.
	return number === undefined ? undefined : Math.round(number * 100) / 100;
}

/**
 * The managed properties for a record, in canonical order, the id property
 * first. Property names follow `options.propertyNames`; links are quoted
 * wikilinks to sanitised targets when the link options are on.
 *
 * A link or embed appears only where the renderer built it: the link
 * options, the downloaded `cover` and a found `possible_duplicate_of`.
 * Every other value (and `aliases`) is server text made inert
 * (inertPropertyText), so Obsidian and Dataview read it as plain text.
 * `cover` holds an address only when Obsidian may load it by itself (see
 * loadableCoverUrl); any other address is kept, as plain text, in `cover_url`.
 */
export function renderProperties(record: BookRecord, options: RenderOptions, context: RenderContext): Array<[string, PropertyValue]> {
	const zone = options.timeZone;
	const progress = record.progress;
	const title = cleanLine(record.title);
	const links = options.links;
	const genres = record.genres.map((genre) => cleanLine(genre)).filter((genre): genre is string => genre !== undefined);
	const duplicateLink = cleanLine(context.duplicateOfLink);
	const coverTarget = vaultLinkTarget(context.coverPath);
	const coverAddress = coverTarget === undefined ? coverUrl(record.coverUrl, options.serverUrl) : undefined;
	const loadable = coverTarget === undefined ? loadableCoverUrl(record.coverUrl, options) : undefined;
	const duplicateLinked = duplicateLink !== undefined && cleanLine(record.possibleDuplicateOf) !== undefined;
	// The keys whose values the renderer built as links; everything else is made inert below.
	const built = new Set<PropertyKey>();
	if (links.author) built.add('author');
	if (links.series) built.add('series');
	if (links.publisher) built.add('publisher');
	if (links.genres) built.add('genres');
	if (coverTarget !== undefined) built.add('cover');
	if (duplicateLinked) built.add('possible_duplicate_of');
	const values: Record<PropertyKey, PropertyValue | undefined> = {
		title,
		aliases: title !== undefined && title !== context.baseName ? [title] : undefined,
		author: list([linkOrText(record.author, links.author)]),
		series: linkOrText(record.series, links.series),
		series_index: finite(record.seriesIndex),
		isbn10: cleanLine(record.isbn10),
		isbn13: cleanLine(record.isbn13),
		publisher: linkOrText(record.publisher, links.publisher),
		language: cleanLine(record.language),
		published_year: finite(record.publishedYear),
		pages: finite(record.pageCount),
		genres: list(genres.map((genre) => (links.genres ? wikilink(sanitizeFileName(genre)) : genre))),
		tags: list(toTags([...record.tags, ...(options.genresAsTags ? record.genres : [])], options.tagPrefix)),
		cover: coverTarget !== undefined ? wikilink(coverTarget) : loadable,
		cover_url: loadable === undefined ? coverAddress : undefined,
		library_status: cleanLine(record.status),
		formats: formats(record),
		uploader: cleanLine(record.uploader?.label) ?? cleanLine(record.uploader?.id),
		created_by: cleanLine(record.createdBy),
		possible_duplicate_of: duplicateLinked
			? wikilink(duplicateLink.replace(/\.md$/i, '').replace(/[[\]|#^]/g, ''))
			: cleanLine(record.possibleDuplicateOf),
		hardcover_book_id: finite(record.hardcoverBookId),
		hardcover_edition_id: finite(record.hardcoverEditionId),
		added: formatDateTime(record.createdAt, zone),
		updated: formatDateTime(record.updatedAt, zone),
		approved: formatDateTime(record.approvedAt, zone),
		progress: percentage(progress?.percentage),
		reading_status: cleanLine(progress?.status),
		last_device: cleanLine(progress?.lastDevice),
		last_read: formatDateTime(progress?.lastTimestamp, zone),
		started: formatDateTime(progress?.startedAt, zone),
		finished: formatDateTime(progress?.finishedAt, zone),
		paused: formatDateTime(progress?.pausedAt, zone),
		progress_manual: typeof progress?.manuallySet === 'boolean' ? progress.manuallySet : undefined,
		progress_external: typeof progress?.externallySet === 'boolean' ? progress.externallySet : undefined,
		// Set by the removal pass, never from a record: a book in the feed is not removed.
		removed: undefined,
	};
	const properties: Array<[string, PropertyValue]> = [[options.idProperty, record.id]];
	for (const [key, name] of propertyNameMap(options)) {
		const value = built.has(key) ? values[key] : inertValue(values[key]);
		if (isRepresentable(value)) properties.push([name, value]);
	}
	return properties;
}

/** Strings (alone or in a list) made inert; numbers and booleans as they are. */
function inertValue<T extends PropertyValue | undefined>(value: T): T {
	if (typeof value === 'string') return inertPropertyText(value) as T;
	if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? inertPropertyText(item) : item)) as T;
	return value;
}
