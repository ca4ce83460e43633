import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/core/errors';
import { dumpProperties, dumpProperty, parseNote, splitFrontmatter, type PropertyValue } from '../../../src/core/render/frontmatter';

function roundTrip(entries: Array<[string, PropertyValue]>): Record<string, unknown> {
	return parseNote(`---\n${dumpProperties(entries)}---\nbody\n`).data;
}

describe('parseNote', () => {
	it('keeps dates as strings and splits body and raw YAML', () => {
		const note = parseNote('---\nadded: 2024-01-15T10:05:07\nday: 2024-01-15\nn: 3\n---\n# Body\n');
		expect(note.data).toEqual({ added: '2024-01-15T10:05:07', day: '2024-01-15', n: 3 });
		expect(note.frontmatter).toBe('added: 2024-01-15T10:05:07\nday: 2024-01-15\nn: 3\n');
		expect(note.body).toBe('# Body\n');
		expect(note.hasFrontmatter).toBe(true);
	});

	it('handles notes without frontmatter, empty frontmatter and CRLF', () => {
		expect(parseNote('just text')).toEqual({ data: {}, frontmatter: '', body: 'just text', hasFrontmatter: false });
		expect(parseNote('---\nnot closed\n')).toMatchObject({ hasFrontmatter: false });
		expect(parseNote('---\n---\nbody')).toEqual({ data: {}, frontmatter: '', body: 'body', hasFrontmatter: true });
		expect(parseNote('---\r\na: 1\r\n---\r\nbody')).toMatchObject({ data: { a: 1 }, body: 'body' });
		expect(parseNote('---\n# only a comment\n---\n').data).toEqual({});
	});

	it('closes only at a line that is exactly ---', () => {
		const parts = splitFrontmatter('---\na: "x"\n----\n---\nbody');
		expect(parts?.yaml).toBe('a: "x"\n----\n');
		expect(parts?.body).toBe('body');
		expect(() => parseNote('---\na: 1\n---x\n---\nbody')).toThrow(SyncError);
	});

	it('throws an io SyncError with one sentence for invalid YAML or a non-mapping', () => {
		for (const text of ['---\na: [\n---\n', '---\na: 1\na: 2\n---\n', '---\n- a\n- b\n---\n', '---\njust a string\n---\n']) {
			try {
				parseNote(text);
				expect.unreachable(text);
			} catch (error) {
				expect(error).toBeInstanceOf(SyncError);
				expect((error as SyncError).kind).toBe('io');
				expect((error as SyncError).message).toBe("The note's properties are not valid YAML; fix them and sync again.");
			}
		}
	});

	it('never runs JavaScript front matter', () => {
		// Evaluating this would throw; it is not even frontmatter for Obsidian (the first line is not `---`).
		const text = '---js\n{ a: (() => { throw new Error("ran") })() }\n---\nbody';
		expect(parseNote(text).hasFrontmatter).toBe(false);
		expect(parseNote('---\n{ a: (() => 1)() }\n---\n').hasFrontmatter).toBe(true);
	});

	it('does not pollute prototypes with __proto__ or constructor keys', () => {
		const note = parseNote('---\n__proto__:\n  polluted: yes\nconstructor: x\n---\n');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(note.data)).toEqual(['__proto__', 'constructor']);
		expect(Object.getPrototypeOf(note.data)).toBe(Object.prototype);
		expect((note.data as { polluted?: unknown }).polluted).toBeUndefined();
	});

	it('does not keep a cache of every parsed note', async () => {
		const matter = (await import('gray-matter')).default as unknown as { cache: Record<string, unknown> };
		const before = Object.keys(matter.cache).length;
		for (let i = 0; i < 50; i++) parseNote(`---\nn: ${i}\n---\nbody ${i}`);
		expect(Object.keys(matter.cache).length).toBe(before);
	});
});

describe('dumpProperty', () => {
	it('writes values the way Obsidian does', () => {
		expect(dumpProperty('pages', 896)).toBe('pages: 896');
		expect(dumpProperty('series_index', 1.5)).toBe('series_index: 1.5');
		expect(dumpProperty('done', false)).toBe('done: false');
		expect(dumpProperty('title', 'Dune')).toBe('title: Dune');
		expect(dumpProperty('author', '[[Frank Herbert]]')).toBe('author: "[[Frank Herbert]]"');
		expect(dumpProperty('added', '2024-01-15T10:05:07')).toBe('added: 2024-01-15T10:05:07');
		expect(dumpProperty('day', '2024-01-15')).toBe('day: 2024-01-15');
		expect(dumpProperty('tags', ['a', 'b/c'])).toBe('tags:\n  - a\n  - b/c');
		expect(dumpProperty('my key', 'x')).toBe('my key: x');
		expect(dumpProperty('key: odd', 'x')).toBe('"key: odd": x');
		expect(dumpProperty('123', 'x')).toBe('"123": x');
	});

	it('quotes strings that would read back as another type', () => {
		for (const text of ['9780441013593', '0441013597', 'true', 'False', 'null', '~', '1.5', '-1', '.5', '1e3', '0x1F', 'yes', 'No', 'on', 'OFF', 'y', '.inf', '.NaN', '']) {
			expect(dumpProperty('v', text)).toMatch(/^v: "/);
			expect(roundTrip([['v', text]]).v).toBe(text);
		}
	});

	it('quotes and escapes anything YAML-significant, and reads it back unchanged', () => {
		const hostile = [
			'a: b', 'a #b', '#tag', '- item', '[x]', '{x}', '&anchor', '*alias', '!tag', '|', '>', '%dir', '@x', '`x`',
			"it's", '"quoted"', 'back\\slash', 'line\nbreak', 'tab\there', ' lead', 'trail ', '---', '...', '? q',
			'<% tp.file.title %>', 'bell\u0007', 'nbsp\u00a0x', 'bidi\u202Eevil', 'emoji 👨‍👩‍👧', 'ümlaut', '日本語', '<<',
		];
		for (const text of hostile) expect(roundTrip([['v', text]]).v).toBe(text);
		expect(dumpProperty('v', '<% tp.file.title %>')).not.toContain('<%');
		expect(dumpProperty('v', 'line\nbreak')).toBe('v: "line\\nbreak"');
	});

	it('round-trips every kind of value and key', () => {
		const entries: Array<[string, PropertyValue]> = [
			['book_id', '000123'], ['n', 42], ['f', -0.25], ['big', 9007199254740991], ['tiny', 1.5e-7], ['huge', 1e21],
			['yes', true], ['no', false], ['list', ['1', 'true', '[[A]]', 'plain']], ['__proto__', 'x'], ['constructor', 'y'],
			['a key', 'v'], ['ключ', 'значение'], ['true', 'k'], ['2024-01-01', 'date key'],
		];
		const data = roundTrip(entries);
		expect(Object.entries(data)).toEqual(entries);
	});

	it('leaves out values that cannot be represented', () => {
		expect(dumpProperty('x', Number.NaN)).toBe('');
		expect(dumpProperty('x', Number.POSITIVE_INFINITY)).toBe('');
		expect(dumpProperty('x', [])).toBe('');
		expect(dumpProperties([['a', 1], ['b', Number.NaN], ['c', []], ['d', 'x']])).toBe('a: 1\nd: x\n');
	});
});
