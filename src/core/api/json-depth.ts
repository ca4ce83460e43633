/**
 * True when `text` opens more than `maxDepth` arrays or objects inside one
 * another (outside strings), whether or not it is valid or complete JSON.
 * Checked before a body is parsed: `JSON.parse` keeps a frame for every
 * open level outside the JS heap, so 32 MB of `[` (a 32 KB gzip answer)
 * took the CLI to 1.5 GB. One pass, no allocation, stops at the first level
 * too many.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
	let depth = 0;
	const length = text.length;
	for (let i = 0; i < length; i++) {
		const code = text.charCodeAt(i);
		if (code === 0x22) {
			i = closingQuote(text, i);
			if (i < 0) return false;
		} else if (code === 0x5b || code === 0x7b) {
			depth += 1;
			if (depth > maxDepth) return true;
		} else if (code === 0x5d || code === 0x7d) {
			depth -= 1;
		}
	}
	return false;
}

/** Where the string opened at `open` ends (its closing quote, not an escaped one), or -1 when it does not. */
function closingQuote(text: string, open: number): number {
	let at = open;
	for (;;) {
		at = text.indexOf('"', at + 1);
		if (at < 0) return -1;
		let backslashes = 0;
		while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes += 1;
		if (backslashes % 2 === 0) return at;
	}
}
