/**
 * Note file names: safe on every platform Obsidian runs on, safe inside
 * links, stable on every device. The real title stays in the properties.
 */
import type { BookRecord } from '../api/record';
import { charClass, stripInvisible } from './text';

/** The longest file name (in UTF-8 bytes) most file systems accept. */
export const MAX_FILE_NAME_BYTES = 255;
/** The note extension, counted in the byte limit. */
export const NOTE_EXTENSION = '.md';
/** The longest base name, leaving room for the extension. */
export const MAX_BASE_NAME_BYTES = MAX_FILE_NAME_BYTES - NOTE_EXTENSION.length;

const FALLBACK_NAME = 'Untitled';
// ZWJ/ZWNJ survive stripInvisible (emoji and scripts need them) but must
// not be a name's only content.
const HAS_VISIBLE = /[^\s\u200C\u200D\p{M}]/u;
const DEVICE_NAME = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3])$/i;
// Unicode space separators that are not plain spaces, and line separators.
const WHITESPACE = /\s+/g;
const LEADING = /^[\s.]+/;
const TRAILING = /[\s.]+$/;
const CONTROL_OR_TAB = charClass([[0x00, 0x1f], [0x7f, 0x9f]], 'g');
const encoder = new TextEncoder();

function byteLength(text: string): number {
	return encoder.encode(text).length;
}

