/**
 * Proves the bundle shims (shims/he.ts, shims/css-select.ts, shims/js-yaml.ts)
 * change nothing:
 *
 * 1. shims/he.ts against the real `he`: every named reference (with and
 *    without `;`, before every kind of next character), numeric references
 *    over the whole code-point range, and seeded random soups of `&`, `#`,
 *    digits and names; `encode` over every UTF-16 code unit and random text.
 * 2. The renderer bundled with and without the aliases: the sample library,
 *    a synthetic one, the golden fixtures and seeded random HTML full of
 *    entities render, and merge into notes the user edited, to the same
 *    bytes (a shim that threw would show up here, as the converter's
 *    fallback text; a merge that lost the user's property, as a difference).
 *
 * Run: npx tsx scripts/bench/check-shims.ts   (exit code 1 on any difference)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../src/core/render/options';
import { fullRecord, GOLDEN_OPTIONS, hostileRecord, minimalRecord } from '../../tests/core/render/fixtures';
import { sampleLibrary } from '../../tests/server/sample-library';
import { createRandom, syntheticLibrary } from '../../tests/server/synthetic';
import * as shim from '../../shims/he';
import { bundleAndLoad, SHELL_ALIASES } from './bundle';

interface HeLike {
	decode(text: string): string;
	encode(text: string): string;
}

const require = createRequire(import.meta.url);
const he = require('he') as HeLike;

let checked = 0;
const differences: string[] = [];

function same(what: string, input: string, expected: string, actual: string): void {
	checked += 1;
	if (expected !== actual && differences.length < 20) differences.push(`${what} ${JSON.stringify(input)}: he ${JSON.stringify(expected)}, shim ${JSON.stringify(actual)}`);
}

/** The named references `he` knows, read from its own source (it does not export them). */
function namedReferences(): string[] {
	const source = readFileSync(require.resolve('he'), 'utf8');
	const names = new Set<string>();
	for (const line of source.split('\n')) {
		if (!/^\s*var decodeMap(Legacy)? = \{/.test(line)) continue;
		for (const match of line.matchAll(/'([A-Za-z][A-Za-z0-9]*)':/g)) names.add(match[1] as string);
	}
	return [...names].sort();
}

function checkDecode(): void {
	const names = namedReferences();
	if (names.length < 2000) throw new Error(`Read only ${names.length} entity names from he.js`);
	const after = ['', ';', ' ', 'x', 'X', '1', '=', '&', ';;', 'a;', '<', '\u00e9'];
	for (const name of names) {
		for (const next of after) {
			for (const input of [`&${name}${next}`, `a&${name}${next}b`]) same('decode', input, he.decode(input), shim.decode(input));
		}
		// Prefixes catch partial matches of the longest legacy name.
		for (let cut = 1; cut < name.length; cut++) {
			const input = `&${name.slice(0, cut)};&${name.slice(0, cut)}!`;
			same('decode', input, he.decode(input), shim.decode(input));
		}
	}
	const numeric = (cp: number): void => {
		for (const input of [`&#${cp};`, `&#${cp}`, `&#x${cp.toString(16)};`, `&#X${cp.toString(16).toUpperCase()}z`, `&#00${cp};`, `&#${cp}x;`]) {
			same('decode', input, he.decode(input), shim.decode(input));
		}
	};
	for (let cp = 0; cp <= 0x3000; cp++) numeric(cp);
	for (let cp = 0x3000; cp <= 0x110010; cp += 97) numeric(cp);
	for (const cp of [0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffe, 0xffff, 0x10ffff, 0x110000, 0xffffffff, 1e12]) numeric(cp);
	for (const input of ['&', '&;', '&#', '&#;', '&#x', '&#x;', '&#xg;', '&&amp;', '&amp;amp;', '&#99999999999999999999;', '&#x' + 'f'.repeat(30) + ';']) {
		same('decode', input, he.decode(input), shim.decode(input));
	}
	const random = createRandom(7);
	const pieces = ['&', '#', 'x', ';', '0', '9', 'a', 'A', 'f', 'amp', 'lt', 'not', 'notin', 'copy', 'nbsp', 'Aacute', 'hellip', '=', ' ', '\n', '\u00e9', '\ud83d\ude00'];
	for (let i = 0; i < 200_000; i++) {
		let input = '';
		const length = 1 + Math.floor(random() * 12);
		for (let k = 0; k < length; k++) input += pieces[Math.floor(random() * pieces.length)] as string;
		same('decode', input, he.decode(input), shim.decode(input));
	}
}

function checkEncode(): void {
	for (let unit = 0; unit <= 0xffff; unit++) {
		const input = `a${String.fromCharCode(unit)}b`;
		same('encode', input, he.encode(input), shim.encode(input));
	}
	const random = createRandom(11);
	for (let i = 0; i < 50_000; i++) {
		let input = '';
		const length = 1 + Math.floor(random() * 10);
		for (let k = 0; k < length; k++) {
			const roll = random();
			input += roll < 0.5 ? String.fromCharCode(32 + Math.floor(random() * 95)) : roll < 0.8 ? String.fromCharCode(Math.floor(random() * 0x10000)) : String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff));
		}
		same('encode', input, he.encode(input), shim.encode(input));
	}
}

