import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	coverFileStem,
	coverPathFor,
	coversFolderOf,
	coverWikilink,
	decideCover,
	decideRedirect,
	isInsideCoversFolder,
	isPrivateHost,
} from '../../../src/core/covers/cover-policy';
import { shortHash } from '../../../src/core/covers/short-hash';
import { SyncError } from '../../../src/core/errors';

const BASE = 'https://books.example.com/library';

describe('decideCover: resolving and the token', () => {
	it('resolves server-relative and relative URLs below the prefix (the server writes its paths from the server URL)', () => {
		expect(decideCover('/covers/bk_1.jpg', BASE, false)).toEqual({ kind: 'fetch', url: 'https://books.example.com/library/covers/bk_1.jpg', withToken: true });
		expect(decideCover('covers/bk_1.jpg', BASE, false)).toEqual({ kind: 'fetch', url: 'https://books.example.com/library/covers/bk_1.jpg', withToken: true });
		expect(decideCover(' https://books.example.com/x/1.png#frag ', `${BASE}/`, false)).toEqual({ kind: 'fetch', url: 'https://books.example.com/x/1.png', withToken: true });
		// A pasted feed URL as the base is reduced to the base, as for the feed.
		expect(decideCover('c/1.jpg', `${BASE}/api/library/sync`, false)).toMatchObject({ url: 'https://books.example.com/library/c/1.jpg' });
	});

	it('keeps the query (signed URLs) and resolves dot segments inside the prefix, which only change the request, never the vault path', () => {
		expect(decideCover('/covers/../../../etc/passwd', BASE, false)).toEqual({ kind: 'fetch', url: 'https://books.example.com/library/etc/passwd', withToken: true });
		expect(decideCover('/c/1.jpg?v=3&sig=abc', BASE, false)).toMatchObject({ url: 'https://books.example.com/library/c/1.jpg?v=3&sig=abc' });
	});

	it('refuses another origin unless allowed, and then never sends the token', () => {
		const elsewhere = decideCover('https://covers.example.org/bk_0924.jpg', BASE, false);
		expect(elsewhere.kind).toBe('refused');
		expect(elsewhere).toMatchObject({ reason: expect.stringContaining('covers.example.org') as unknown });
		expect(decideCover('https://covers.example.org/bk_0924.jpg', BASE, true)).toEqual({ kind: 'fetch', url: 'https://covers.example.org/bk_0924.jpg', withToken: false });
		expect(decideCover('//covers.example.org/a.jpg', BASE, true)).toEqual({ kind: 'fetch', url: 'https://covers.example.org/a.jpg', withToken: false });
	});

	it('treats another scheme or port on the same host as another origin (no token over plain http)', () => {
		expect(decideCover('http://books.example.com/covers/1.jpg', BASE, false).kind).toBe('refused');
		expect(decideCover('http://books.example.com/covers/1.jpg', BASE, true)).toMatchObject({ withToken: false });
		expect(decideCover('https://books.example.com:8443/covers/1.jpg', BASE, true)).toMatchObject({ withToken: false });
		expect(decideCover('https://BOOKS.example.com:443/covers/1.jpg', BASE, false)).toMatchObject({ kind: 'fetch', withToken: true });
	});

	it('refuses non-web schemes, credentials in the URL, garbage and blanks', () => {
		for (const url of ['data:image/png;base64,AAAA', 'javascript:alert(1)', 'file:///etc/passwd', 'obsidian://open?vault=x', 'ftp://books.example.com/a.jpg']) {
			expect(decideCover(url, BASE, true).kind, url).toBe('refused');
		}
		expect(decideCover('https://user:pw@books.example.com/a.jpg', BASE, true).kind).toBe('refused');
		expect(decideCover('http://[::1', BASE, true).kind).toBe('refused');
		expect(decideCover('   ', BASE, true).kind).toBe('refused');
		expect(decideCover('/a.jpg', 'not a url', true).kind).toBe('refused');
	});

	it('refuses local and private hosts on other origins, but not the server’s own host', () => {
		for (const url of [
			'http://127.0.0.1/a.jpg',
			'http://127.1/a.jpg',
			'http://2130706433/a.jpg',
			'http://localhost:8080/a.jpg',
			'http://LOCALHOST./a.jpg',
			'http://printer.localhost/a.jpg',
			'http://10.1.2.3/a.jpg',
			'http://172.20.0.1/a.jpg',
			'http://192.168.0.10/a.jpg',
			'http://169.254.169.254/latest/meta-data',
			'http://0.0.0.0/a.jpg',
			'http://[::1]/a.jpg',
			'http://[fe80::1]/a.jpg',
			'http://[fd12:3456::1]/a.jpg',
			'http://[::ffff:127.0.0.1]/a.jpg',
		]) {
			const decision = decideCover(url, BASE, true);
			expect(decision.kind, url).toBe('refused');
		}
		// A server at home: covers on its own host, another port, are fine (without the token).
		expect(decideCover('http://192.168.1.4:9000/a.jpg', 'http://192.168.1.4:8080', true)).toEqual({ kind: 'fetch', url: 'http://192.168.1.4:9000/a.jpg', withToken: false });
		expect(decideCover('/a.jpg', 'http://127.0.0.1:8080', false)).toEqual({ kind: 'fetch', url: 'http://127.0.0.1:8080/a.jpg', withToken: true });
		// ...but not on another private machine.
		expect(decideCover('http://192.168.1.5/a.jpg', 'http://192.168.1.4:8080', true).kind).toBe('refused');
	});

	it('applies the same rules to redirect targets, resolved against the URL that redirected', () => {
		expect(decideRedirect('/other/1.jpg', 'https://books.example.com/covers/1.jpg', BASE, false)).toEqual({ kind: 'fetch', url: 'https://books.example.com/other/1.jpg', withToken: true });
		expect(decideRedirect('next.jpg', 'https://cdn.example.net/a/1.jpg', BASE, true)).toEqual({ kind: 'fetch', url: 'https://cdn.example.net/a/next.jpg', withToken: false });
		expect(decideRedirect('https://cdn.example.net/1.jpg', 'https://books.example.com/covers/1.jpg', BASE, false).kind).toBe('refused');
		expect(decideRedirect('http://169.254.169.254/', 'https://cdn.example.net/1.jpg', BASE, true).kind).toBe('refused');
		expect(decideRedirect('javascript:alert(1)', 'https://books.example.com/covers/1.jpg', BASE, true).kind).toBe('refused');
	});

	it('names at most the host in a reason, never the path or the query', () => {
		const decision = decideCover('https://covers.example.org/secret/path.jpg?sig=XYZ', BASE, false);
		expect(decision.kind === 'refused' && decision.reason).toMatch(/covers\.example\.org/);
		expect(decision.kind === 'refused' && decision.reason).not.toMatch(/secret|sig|XYZ/);
	});
});

