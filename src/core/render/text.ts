/**
 * Small text clean-ups shared by the renderer: server strings are untrusted
 * and may carry control characters, bidi overrides or stray whitespace.
 */

function unicodeEscape(code: number): string {
	return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A regex character class from code point ranges (lint forbids control characters in regex literals). */
export function charClass(ranges: ReadonlyArray<readonly [number, number]>, flags: string): RegExp {
	const body = ranges.map(([from, to]) => `${unicodeEscape(from)}-${unicodeEscape(to)}`).join('');
	return new RegExp(`[${body}]`, flags);
}

// C0/C1 controls except tab, LF and CR (callers treat those as whitespace),
// bidi embeddings/overrides/isolates and marks, zero-width spaces, BOM.
const INVISIBLE = charClass([
	[0x00, 0x08], [0x0b, 0x0c], [0x0e, 0x1f], [0x7f, 0x9f], [0x061c, 0x061c], [0x200b, 0x200b],
	[0x200e, 0x200f], [0x202a, 0x202e], [0x2060, 0x2064], [0x2066, 0x2069], [0xfeff, 0xfeff],
], 'g');
// Any whitespace, including line and paragraph separators.
const WHITESPACE = /\s+/g;

/**
 * Lone surrogates (possible in JSON through `\ud800` escapes) as U+FFFD.
 * UTF-8 cannot hold them: a file would store U+FFFD and differ from the
 * rendered text on every run, so the note would be rewritten every time.
 */
export function toWellFormed(text: string): string {
	if (!/[\ud800-\udfff]/.test(text)) return text;
	return Array.from(text, (ch) => (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch)).join('');
}

/**
 * Removes control, bidi-control and zero-width characters (keeps ZWJ/ZWNJ,
 * which scripts and emoji need); lone surrogates become U+FFFD.
 */
export function stripInvisible(text: string): string {
	return toWellFormed(text).replace(INVISIBLE, '');
}

/**
 * Text that every clean-up leaves as it is: words of ASCII and Latin-1
 * letters, digits and harmless punctuation, one space apart. Such text is
 * already NFC (no two of these characters compose), has nothing invisible,
 * and holds no Markdown syntax (a colon only outside `::` and a URL
 * scheme, see PLAIN_TEXT_COLON), so most titles, names and labels skip the
 * clean-up's regex passes. tests/core/render/text.test.ts checks every
 * character of the class against the full clean-up.
 */
export const PLAIN_TEXT = /^[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF,.'!?()/:+-]+(?: [A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF,.'!?()/:+-]+)*$/;
const PLAIN_TEXT_COLON = /::|\b(?:obsidian|javascript|vbscript|file|data):/i;

/** True when `text` matches PLAIN_TEXT (so cleanLine and neutraliseInline return it as it is). */
export function isPlainText(text: string): boolean {
	return PLAIN_TEXT.test(text) && !(text.includes(':') && PLAIN_TEXT_COLON.test(text));
}

/**
 * A single-line, trimmed, NFC version of `text` with invisible characters
 * removed and whitespace runs (newlines included) collapsed to one space;
 * undefined when nothing is left.
 */
export function cleanLine(text: string | undefined): string | undefined {
	if (typeof text !== 'string') return undefined;
	if (isPlainText(text)) return text;
	const cleaned = stripInvisible(text.normalize('NFC')).replace(WHITESPACE, ' ').trim();
	return cleaned === '' ? undefined : cleaned;
}