/** Seeded HTML descriptions dense in entities, attributes and odd markup. */
function randomHtml(count: number): string[] {
	const random = createRandom(23);
	const pieces = [
		'<p>', '</p>', '<em>', '</em>', '<b>', '</b>', '<br>', '<ul><li>', '</li></ul>', '<ol><li>', '</li></ol>', '<code>', '</code>', '<pre>', '</pre>',
		'<blockquote>', '</blockquote>', '<h2>', '</h2>', '<table><tr><td>', '</td></tr></table>', '<script>alert(1)</script>', '<!-- c -->',
		'<a href="https://example.org/?a=1&amp;b=2&quot;">', '<a title="&lt;t&gt;" href="x&ampy">', '</a>', '<img alt="&copy; &#169; &notit;" src="data:x">',
		'&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&nbsp;', '&copy', '&notit;', '&ampx', '&Aacute', '&#x1F600;', '&#128;', '&#0;', '&#xD800;', '&unknown;',
		'&hellip;', '&mdash;', '&#8212;', '& ', '&&', 'word', ' ', '\n', 'Ünïcödé', '*star*', '_under_', '[[link]]', '#tag', '`tick`',
	];
	const result: string[] = [];
	for (let i = 0; i < count; i++) {
		let html = '';
		const length = 5 + Math.floor(random() * 40);
		for (let k = 0; k < length; k++) html += pieces[Math.floor(random() * pieces.length)] as string;
		result.push(html);
	}
	return result;
}

interface Renderer {
	renderAll(raws: unknown[], options: RenderOptions): string[];
	htmlToMarkdown(description: string): string;
}

function bundleRenderer(dir: string, name: string, alias: Readonly<Record<string, string>>, charset?: 'utf8'): Promise<Renderer> {
	return bundleAndLoad<Renderer>('scripts/bench/render-corpus.ts', path.join(dir, `${name}.cjs`), alias, charset);
}

async function checkRendering(): Promise<void> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'library-sync-shims-'));
	try {
		const original = await bundleRenderer(dir, 'original', {});
		const shimmed = await bundleRenderer(dir, 'shimmed', SHELL_ALIASES, 'utf8');
		const records: unknown[] = [...sampleLibrary(), ...syntheticLibrary(3000, 5), fullRecord(), minimalRecord(), hostileRecord()];
		const descriptions = randomHtml(20_000);
		records.push(...descriptions.map((description, i) => ({ id: `fz_${i}`, title: `Fuzz ${i}`, description })));
		for (const options of [DEFAULT_RENDER_OPTIONS, GOLDEN_OPTIONS]) {
			const a = original.renderAll(records, options);
			const b = shimmed.renderAll(records, options);
			a.forEach((text, i) => same('render', `record ${i}`, text, b[i] as string));
			b.forEach((text, i) => {
				if (!text.startsWith('! ') && !text.includes('\nmy_rating: 5\n')) same('merge keeps the user property', `record ${i}`, 'my_rating: 5', text);
			});
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

checkDecode();
checkEncode();
await checkRendering();
if (differences.length > 0) {
	process.stderr.write(`${differences.length}+ differences in ${checked} comparisons:\n${differences.join('\n')}\n`);
	process.exit(1);
}
process.stdout.write(`shims match the originals: ${checked} comparisons, no difference.\n`);
