import { describe, expect, it } from 'vitest';
import type { BookRecord } from '../../../src/core/api/record';
import { disambiguate, fileBaseName, MAX_BASE_NAME_BYTES, nameKey, sanitizeFileName, truncateToBytes } from '../../../src/core/render/file-name';

const bytes = (text: string): number => new TextEncoder().encode(text).length;
const record = (fields: Partial<BookRecord>): BookRecord => ({ id: 'abc123', genres: [], tags: [], files: [], ...fields });

describe('sanitizeFileName', () => {
	it('replaces characters that are illegal or break links', () => {
		expect(sanitizeFileName('Dune: Messiah')).toBe('Dune - Messiah');
		expect(sanitizeFileName('AC/DC \\ Back|Black')).toBe('AC-DC - Back-Black');
		expect(sanitizeFileName('What? *Really* "yes" <no>')).toBe("What Really 'yes' (no)");
		expect(sanitizeFileName('C# [Annotated] ^block')).toBe('C (Annotated) block');
		expect(sanitizeFileName('50%% off %% now')).toBe('50% off % now');
		expect(sanitizeFileName('[[Wiki]]')).toBe('((Wiki))');
	});

	it('removes control, bidi-override and zero-width characters and collapses whitespace', () => {
		expect(sanitizeFileName('Evil\u202Etxt.exe')).toBe('Eviltxt.exe');
		expect(sanitizeFileName('a\u200Bb\u2066c\u2069d\uFEFF')).toBe('abcd');
		expect(sanitizeFileName('tab\there\nnew\u0000line\u0007')).toBe('tab here newline');
		expect(sanitizeFileName('  lots   of\u00A0\u2003space  ')).toBe('lots of space');
	});

	it('has no leading dot and no trailing dot or space', () => {
		expect(sanitizeFileName('.hidden')).toBe('hidden');
		expect(sanitizeFileName('...and then')).toBe('and then');
		expect(sanitizeFileName('The End... ')).toBe('The End');
		expect(sanitizeFileName('..')).toBe('Untitled');
		expect(sanitizeFileName('../../etc/passwd')).toBe('-..-etc-passwd');
		expect(sanitizeFileName('/')).toBe('-');
	});

	it('never returns an empty name', () => {
		for (const raw of ['', '   ', '???', '\u200B\u202E', '.', '\u200D', '\u0301']) {
			expect(sanitizeFileName(raw)).toBe('Untitled');
		}
	});

	it('defuses Windows device names, with or without an extension', () => {
		expect(sanitizeFileName('CON')).toBe('CON_');
		expect(sanitizeFileName('con')).toBe('con_');
		expect(sanitizeFileName('nul.txt')).toBe('nul_.txt');
		expect(sanitizeFileName('COM1')).toBe('COM1_');
		expect(sanitizeFileName('lpt9.tar.gz')).toBe('lpt9_.tar.gz');
		expect(sanitizeFileName('AUX ')).toBe('AUX_');
		expect(sanitizeFileName('Conan')).toBe('Conan');
		expect(sanitizeFileName('COM10')).toBe('COM10');
	});

	it('normalises to NFC', () => {
		expect(sanitizeFileName('Cafe\u0301')).toBe('Caf\u00E9');
		expect(nameKey('Cafe\u0301')).toBe(nameKey('CAF\u00C9'));
	});

	it('stays within 255 bytes with .md, never cutting a grapheme', () => {
		const emoji = '👨‍👩‍👧‍👦';
		const long = `${'x'.repeat(240)}${emoji.repeat(5)}`;
		const name = sanitizeFileName(long);
		expect(bytes(`${name}.md`)).toBeLessThanOrEqual(255);
		expect(name).toBe('x'.repeat(240));
		const accents = 'e\u0301'.repeat(200);
		const cut = sanitizeFileName(accents);
		expect(bytes(cut)).toBeLessThanOrEqual(MAX_BASE_NAME_BYTES);
		expect(cut).toBe('\u00E9'.repeat(126));
		const combining = 'a\u0301\u0302\u0303'.repeat(100);
		const graphemeCut = truncateToBytes(combining, 20);
		expect(graphemeCut).toBe('a\u0301\u0302\u0303'.repeat(2));
		expect(sanitizeFileName('🎉'.repeat(100)).length % 2).toBe(0);
		expect(bytes(sanitizeFileName('日本'.repeat(200)))).toBeLessThanOrEqual(252);
	});

	it('re-trims after cutting', () => {
		const name = sanitizeFileName(`${'a'.repeat(250)} .b`);
		expect(name).toBe('a'.repeat(250));
	});
});

