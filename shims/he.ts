// Stands in for `he` (node-html-parser's entity codec) in both bundles.
// `he` carries its own 85 KB table of HTML5 named references; `entities`
// carries the same table as a compact trie. One table is enough: decoding
// goes through `entities` in its legacy (text) mode, which follows the
// same HTML5 rules as `he.decode` with its default options (named
// references with and without `;`, numeric references, the Windows-1252
// overrides, U+FFFD for invalid code points). `encode` reproduces
// `he.encode` with its default options exactly: `"&'<>\`` and every
// character outside printable ASCII become `&#xHEX;`.
// scripts/bench/check-shims.ts compares both functions with the real `he`.
import { decodeHTML } from 'entities/lib/decode.js';

function hex(codePoint: number): string {
	return `&#x${codePoint.toString(16).toUpperCase()};`;
}

/** What `he.encode` escapes in the BMP: `"&'<>\``, controls but NUL/LF/CR, the Windows-1252 holes, everything from U+00A0 up. */
function escaped(unit: number): boolean {
	if (unit >= 0xa0) return true;
	if (unit >= 0x20 && unit < 0x7f) return unit === 0x22 || unit === 0x26 || unit === 0x27 || unit === 0x3c || unit === 0x3e || unit === 0x60;
	if (unit >= 0x80) return unit === 0x81 || unit === 0x8d || unit === 0x8f || unit === 0x90 || unit === 0x9d;
	return unit !== 0x00 && unit !== 0x0a && unit !== 0x0d;
}

function refuseOptions(name: string, options: unknown): void {
	if (options !== undefined) throw new Error(`he.${name} with options is not available in the Library Sync bundle (shims/he.ts).`);
}

export function decode(html: string, options?: unknown): string {
	refuseOptions('decode', options);
	return decodeHTML(html);
}

export function encode(text: string, options?: unknown): string {
	refuseOptions('encode', options);
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		const next = text.charCodeAt(i + 1);
		if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
			out += hex((unit - 0xd800) * 0x400 + next - 0xdc00 + 0x10000);
			i += 1;
		} else {
			out += escaped(unit) ? hex(unit) : text.charAt(i);
		}
	}
	return out;
}

export default { decode, encode };
