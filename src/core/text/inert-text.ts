/**
 * Text from the server or the vault (titles, ids, paths, error bodies,
 * URLs), made safe to show on one line: on a terminal, in a log, in a
 * notice. Everything that could steer a terminal or a reader's eye is made
 * visible as an escape instead: C0 and C1 control characters (ESC, BEL,
 * CR, LF, TAB ...), DEL, the bidirectional overrides and isolates (which
 * reorder what follows them), and the Unicode line and paragraph
 * separators. `\` itself stays as it is: only what was invisible changes.
 */

/** Every character `inertText` rewrites. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
	const named = NAMED[char];
	if (named !== undefined) return named;
	const code = char.charCodeAt(0);
	return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line, with every control, bidi and line-break character shown as an escape (`\x1b`, `\n`, `\u202e`). */
export function inertText(text: string): string {
	return text.replace(UNSAFE, visible);
}

/** What JSON.stringify leaves raw in strings of the characters above (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text written by JSON.stringify with the same characters as `\uXXXX`
 * escapes: the same JSON values, but nothing in it steers a terminal.
 * (Outside strings JSON has none of them, and its line breaks stay.)
 */
export function inertJson(json: string): string {
	return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