// Replacements keep names readable: "Dune: Messiah" -> "Dune - Messiah",
// "AC/DC" -> "AC-DC", "[Annotated]" -> "(Annotated)".
// `%%` (an Obsidian comment) goes last, as any run of `%`: removing `?` from
// `%?%` would otherwise make one, and `%%%%` -> `%%` in a single pass.
const REPLACEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
	[/:/g, ' - '],
	[/[\\/|]/g, '-'],
	[/"/g, "'"],
	[/[[<]/g, '('],
	[/[\]>]/g, ')'],
	[/[*?#^]/g, ''],
	[/%{2,}/g, '%'],
];

type Segmenter = { segment(text: string): Iterable<{ segment: string }> };
type SegmenterConstructor = new (locale: string | undefined, options: { granularity: 'grapheme' }) => Segmenter;

let segmenter: Segmenter | null | undefined;

function graphemes(text: string): string[] {
	if (segmenter === undefined) {
		const ctor = (Intl as unknown as { Segmenter?: SegmenterConstructor }).Segmenter;
		segmenter = ctor === undefined ? null : new ctor(undefined, { granularity: 'grapheme' });
	}
	if (segmenter !== null) return Array.from(segmenter.segment(text), (part) => part.segment);
	// Without Intl.Segmenter: code points, keeping combining marks, variation
	// selectors and ZWJ sequences with the character before them.
	const out: string[] = [];
	let joinNext = false;
	for (const ch of text) {
		// Variation selectors are marks (\p{M}) too; skin-tone modifiers are not.
		const attaches = ch === '\u200D' || /^\p{M}$/u.test(ch) || (ch >= '\u{1F3FB}' && ch <= '\u{1F3FF}');
		if ((attaches || joinNext) && out.length > 0) out[out.length - 1] += ch;
		else out.push(ch);
		joinNext = ch === '\u200D';
	}
	return out;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes at a grapheme boundary. */
export function truncateToBytes(text: string, maxBytes: number): string {
	if (byteLength(text) <= maxBytes) return text;
	let out = '';
	let used = 0;
	for (const grapheme of graphemes(text)) {
		const size = byteLength(grapheme);
		if (used + size > maxBytes) break;
		out += grapheme;
		used += size;
	}
	return out;
}

function trimEnds(text: string): string {
	return text.replace(LEADING, '').replace(TRAILING, '');
}

function defuseDeviceName(name: string): string {
	const dot = name.indexOf('.');
	const stem = dot === -1 ? name : name.slice(0, dot);
	if (!DEVICE_NAME.test(stem.trim())) return name;
	return `${stem.trimEnd()}_${dot === -1 ? '' : name.slice(dot)}`;
}

/**
 * A file base name (no extension) safe on Windows, macOS, Linux, iOS and
 * Android and inside Obsidian links: no `\ / : * ? " < > | # ^ [ ]` or
 * `%%`, no control, bidi or zero-width characters, single spaces, no
 * leading dot, no trailing dot or space, no Windows device name, NFC, at
 * most `maxBytes` UTF-8 bytes (default: room for `.md` within 255) without
 * cutting a grapheme. Never empty: falls back to "Untitled".
 */
export function sanitizeFileName(raw: string, maxBytes: number = MAX_BASE_NAME_BYTES): string {
	let name = stripInvisible(String(raw).normalize('NFC')).replace(CONTROL_OR_TAB, ' ');
	for (const [pattern, replacement] of REPLACEMENTS) name = name.replace(pattern, replacement);
	name = trimEnds(name.replace(WHITESPACE, ' '));
	name = defuseDeviceName(name);
	name = trimEnds(truncateToBytes(name, maxBytes));
	if (!HAS_VISIBLE.test(name)) return FALLBACK_NAME;
	return name;
}

function finiteText(value: number | undefined): string | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** A placeholder's value, undefined for a missing value or an unknown name. */
function placeholderValue(record: BookRecord, key: string): string | undefined {
	switch (key) {
		case 'id': return record.id;
		case 'title': return record.title;
		case 'author': return record.author;
		case 'series': return record.series;
		case 'seriesIndex': return finiteText(record.seriesIndex);
		case 'publishedYear': return finiteText(record.publishedYear);
		case 'publisher': return record.publisher;
		case 'language': return record.language;
		case 'isbn10': return record.isbn10;
		case 'isbn13': return record.isbn13;
		case 'status': return record.status;
		default: return undefined;
	}
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** One pass of plain substitution: values are never re-expanded, nothing is evaluated. */
function renderPlaceholders(record: BookRecord, template: string): string {
	// An empty layout (the default: no sub-folders) or a template without placeholders is its own rendering.
	if (!template.includes('{{')) return template;
	return template.replace(PLACEHOLDER, (_match, key: string) => {
		const value = placeholderValue(record, key);
		return value === undefined ? '' : value.replace(WHITESPACE, ' ');
	});
}
// What is left around empty placeholders ("{{author}} - {{title}}" without an author).
const DANGLING_SEPARATORS = /^[\s\-\u2013\u2014_,;:]+|[\s\-\u2013\u2014_,;:]+$/g;

/**
 * Renders the file name template for a record and sanitises the result.
 * Placeholders: `{{id}}`, `{{title}}`, `{{author}}`, `{{series}}`,
 * `{{seriesIndex}}`, `{{publishedYear}}`, `{{publisher}}`, `{{language}}`,
 * `{{isbn10}}`, `{{isbn13}}`, `{{status}}`; unknown or missing ones render
 * empty. Plain substitution in one pass: values are never re-expanded and
 * nothing is evaluated. Falls back to the id when the result is empty.
 */
export function fileBaseName(record: BookRecord, template: string, maxBytes: number = MAX_BASE_NAME_BYTES): string {
	const rendered = renderPlaceholders(record, template);
	const name = sanitizeFileName(rendered.replace(DANGLING_SEPARATORS, ''), maxBytes);
	if (name !== FALLBACK_NAME || rendered.trim() === FALLBACK_NAME) return name;
	return sanitizeFileName(record.id, maxBytes);
}

/**
 * The key two names are compared by for collisions: NFC and lower-cased,
 * the way case-insensitive, normalisation-insensitive file systems compare.
 */
export function nameKey(name: string): string {
	return name.normalize('NFC').toLowerCase().normalize('NFC');
}

const SHORT_SAFE_ID = /^[A-Za-z0-9_-]{1,12}$/;

// FNV-1a over UTF-16 code units: tiny, and identical on every platform.
function shortHash(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

/** The tag `disambiguate` appends for an id: the id itself when short and safe, else an 8-hex hash of it. */
export function idTag(id: string): string {
	return SHORT_SAFE_ID.test(id) ? id : shortHash(id);
}

/**
 * A stable, distinct name for a book whose name collides with another's:
 * `"<baseName> (<idTag>)"`, the base cut (at a grapheme) so the whole stays
 * within `maxBytes`. The same inputs give the same name on every device.
 */
export function disambiguate(baseName: string, id: string, maxBytes: number = MAX_BASE_NAME_BYTES): string {
	const suffix = ` (${idTag(id)})`;
	const base = trimEnds(truncateToBytes(baseName, maxBytes - byteLength(suffix)));
	return sanitizeFileName(`${base === '' ? FALLBACK_NAME : base}${suffix}`, maxBytes);
}

/**
 * The folders a folder layout template (`{{author}}/{{series}}`) gives a
 * record: each segment rendered like a file name and made just as safe
 * (no `..`, no separators, no device names), empty segments dropped, so
 * the result always stays inside the library folder.
 */
export function layoutFolders(record: BookRecord, template: string): string[] {
	const folders: string[] = [];
	for (const segment of template.split('/')) {
		const rendered = renderPlaceholders(record, segment).replace(DANGLING_SEPARATORS, '');
		if (rendered.trim() === '') continue;
		const name = sanitizeFileName(rendered);
		if (name !== FALLBACK_NAME) folders.push(name);
	}
	return folders;
}