describe('isPrivateHost', () => {
	it('knows loopback, private, link-local, shared and unique-local ranges in every spelling', () => {
		for (const host of [
			'localhost', 'LocalHost', 'localhost.', 'a.b.localhost',
			'127.0.0.1', '127.255.255.254', '127.1', '0x7f.0.0.1', '2130706433', '0.0.0.0',
			'10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.0.1', '100.64.0.1', '100.127.255.255',
			'::1', '[::1]', '::', '[::]', 'fe80::1', '[FE80::abcd]', 'febf::1', 'fc00::1', 'fdff:ffff::1', 'fec0::1',
			'::ffff:127.0.0.1', '[::ffff:7f00:1]', '::ffff:10.0.0.1', '::ffff:192.168.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe',
		]) {
			expect(isPrivateHost(host), host).toBe(true);
		}
	});

	it('lets public hosts through', () => {
		for (const host of [
			'example.com', 'books.example.com', 'localhost.example.com', 'mylocalhost',
			'8.8.8.8', '1.1.1.1', '172.15.0.1', '172.32.0.1', '192.169.0.1', '169.255.0.1', '100.63.0.1', '100.128.0.1', '11.0.0.1',
			'2001:db8::1', '[2606:4700::1111]', '::ffff:8.8.8.8', 'fe00::1', 'ff02::1',
		]) {
			expect(isPrivateHost(host), host).toBe(false);
		}
	});
});