describe('fileBaseName', () => {
	const dune = record({ title: 'Dune', author: 'Frank Herbert', series: 'Dune', seriesIndex: 1.5, publishedYear: 1965, isbn13: '9780441013593' });

	it('substitutes placeholders', () => {
		expect(fileBaseName(dune, '{{title}}')).toBe('Dune');
		expect(fileBaseName(dune, '{{author}} - {{title}} ({{publishedYear}})')).toBe('Frank Herbert - Dune (1965)');
		expect(fileBaseName(dune, '{{series}} {{ seriesIndex }} {{isbn13}} {{id}}')).toBe('Dune 1.5 9780441013593 abc123');
	});

	it('renders unknown and missing placeholders empty and never evaluates', () => {
		expect(fileBaseName(dune, '{{title}}{{nope}}{{constructor}}{{__proto__}}')).toBe('Dune');
		expect(fileBaseName(record({ title: 'Dune' }), '{{author}} - {{title}}')).toBe('Dune');
		expect(fileBaseName(record({ title: '{{id}}' }), '{{title}}')).toBe('{{id}}');
		expect(fileBaseName(dune, '{{title.constructor}} {{#each}}')).toBe('{{title.constructor}} {{each}}');
	});

	it('falls back to the id when the result is empty', () => {
		expect(fileBaseName(record({}), '{{title}}')).toBe('abc123');
		expect(fileBaseName(record({ title: '???' }), '{{title}}')).toBe('abc123');
		expect(fileBaseName(record({ id: '../x', title: '' }), '{{title}}')).toBe('-x');
		expect(fileBaseName(record({ title: 'Untitled' }), '{{title}}')).toBe('Untitled');
	});

	it('sanitises the result', () => {
		expect(fileBaseName(record({ title: 'CON' }), '{{title}}')).toBe('CON_');
		expect(fileBaseName(record({ title: 'A/B: C' }), '{{title}}')).toBe('A-B - C');
	});
});

describe('nameKey and disambiguate', () => {
	it('compares names case- and normalisation-insensitively', () => {
		expect(nameKey('Dune')).toBe(nameKey('DUNE'));
		expect(nameKey('Ä')).toBe(nameKey('a\u0308'));
		expect(nameKey('Dune')).not.toBe(nameKey('Dune 2'));
	});

	it('gives a stable, distinct name from the id', () => {
		expect(disambiguate('Dune', 'ab12cd34')).toBe('Dune (ab12cd34)');
		const a = disambiguate('Dune', 'b7e1c2d4-0000-4a5b-9c8d-123456789abc');
		expect(a).toMatch(/^Dune \([0-9a-f]{8}\)$/);
		expect(disambiguate('Dune', 'b7e1c2d4-0000-4a5b-9c8d-123456789abc')).toBe(a);
		expect(disambiguate('Dune', 'b7e1c2d4-0000-4a5b-9c8d-123456789abd')).not.toBe(a);
		expect(disambiguate('Dune', '../evil/id')).toMatch(/^Dune \([0-9a-f]{8}\)$/);
	});

	it('stays within the byte limit', () => {
		const long = sanitizeFileName('ö'.repeat(300));
		const name = disambiguate(long, 'ab12cd34');
		expect(name.endsWith(' (ab12cd34)')).toBe(true);
		expect(bytes(`${name}.md`)).toBeLessThanOrEqual(255);
	});
});
