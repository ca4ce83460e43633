import { describe, expect, it } from 'vitest';
import { parseNote } from '../../../src/core/render/frontmatter';
import { composeNewNote, renderBook } from '../../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS, PROPERTY_KEYS, type RenderOptions } from '../../../src/core/render/options';
import { managedPropertyNames, renderProperties } from '../../../src/core/render/properties';
import { toTags } from '../../../src/core/render/tags';
import { fullRecord, GOLDEN_OPTIONS, hostileRecord, minimalRecord } from './fixtures';

const options = (overrides: Partial<RenderOptions> = {}): RenderOptions => ({ ...DEFAULT_RENDER_OPTIONS, ...overrides });

describe('renderProperties', () => {
	it('represents every field of a full record, id first, in canonical order', () => {
		const properties = renderProperties(fullRecord(), GOLDEN_OPTIONS, { baseName: 'Dune - Deluxe Edition', duplicateOfLink: 'Dune (1)' });
		const names = properties.map(([name]) => name);
		expect(names[0]).toBe('book_id');
		expect(names.slice(1)).toEqual(PROPERTY_KEYS.filter((key) => names.includes(key)));
		// Only paused/finished (absent in the record) are missing, `cover_url` (the cover is in `cover`), and `removed`, which only the removal pass sets.
		expect(PROPERTY_KEYS.filter((key) => !names.includes(key))).toEqual(['cover_url', 'finished', 'paused', 'removed']);
		const map = new Map(properties);
		expect(map.get('published_year')).toBe(1965);
		// A list, as Obsidian Web Clipper writes `author`: one type for the name across the vault.
		expect(map.get('author')).toEqual(['[[Frank Herbert]]']);
		expect(map.get('series_index')).toBe(1);
		expect(map.get('isbn13')).toBe('9780441013593');
		expect(map.get('publisher')).toBe('Ace');
		expect(map.get('aliases')).toEqual(['Dune: Deluxe Edition']);
		expect(map.get('formats')).toEqual(['epub', 'pdf']);
		expect(map.get('cover')).toBe('https://books.example.org/library/covers/dune.jpg');
		expect(map.get('possible_duplicate_of')).toBe('[[Dune (1)]]');
		expect(map.get('progress_manual')).toBe(false);
		expect(map.get('last_read')).toBe('2024-10-27T02:30:00');
	});

	it('round-trips through YAML to the same values', () => {
		for (const record of [fullRecord(), minimalRecord(), hostileRecord()]) {
			const rendered = renderBook(record, GOLDEN_OPTIONS, { baseName: 'x' });
			const data = parseNote(composeNewNote(rendered)).data;
			expect(Object.entries(data)).toEqual(rendered.properties);
		}
	});

	it('renders a minimal record as the id alone', () => {
		expect(renderProperties(minimalRecord(), options(), { baseName: 'min-1' })).toEqual([['book_id', 'min-1']]);
	});

	it('never renders null, undefined, NaN or invalid dates', () => {
		const record = { ...fullRecord(), publishedYear: Number.NaN, pageCount: Number.POSITIVE_INFINITY, createdAt: Number.NaN, title: '  ', author: '\u200B' };
		const properties = renderProperties(record, options(), { baseName: 'x' });
		const names = properties.map(([name]) => name);
		for (const missing of ['published_year', 'pages', 'added', 'title', 'aliases', 'author']) expect(names).not.toContain(missing);
		for (const [, value] of properties) {
			expect(value).not.toBeNull();
			expect(value).not.toBeUndefined();
			expect(Number.isNaN(value)).toBe(false);
		}
	});

	it('honours renamed and left-out properties but never renames the id away', () => {
		const opts = options({ idProperty: 'lib_id', propertyNames: { title: 'name', author: null, tags: 'lib_id', series: 'name' } });
		const names = renderProperties(fullRecord(), opts, { baseName: 'x' }).map(([name]) => name);
		expect(names[0]).toBe('lib_id');
		expect(names.filter((name) => name === 'lib_id')).toHaveLength(1);
		expect(names).toContain('name');
		expect(names.filter((name) => name === 'name')).toHaveLength(1);
		expect(names).not.toContain('author');
		expect(names).not.toContain('title');
		const managed = managedPropertyNames(opts);
		expect(managed.has('lib_id')).toBe(true);
		expect(managed.has('author')).toBe(false);
		expect(managed.has('aliases')).toBe(true);
		for (const name of names) expect(managed.has(name)).toBe(true);
	});

	it('writes aliases only when the file name differs from the title', () => {
		const record = { ...minimalRecord(), title: 'Dune' };
		expect(new Map(renderProperties(record, options(), { baseName: 'Dune' })).has('aliases')).toBe(false);
		expect(new Map(renderProperties(record, options(), { baseName: 'Dune (ab12)' })).get('aliases')).toEqual(['Dune']);
	});

	it('renders links as sanitised wikilinks when asked', () => {
		const record = { ...minimalRecord(), author: 'A/B: C', series: 'S', publisher: 'P#1', genres: ['Sci|Fi'] };
		const map = new Map(renderProperties(record, options({ links: { author: true, series: true, publisher: true, genres: true } }), { baseName: 'x' }));
		expect(map.get('author')).toEqual(['[[A-B - C]]']);
		expect(map.get('series')).toBe('[[S]]');
		expect(map.get('publisher')).toBe('[[P1]]');
		expect(map.get('genres')).toEqual(['[[Sci-Fi]]']);
	});

	it('resolves cover URLs under the server URL\'s prefix and rejects other schemes', () => {
		const cover = (coverUrl: string, serverUrl: string): unknown =>
			new Map(renderProperties({ ...minimalRecord(), coverUrl }, options({ serverUrl }), { baseName: 'x' })).get('cover');
		expect(cover('/api/covers/1.jpg', 'https://h.example/lib/')).toBe('https://h.example/lib/api/covers/1.jpg');
		expect(cover('covers/1.jpg', 'https://h.example')).toBe('https://h.example/covers/1.jpg');
		expect(cover('/covers/[[Evil]].jpg', 'https://h.example')).toBe('https://h.example/covers/%5B%5BEvil%5D%5D.jpg');
		expect(cover('javascript:alert(1)', 'https://h.example')).toBeUndefined();
		expect(cover('file:///etc/passwd', 'https://h.example')).toBeUndefined();
		expect(cover('/covers/1.jpg', '')).toBeUndefined();
	});

	it('puts an address in `cover` only when Obsidian may load it; any other stays readable in `cover_url`', () => {
		const props = (coverUrl: string, allow: boolean, coverPath?: string): Map<string, unknown> =>
			new Map(renderProperties({ ...minimalRecord(), coverUrl }, options({ serverUrl: 'https://h.example/lib', coversFromOtherOrigins: allow }), { baseName: 'x', coverPath }));
		const elsewhere = props('https://cdn.example/1.jpg', false);
		expect([elsewhere.get('cover'), elsewhere.get('cover_url')]).toEqual([undefined, 'https://cdn.example/1.jpg']);
		const allowed = props('https://cdn.example/1.jpg', true);
		expect([allowed.get('cover'), allowed.get('cover_url')]).toEqual(['https://cdn.example/1.jpg', undefined]);
		// A private address on another host is never loaded, allowed or not.
		const lan = props('http://192.168.1.9/1.jpg', true);
		expect([lan.get('cover'), lan.get('cover_url')]).toEqual([undefined, 'http://192.168.1.9/1.jpg']);
		const own = props('/covers/1.jpg', false);
		expect([own.get('cover'), own.get('cover_url')]).toEqual(['https://h.example/lib/covers/1.jpg', undefined]);
		const downloaded = props('https://cdn.example/1.jpg', true, 'Books/covers/x.jpg');
		expect([downloaded.get('cover'), downloaded.get('cover_url')]).toEqual(['[[Books/covers/x.jpg]]', undefined]);
	});

	it('uses the uploader label, else its id, and the raw duplicate id without a link', () => {
		const record = { ...minimalRecord(), uploader: { id: 'u1' }, possibleDuplicateOf: 'other-id' };
		const map = new Map(renderProperties(record, options(), { baseName: 'x' }));
		expect(map.get('uploader')).toBe('u1');
		expect(map.get('possible_duplicate_of')).toBe('other-id');
	});
});

describe('toTags', () => {
	it('makes valid, distinct Obsidian tags', () => {
		expect(toTags(['Science Fiction', '#fantasy', 'sci-fi', 'SCIENCE FICTION', 'a / b', 'c//d/', "it's", '1984', '!!!', ''], ''))
			.toEqual(['Science-Fiction', 'fantasy', 'sci-fi', 'a/b', 'c/d', 'its', '_1984']);
		expect(toTags(['1984', 'Fantasy'], 'books/')).toEqual(['books/1984', 'books/Fantasy']);
		expect(toTags(['x'], '#my lib')).toEqual(['my-lib/x']);
	});

	it('keeps emoji and symbols, which Obsidian allows in tags, and collapses what it does not into one separator', () => {
		expect(toTags(['📚 to read', 'sci-fi & fantasy', 'rock\'n\'roll', 'a + b = c', 'C# (lang)', '👩‍💻 code', 'déjà vu', '★★★'], '')).toEqual([
			'📚-to-read', 'sci-fi-fantasy', 'rocknroll', 'a-b-c', 'C-lang', '👩‍💻-code', 'déjà-vu', '★★★',
		]);
		expect(toTags(['!!!', ' - ', '&'], '')).toEqual([]);
	});
});
