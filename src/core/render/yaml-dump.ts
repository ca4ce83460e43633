/**
 * A tiny YAML writer for flat properties. Hand-written rather than js-yaml's
 * dumper because the output must look exactly like Obsidian's own
 * (unquoted dates, double-quoted links, block lists) and be byte-stable
 * across library versions. Everything it writes reads back, under both
 * YAML 1.1 and 1.2 readers, to the value it was given.
 */

/** A property value as Obsidian understands it. */
export type PropertyValue = string | number | boolean | string[];

// Dates and datetimes the way Obsidian writes them: left unquoted so the
// Properties view shows a date, and read back as strings by the core schema.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?$/;
// Conservative plain scalars: letters/digits first, then only characters
// that are never YAML indicators in the middle of a block-context scalar.
const PLAIN_SAFE = /^[\p{L}\p{N}_(][\p{L}\p{M}\p{N} _.,()'&/+!?;=$-]*$/u;
// The same for ASCII text, without the slower Unicode property classes.
const PLAIN_SAFE_ASCII = /^[A-Za-z0-9_(][A-Za-z0-9 _.,()'&/+!?;=$-]*$/;
const ASCII_DIGIT_START = /^[0-9]/;
// Words some YAML reader turns into booleans, null or special floats.
const RESERVED = /^(?:y|yes|n|no|true|false|on|off|null|nan|inf)$/i;

function needsQuotes(text: string): boolean {
	if (DATE_LIKE.test(text)) return false;
	if (!PLAIN_SAFE_ASCII.test(text) && !PLAIN_SAFE.test(text)) return true;
	if (text.endsWith(' ')) return true;
	return ASCII_DIGIT_START.test(text) || RESERVED.test(text);
}

function escapeCodePoint(code: number): string {
	if (code <= 0xff) return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
	return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

// Characters written as escapes inside double quotes: every control
// character, line/paragraph separators, lone surrogates, and the invisible
// format characters a reader could be fooled by.
function mustEscape(code: number): boolean {
	return code < 0x20
		|| (code >= 0x7f && code <= 0x9f)
		|| (code >= 0xd800 && code <= 0xdfff)
		|| code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0x061c
		|| (code >= 0x200b && code <= 0x200f)
		|| (code >= 0x202a && code <= 0x202e)
		|| (code >= 0x2060 && code <= 0x2069);
}

function doubleQuote(text: string): string {
	let out = '"';
	const chars = Array.from(text);
	for (let i = 0; i < chars.length; i++) {
		const ch = chars[i] ?? '';
		const code = ch.length === 1 ? ch.charCodeAt(0) : 0x10000;
		if (ch === '"') out += '\\"';
		else if (ch === '\\') out += '\\\\';
		else if (ch === '\n') out += '\\n';
		else if (ch === '\t') out += '\\t';
		// Templater runs on new files: never leave a raw `<%` in the text.
		else if (ch === '<' && chars[i + 1] === '%') out += '\\x3C';
		else if (ch.length === 1 && mustEscape(code)) out += escapeCodePoint(code);
		else out += ch;
	}
	return `${out}"`;
}

/** A YAML scalar for a string: plain when that reads back as the same string, else double-quoted. */
export function yamlString(text: string): string {
	return needsQuotes(text) ? doubleQuote(text) : text;
}

/** A YAML mapping key. */
export function yamlKey(name: string): string {
	return needsQuotes(name) || DATE_LIKE.test(name) ? doubleQuote(name) : name;
}

function yamlNumber(value: number): string | undefined {
	if (!Number.isFinite(value)) return undefined;
	return Object.is(value, -0) ? '0' : String(value);
}

/** True when `dumpProperty` would write something for this value. */
export function isRepresentable(value: PropertyValue | null | undefined): value is PropertyValue {
	if (value === null || value === undefined) return false;
	if (typeof value === 'number') return Number.isFinite(value);
	if (Array.isArray(value)) return value.length > 0;
	return typeof value === 'string' || typeof value === 'boolean';
}

/**
 * One top-level YAML entry (`key: value`, or a key line followed by a block
 * list), lines joined with `\n`, no trailing newline. Returns '' for values
 * that cannot be represented (non-finite numbers, empty lists, null).
 */
export function dumpProperty(name: string, value: PropertyValue | null | undefined): string {
	if (!isRepresentable(value)) return '';
	const key = yamlKey(name);
	if (Array.isArray(value)) {
		return [`${key}:`, ...value.map((item) => `  - ${yamlString(String(item))}`)].join('\n');
	}
	if (typeof value === 'number') return `${key}: ${yamlNumber(value) ?? ''}`;
	if (typeof value === 'boolean') return `${key}: ${value ? 'true' : 'false'}`;
	return `${key}: ${yamlString(value)}`;
}

/**
 * A YAML block for the entries in the given order, each line ending with
 * `\n` (so '' for no entries). Unrepresentable values are left out.
 */
export function dumpProperties(entries: Iterable<readonly [string, PropertyValue | null | undefined]>): string {
	let out = '';
	for (const [name, value] of entries) {
		const entry = dumpProperty(name, value);
		if (entry !== '') out += `${entry}\n`;
	}
	return out;
}