describe('cover paths', () => {
	it('uses a plain lower-case id as it is', () => {
		expect(coverFileStem('bk_0001')).toBe('bk_0001');
		expect(coverFileStem('42')).toBe('42');
		expect(coverPathFor('Books', 'bk_0001', 'jpg')).toBe('Books/covers/bk_0001.jpg');
		expect(coverPathFor('', 'bk_0001', 'png')).toBe('covers/bk_0001.png');
		expect(coverPathFor('/Library/Books/', 'x', 'webp')).toBe('Library/Books/covers/x.webp');
		expect(coversFolderOf('Books')).toBe('Books/covers');
	});

	it('hashes ids that are not plain: case, separators, device names, dot paths, length', () => {
		const hostile = ['BK_0001', 'a/b', '..', '../../etc/passwd', 'C:\\Windows', 'con', 'NUL', 'lpt1', '', ' ', '_x', '-x', 'a'.repeat(65), 'book#1', '[[x]]', 'ñandú', '\u202Eevil'];
		for (const id of hostile) {
			const stem = coverFileStem(id);
			expect(stem, id).toMatch(/^_([a-z0-9_-]{1,32}-)?[0-9a-f]{16}$/);
			expect(stem.endsWith(shortHash(id)), id).toBe(true);
		}
		expect(coverFileStem('../../etc/passwd')).toBe(`_etc_passwd-${shortHash('../../etc/passwd')}`);
		expect(coverFileStem('')).toBe(`_${shortHash('')}`);
		expect(coverFileStem('Ab')).not.toBe(coverFileStem('ab'));
	});

	it('gives every id a safe stem, and different ids different stems (property)', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), (a, b) => {
				const stem = coverFileStem(a);
				expect(stem).toMatch(/^[a-z0-9_-]{1,64}$/);
				expect(stem.startsWith('.')).toBe(false);
				if (a !== b) expect(coverFileStem(b)).not.toBe(stem);
				const path = coverPathFor('Books', a, 'jpg');
				expect(isInsideCoversFolder(path, 'Books/covers')).toBe(true);
			}),
			{ numRuns: 500 },
		);
	});

	it('refuses a library folder that climbs out of the vault', () => {
		expect(() => coversFolderOf('../outside')).toThrow(SyncError);
		expect(() => coverPathFor('Books/../../x', 'a', 'jpg')).toThrow(/inside the vault/);
	});

	it('isInsideCoversFolder accepts only files directly in the folder', () => {
		expect(isInsideCoversFolder('Books/covers/a.jpg', 'Books/covers')).toBe(true);
		expect(isInsideCoversFolder('Books/covers', 'Books/covers')).toBe(false);
		expect(isInsideCoversFolder('Books/covers/', 'Books/covers')).toBe(false);
		expect(isInsideCoversFolder('Books/covers/sub/a.jpg', 'Books/covers')).toBe(false);
		expect(isInsideCoversFolder('Books/covers/..', 'Books/covers')).toBe(false);
		expect(isInsideCoversFolder('Books/coversX/a.jpg', 'Books/covers')).toBe(false);
		expect(isInsideCoversFolder('Books/covers/a\\..\\b.jpg', 'Books/covers')).toBe(false);
	});

	it('links a cover as a wikilink to its vault path', () => {
		expect(coverWikilink('Books/covers/bk_1.jpg')).toBe('[[Books/covers/bk_1.jpg]]');
	});
});

describe('shortHash', () => {
	it('is 64-bit FNV-1a over UTF-8, as 16 hex digits', () => {
		expect(shortHash('')).toBe('cbf29ce484222325');
		expect(shortHash('a')).toBe('af63dc4c8601ec8c');
		expect(shortHash('foobar')).toBe('85944171f73967e8');
		expect(shortHash('é')).toBe(shortHash('\u00e9'));
		expect(shortHash('é')).not.toBe(shortHash('e\u0301'));
	});
});
