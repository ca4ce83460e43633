/**
 * #11 classes 7 and 8, in-process: server text never becomes a live link in
 * the properties, and a cover address the user did not allow is never put
 * where Obsidian loads it by itself. The end-to-end cases are in
 * hostile-data.e2e.test.ts (every note of the hostile sync is checked by
 * assertInert with the same rules).
 */
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/core/api/decode';
import type { BookRecord } from '../../src/core/api/record';
import { composeNewNote, renderBook } from '../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../src/core/render/options';
import { assertInert } from './inert';

const SERVER = 'https://books.example.org/library';

function record(raw: Record<string, unknown>): BookRecord {
	const result = decodeRecord(raw);
	if (!result.ok) throw new Error(result.reason);
	return result.record;
}

function note(raw: Record<string, unknown>, options: Partial<RenderOptions> = {}, coverPath?: string): string {
	const rendered = renderBook(record(raw), { ...DEFAULT_RENDER_OPTIONS, serverUrl: SERVER, ...options }, { baseName: 'Note', coverPath });
	return composeNewNote(rendered);
}

const LINKY = {
	id: 'links',
	title: '[[Brackets]] and ![[secret.png]]',
	author: '[[Evil]] | Author',
	series: '[[Series]]',
	publisher: '[home](obsidian://open?vault=x)',
	language: '![[Embed]]',
	genres: ['[[Wiki]]', 'Plain'],
	status: '[[[triple]]]',
	possibleDuplicateOf: '[[Dup]]',
	createdBy: '[[admin]]',
	uploader: { label: '[x](https://tracker.example.net/)' },
	progress: { status: '[[reading]]', lastDevice: '[[Kobo]]' },
};

describe('class 7: server text in the properties stays plain text', () => {
	it('neutralises links, embeds and Markdown links in every property and in aliases, and they still read naturally', () => {
		const data = assertInert(note(LINKY), { serverUrl: SERVER });
		expect(data.title).toBe('⟦Brackets⟧ and !⟦secret.png⟧');
		expect(data.aliases).toEqual(['⟦Brackets⟧ and !⟦secret.png⟧']);
		expect(data.author).toEqual(['⟦Evil⟧ | Author']);
		expect(data.series).toBe('⟦Series⟧');
		expect(data.publisher).toBe('[home] (obsidian://open?vault=x)');
		expect(data.language).toBe('!⟦Embed⟧');
		expect(data.genres).toEqual(['⟦Wiki⟧', 'Plain']);
		expect(data.library_status).toBe('⟦[triple⟧]');
		expect(data.possible_duplicate_of).toBe('⟦Dup⟧');
		expect(data.created_by).toBe('⟦admin⟧');
		expect(data.uploader).toBe('[x] (https://tracker.example.net/)');
		expect(data.reading_status).toBe('⟦reading⟧');
		expect(data.last_device).toBe('⟦Kobo⟧');
	});

	it('writes links only where a setting asks for them, one clean wikilink each', () => {
		const linked = { author: true, series: true, publisher: false, genres: true };
		const text = note(LINKY, { links: linked });
		const data = assertInert(text, { serverUrl: SERVER, linkedProperties: ['author', 'series', 'genres'] });
		expect(data.author).toEqual(['[[((Evil)) - Author]]']);
		expect(data.series).toBe('[[((Series))]]');
		expect(data.genres).toEqual(['[[((Wiki))]]', '[[Plain]]']);
		expect(data.publisher).toBe('[home] (obsidian://open?vault=x)');
		// The checker knows the difference: the same note is refused when no setting asked for links.
		expect(() => assertInert(text, { serverUrl: SERVER })).toThrow(/property author holds a link or embed no setting asked for/);
	});

	it('links a duplicate only to the note the engine found, and the downloaded cover only to its image', () => {
		const rendered = renderBook(record(LINKY), { ...DEFAULT_RENDER_OPTIONS, serverUrl: SERVER }, { baseName: 'Note', duplicateOfLink: 'Books/Other [[x]].md', coverPath: 'Books/covers/links.jpg' });
		const data = assertInert(composeNewNote(rendered), { serverUrl: SERVER });
		expect(data.possible_duplicate_of).toBe('[[Books/Other x]]');
		expect(data.cover).toBe('[[Books/covers/links.jpg]]');
	});
});

describe('class 8: a cover address the user did not allow is never loaded by Obsidian', () => {
	const elsewhere = { id: 'far', title: 'Far', coverUrl: 'https://tracker.example.net/pixel.jpg' };

	it('keeps another server\'s cover out of `cover` (the cards\' image) and in plain-text `cover_url` unless allowed', () => {
		const text = note(elsewhere);
		const data = assertInert(text, { serverUrl: SERVER });
		expect(data.cover).toBeUndefined();
		expect(data.cover_url).toBe('https://tracker.example.net/pixel.jpg');
		expect(text).not.toMatch(/!\[[^\]]*\]\(https:\/\/tracker/);
		const allowed = assertInert(note(elsewhere, { coversFromOtherOrigins: true }), { serverUrl: SERVER, allowOtherOrigins: true });
		expect(allowed.cover).toBe('https://tracker.example.net/pixel.jpg');
		expect(allowed.cover_url).toBeUndefined();
	});

	it('never puts a local or private address of another host in `cover`, allowed or not', () => {
		for (const coverUrl of ['http://192.168.1.20/c.jpg', 'http://127.0.0.1:9/c.jpg', 'http://[fd00::1]/c.jpg', 'http://localhost/c.jpg']) {
			const data = assertInert(note({ id: 'lan', title: 'Lan', coverUrl }, { coversFromOtherOrigins: true }), { serverUrl: SERVER, allowOtherOrigins: true });
			expect(data.cover, coverUrl).toBeUndefined();
			expect(data.cover_url, coverUrl).toBe(new URL(coverUrl).href);
		}
	});

	it('keeps the server\'s own cover address in `cover` when it was not downloaded (under the prefix)', () => {
		const data = assertInert(note({ id: 'own', title: 'Own', coverUrl: '/covers/own.jpg' }), { serverUrl: SERVER });
		expect(data.cover).toBe('https://books.example.org/library/covers/own.jpg');
	});

	it('the checker refuses a note whose `cover` is another server\'s address the user did not allow', () => {
		const text = note(elsewhere, { coversFromOtherOrigins: true });
		expect(() => assertInert(text, { serverUrl: SERVER })).toThrow(/a cover on another server, which the user did not allow/);
	});
});
