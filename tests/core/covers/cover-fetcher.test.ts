import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookRecord } from '../../../src/core/api/record';
import { resolveServerUrl } from '../../../src/core/api/server-url';
import { CoverFetcher, type CoverFetcherConfig } from '../../../src/core/covers/cover-fetcher';
import { coverFileStem } from '../../../src/core/covers/cover-policy';
import { SyncError } from '../../../src/core/errors';
import { FakeBinaryTransport, MemoryCoverStore, image } from '../../fakes/memory-cover-store';
import { EVIL_SVG, LOGIN_HTML, tinyJpeg, tinyPng } from '../../server/covers';

const TOKEN = 'tok_Secret-123';
const BASE = 'https://books.example.com/library';
const COVER = 'https://books.example.com/library/covers/bk_1.jpg';
const JPEG = tinyJpeg('bk_1');
const PNG = tinyPng('bk_1');

/** A record with this cover URL (default `/covers/<id>.jpg`); null for none. */
function book(id: string, coverUrl: string | null = `/covers/${id}.jpg`): BookRecord {
	return { id, coverUrl: coverUrl ?? undefined, genres: [], tags: [], files: [] };
}

interface Setup {
	http: FakeBinaryTransport;
	store: MemoryCoverStore;
	sleeps: number[];
	fetcher: (overrides?: Partial<CoverFetcherConfig>, withSleep?: boolean) => CoverFetcher;
}

function setup(): Setup {
	const http = new FakeBinaryTransport();
	const store = new MemoryCoverStore();
	const sleeps: number[] = [];
	return {
		http,
		store,
		sleeps,
		fetcher: (overrides = {}, withSleep = true) =>
			new CoverFetcher(
				{
					http,
					store,
					clock: { now: () => Date.UTC(2025, 0, 1) },
					sleep: withSleep
						? async (ms) => {
								sleeps.push(ms);
							}
						: undefined,
					random: () => 0.5,
				},
				{ baseUrl: BASE, token: TOKEN, authHeader: 'Authorization', folder: 'Books', allowOtherOrigins: false, maxBytes: 1024, timeoutMs: 5000, ...overrides },
			),
	};
}

const noToken = (headers: Record<string, string>): boolean =>
	!Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'authorization' || name.toLowerCase() === 'x-api-key' || value.includes(TOKEN));

describe('CoverFetcher: downloading', () => {
	it('in a dry run: fetches and checks the cover to know the link the real run would write, but writes no file and no index', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, image(PNG));
		const covers = fetcher({ dryRun: true });
		expect(await covers.ensure(book('bk_1'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_1.png' });
		await covers.flush();
		expect(store.files.size).toBe(0);
		expect(await store.readIndex('Books/covers')).toEqual({});
	});

	it('downloads a same-origin cover with the token into <folder>/covers/<id>.<ext>', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, image(JPEG));
		const covers = fetcher();
		expect(covers.folder).toBe('Books/covers');
		expect(await covers.ensure(book('bk_1'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_1.jpg' });
		expect(store.files.get('Books/covers/bk_1.jpg')).toEqual(JPEG);
		expect(http.requests).toHaveLength(1);
		expect(http.requests[0]).toMatchObject({
			url: COVER,
			headers: { Accept: 'image/jpeg, image/png, image/webp, image/gif', Authorization: `Bearer ${TOKEN}` },
			timeoutMs: 5000,
			maxBytes: 1024,
		});
		await covers.flush();
		expect(await store.readIndex('Books/covers')).toEqual({ bk_1: expect.stringMatching(/^jpg:[0-9a-f]{16}$/) as unknown });
	});

	it('sends the bare token in a custom auth header', async () => {
		const { http, fetcher } = setup();
		http.on(COVER, image(JPEG));
		await fetcher({ authHeader: 'X-Api-Key' }).ensure(book('bk_1'));
		expect(http.requests[0]?.headers).toEqual({ Accept: 'image/jpeg, image/png, image/webp, image/gif', 'X-Api-Key': TOKEN });
	});

	it('names the file after what the bytes are, not what the server says among the allowed types', async () => {
		const { http, fetcher } = setup();
		http.on(COVER, image(PNG, 'image/jpeg'));
		expect(await fetcher().ensure(book('bk_1'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_1.png' });
	});

	it('says "none" for a book without a cover and makes no request', async () => {
		const { http, fetcher } = setup();
		const covers = fetcher();
		expect(await covers.ensure(book('bk_1', null))).toEqual({ status: 'none' });
		expect(await covers.ensure(book('bk_1', '  '))).toEqual({ status: 'none' });
		expect(http.requests).toHaveLength(0);
	});
});

describe('CoverFetcher: downloading again only when the cover changed', () => {
	it('does not fetch an unchanged cover again, in this run or the next (index persisted)', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, image(JPEG));
		const first = fetcher();
		await first.ensure(book('bk_1'));
		expect(await first.ensure(book('bk_1'))).toEqual({ status: 'unchanged', path: 'Books/covers/bk_1.jpg' });
		await first.flush();
		const next = fetcher();
		expect(await next.ensure(book('bk_1'))).toEqual({ status: 'unchanged', path: 'Books/covers/bk_1.jpg' });
		await next.flush();
		expect(http.requests).toHaveLength(1);
		expect(store.binaryWrites).toEqual(['Books/covers/bk_1.jpg']);
		expect(store.indexWrites).toBe(1);
	});

	it('fetches again when the cover URL changes, and replaces the file', async () => {
		const { http, store, fetcher } = setup();
		const changed = tinyJpeg('bk_1 v2');
		http.on(COVER, image(JPEG)).on(`${COVER}?v=2`, image(changed));
		const covers = fetcher();
		await covers.ensure(book('bk_1'));
		expect(await covers.ensure(book('bk_1', '/covers/bk_1.jpg?v=2'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_1.jpg' });
		expect(store.files.get('Books/covers/bk_1.jpg')).toEqual(changed);
		expect(await covers.ensure(book('bk_1', '/covers/bk_1.jpg?v=2'))).toMatchObject({ status: 'unchanged' });
		expect(http.requests.map((r) => r.url)).toEqual([COVER, `${COVER}?v=2`]);
	});

	it('fetches again when the file is gone (the user deleted it to refresh it)', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, image(JPEG));
		const covers = fetcher();
		await covers.ensure(book('bk_1'));
		store.files.delete('Books/covers/bk_1.jpg');
		expect(await covers.ensure(book('bk_1'))).toMatchObject({ status: 'downloaded' });
		expect(http.requests).toHaveLength(2);
	});

	it('forgets a cover the book no longer has (the file stays), and fetches it afresh when it comes back', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, image(JPEG));
		const covers = fetcher();
		await covers.ensure(book('bk_1'));
		expect(await covers.ensure(book('bk_1', null))).toEqual({ status: 'none' });
		expect(store.files.has('Books/covers/bk_1.jpg')).toBe(true);
		await covers.flush();
		expect(await store.readIndex('Books/covers')).toEqual({});
		expect(await covers.ensure(book('bk_1'))).toMatchObject({ status: 'downloaded' });
	});

	it('ignores damaged or foreign index entries (they only cost a download)', async () => {
		const { http, store, fetcher } = setup();
		store.indexes.set('Books/covers/library-sync-covers.json', JSON.stringify({ version: 1, covers: { bk_1: 'svg:0123456789abcdef', bk_2: '../../x', bk_3: 42 } }));
		http.on(COVER, image(JPEG));
		expect(await fetcher().ensure(book('bk_1'))).toMatchObject({ status: 'downloaded', path: 'Books/covers/bk_1.jpg' });
		store.indexes.set('Books/covers/library-sync-covers.json', '{ not json');
		expect(await fetcher().ensure(book('bk_1'))).toMatchObject({ status: 'downloaded' });
	});

	it('writes nothing at all when nothing changed', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, image(JPEG));
		const first = fetcher();
		await first.ensure(book('bk_1'));
		await first.flush();
		const writes = [store.binaryWrites.length, store.indexWrites];
		const again = fetcher();
		await again.ensure(book('bk_1'));
		await again.ensure(book('bk_9', null));
		await again.flush();
		expect([store.binaryWrites.length, store.indexWrites]).toEqual(writes);
	});

	it('writes the index along the way every `flushEvery` changes, and keeps changes when a write fails', async () => {
		const { http, store, fetcher } = setup();
		for (let i = 0; i < 5; i++) http.on(`https://books.example.com/library/covers/b${i}.jpg`, image(tinyJpeg(`b${i}`)));
		const covers = fetcher({ flushEvery: 2 });
		for (let i = 0; i < 5; i++) await covers.ensure(book(`b${i}`));
		await Promise.resolve();
		expect(store.indexWrites).toBe(2);
		store.failIndexWrites = true;
		await expect(covers.flush()).rejects.toMatchObject({ kind: 'io' });
		store.failIndexWrites = false;
		await covers.flush();
		expect(Object.keys(await store.readIndex('Books/covers'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
	});
});

describe('CoverFetcher: origins, the token and private addresses', () => {
	it('refuses a cover on another origin by default, without any request', async () => {
		const { http, fetcher } = setup();
		const result = await fetcher().ensure(book('bk_1', 'https://covers.example.org/bk_1.jpg'));
		expect(result.status).toBe('refused');
		expect(result.error).toMatch(/covers\.example\.org/);
		expect(http.requests).toHaveLength(0);
	});

	it('fetches another origin when allowed, never with the token', async () => {
		const { http, fetcher } = setup();
		http.on('https://covers.example.org/bk_1.jpg', image(JPEG));
		for (const authHeader of ['Authorization', 'X-Api-Key']) {
			expect(await fetcher({ allowOtherOrigins: true, authHeader }).ensure(book(`bk_${authHeader}`, 'https://covers.example.org/bk_1.jpg'))).toMatchObject({ status: 'downloaded' });
		}
		expect(http.requests).toHaveLength(2);
		for (const request of http.requests) expect(noToken(request.headers)).toBe(true);
	});

	it('refuses local and private addresses on other origins, even when other origins are allowed', async () => {
		const { http, fetcher } = setup();
		const covers = fetcher({ allowOtherOrigins: true });
		for (const url of ['http://127.0.0.1/a.jpg', 'http://localhost/a.jpg', 'http://169.254.169.254/latest', 'http://[::1]/a.jpg', 'http://10.0.0.8/a.jpg', 'http://192.168.1.1/a.jpg', 'http://[fd00::1]/a.jpg']) {
			expect((await covers.ensure(book('bk_1', url))).status, url).toBe('refused');
		}
		expect(http.requests).toHaveLength(0);
	});

	it('follows same-origin redirects with the token, other-origin ones without it, and refuses the rest', async () => {
		const { http, fetcher } = setup();
		const redirect = (location: string, status = 302) => ({ status, headers: { location }, bytes: new Uint8Array(0) });
		http.on(COVER, redirect('/img/bk_1.jpg'))
			.on('https://books.example.com/img/bk_1.jpg', redirect('https://cdn.example.net/bk_1.jpg', 301))
			.on('https://cdn.example.net/bk_1.jpg', image(JPEG));
		expect(await fetcher({ allowOtherOrigins: true }).ensure(book('bk_1'))).toMatchObject({ status: 'downloaded' });
		expect(http.requests.map((r) => [r.url, noToken(r.headers)])).toEqual([
			[COVER, false],
			['https://books.example.com/img/bk_1.jpg', false],
			['https://cdn.example.net/bk_1.jpg', true],
		]);

		const strict = setup();
		strict.http.on(COVER, redirect('https://cdn.example.net/bk_1.jpg'));
		const refused = await strict.fetcher().ensure(book('bk_1'));
		expect(refused.status).toBe('refused');
		expect(refused.error).toMatch(/redirects elsewhere.*cdn\.example\.net/);
		expect(strict.http.requests).toHaveLength(1);

		const ssrf = setup();
		ssrf.http.on('https://cdn.example.net/x.jpg', redirect('http://169.254.169.254/latest/meta-data'));
		expect(await ssrf.fetcher({ allowOtherOrigins: true }).ensure(book('bk_1', 'https://cdn.example.net/x.jpg'))).toMatchObject({ status: 'refused' });
		expect(ssrf.http.requests).toHaveLength(1);

		const loop = setup();
		loop.http.on(COVER, redirect(COVER));
		expect(await loop.fetcher().ensure(book('bk_1'))).toMatchObject({ status: 'failed', error: expect.stringMatching(/redirected more than 3 times/) as unknown });
		expect(loop.http.requests).toHaveLength(4);
	});
});

describe('CoverFetcher: what is accepted', () => {
	const cases: [string, Uint8Array, string, RegExp][] = [
		['an SVG declared as SVG', new TextEncoder().encode(EVIL_SVG), 'image/svg+xml', /not a JPEG, PNG, WebP or GIF image \(content type image\/svg\+xml\)/],
		['an SVG declared as JPEG', new TextEncoder().encode(EVIL_SVG), 'image/jpeg', /markup such as SVG or HTML/],
		['a login page declared as HTML', new TextEncoder().encode(LOGIN_HTML), 'text/html; charset=utf-8', /content type text\/html/],
		['an image declared as an octet stream', JPEG, 'application/octet-stream', /content type application\/octet-stream/],
		['an empty body', new Uint8Array(0), 'image/png', /it is empty/],
		['a PDF declared as PNG', new TextEncoder().encode('%PDF-1.7 ...'), 'image/png', /not an image/],
	];
	for (const [name, bytes, type, reason] of cases) {
		it(`refuses ${name} and writes nothing`, async () => {
			const { http, store, fetcher } = setup();
			http.on(COVER, image(bytes, type));
			const result = await fetcher().ensure(book('bk_1'));
			expect(result.status).toBe('failed');
			expect(result.path).toBeUndefined();
			expect(result.error).toMatch(reason);
			expect(store.files.size).toBe(0);
		});
	}

	it('refuses a cover without a content type, and a hostile content type is not echoed', async () => {
		const { http, fetcher } = setup();
		http.on(COVER, { status: 200, headers: {}, bytes: JPEG });
		expect((await fetcher().ensure(book('bk_1'))).error).toMatch(/no content type/);
		http.on(COVER, image(JPEG, 'text/html<script>alert(1)</script>'));
		expect((await fetcher().ensure(book('bk_1'))).error).toMatch(/content type unknown/);
	});

	it('refuses a cover over the size cap (the transport stops reading; the fetcher checks too)', async () => {
		const { http, store, fetcher } = setup();
		const big = new Uint8Array(2048);
		big.set(JPEG);
		http.on(COVER, image(big));
		expect(await fetcher({ maxBytes: 1024 }).ensure(book('bk_1'))).toMatchObject({ status: 'failed' });
		const lying: FakeBinaryTransport = Object.assign(new FakeBinaryTransport(), {
			getBytes: async () => image(big),
		});
		const result = await new CoverFetcher({ http: lying, store, clock: { now: () => 0 } }, { baseUrl: BASE, authHeader: 'Authorization', folder: 'Books', allowOtherOrigins: false, maxBytes: 1024 }).ensure(book('bk_1'));
		expect(result).toEqual({ status: 'failed', error: 'The cover from the server at https://books.example.com was too large (over 1 KB); refused.' });
		expect(store.files.size).toBe(0);
	});

	it('uses a 10 MB cap and a 30 s timeout by default', async () => {
		const { http, fetcher } = setup();
		http.on(COVER, image(JPEG));
		await fetcher({ maxBytes: undefined, timeoutMs: undefined }).ensure(book('bk_1'));
		expect(http.requests[0]).toMatchObject({ maxBytes: 10 * 1024 * 1024, timeoutMs: 30_000 });
	});
});

describe('CoverFetcher: failures are values', () => {
	it('reports an HTTP error without retrying 4xx', async () => {
		const { http, fetcher } = setup();
		const result = await fetcher().ensure(book('bk_1'));
		expect(result).toEqual({ status: 'failed', error: 'The cover at books.example.com could not be downloaded (HTTP 404).' });
		expect(http.requests).toHaveLength(1);
	});

	it('retries 5xx, 429 (honouring Retry-After, capped) and network errors once, through the injected sleep', async () => {
		const { http, sleeps, fetcher } = setup();
		http.on(COVER, { status: 503, headers: {}, bytes: new Uint8Array(0) }, image(JPEG));
		expect(await fetcher().ensure(book('bk_1'))).toMatchObject({ status: 'downloaded' });
		http.on('https://books.example.com/library/covers/bk_2.jpg', { status: 429, headers: { 'Retry-After': '7' }, bytes: new Uint8Array(0) }, image(JPEG));
		expect(await fetcher().ensure(book('bk_2'))).toMatchObject({ status: 'downloaded' });
		http.on('https://books.example.com/library/covers/bk_3.jpg', new SyncError('network', 'Could not reach the server.'), image(JPEG));
		expect(await fetcher().ensure(book('bk_3'))).toMatchObject({ status: 'downloaded' });
		http.on('https://books.example.com/library/covers/bk_4.jpg', { status: 429, headers: { 'retry-after': '3600' }, bytes: new Uint8Array(0) }, image(JPEG));
		expect(await fetcher().ensure(book('bk_4'))).toMatchObject({ status: 'downloaded' });
		expect(sleeps).toEqual([750, 7000, 750, 10_000]);
	});

	it('gives up after the retry, and does not retry at all without a sleep', async () => {
		const { http, sleeps, fetcher } = setup();
		http.on(COVER, { status: 502, headers: {}, bytes: new Uint8Array(0) });
		expect(await fetcher().ensure(book('bk_1'))).toMatchObject({ status: 'failed', error: expect.stringContaining('HTTP 502') as unknown });
		expect(http.requests).toHaveLength(2);
		expect(await fetcher({}, false).ensure(book('bk_1'))).toMatchObject({ status: 'failed' });
		expect(http.requests).toHaveLength(3);
		expect(sleeps).toHaveLength(1);
	});

	it('turns transport errors and store errors into results, never into rejections, and never shows the token', async () => {
		const { http, store, fetcher } = setup();
		http.on(COVER, new SyncError('timeout', `No answer from the server (sent Bearer ${TOKEN}).`));
		const timeout = await fetcher({}, false).ensure(book('bk_1'));
		expect(timeout.status).toBe('failed');
		expect(timeout.error).not.toContain(TOKEN);
		expect(timeout.error).toContain('[token]');

		http.on(COVER, new TypeError('socket hang up'));
		expect(await fetcher({}, false).ensure(book('bk_1'))).toEqual({ status: 'failed', error: 'The cover could not be fetched.' });

		http.on(COVER, image(JPEG));
		store.failWrites.add('Books/covers/bk_1.jpg');
		expect(await fetcher().ensure(book('bk_1'))).toEqual({ status: 'failed', error: 'Could not write "Books/covers/bk_1.jpg": the disk is full.' });

		const broken = Object.assign(new MemoryCoverStore(), { readIndex: () => Promise.reject(new Error('EIO')) });
		const covers = new CoverFetcher({ http, store: broken, clock: { now: () => 0 } }, { baseUrl: BASE, authHeader: 'Authorization', folder: 'Books', allowOtherOrigins: false });
		expect(await covers.ensure(book('bk_1'))).toMatchObject({ status: 'downloaded' });
	});

	it('refuses to start with a folder outside the vault or a token that cannot be sent', () => {
		const { fetcher } = setup();
		expect(() => fetcher({ folder: '../elsewhere' })).toThrow(SyncError);
		expect(() => fetcher({ token: 'abc\ndef' })).toThrow(/cannot be sent/);
		expect(() => fetcher({ token: 'abc', authHeader: 'Bad Header' })).toThrow(/not a valid HTTP header name/);
	});
});

describe('CoverFetcher: contained', () => {
	it('writes only directly inside <folder>/covers/, whatever the id and the cover URL (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.string({ unit: 'binary', maxLength: 60 }),
				fc.constantFrom('/covers/x.jpg', '/covers/../../../etc/passwd', '../../../x.jpg', '/a/b/c/d.png?x=../../y', 'c%2F..%2F..%2Fz.jpg'),
				async (id, coverUrl) => {
					const http = new FakeBinaryTransport();
					const store = new MemoryCoverStore();
					const covers = new CoverFetcher({ http, store, clock: { now: () => 0 } }, { baseUrl: BASE, token: TOKEN, authHeader: 'Authorization', folder: 'Books', allowOtherOrigins: false });
					const url = resolveServerUrl(coverUrl, BASE)?.href ?? '';
					expect(url.startsWith(`${BASE}/`)).toBe(true);
					http.on(url, image(tinyPng(id)));
					const result = await covers.ensure(book(id, coverUrl));
					expect(result).toEqual({ status: 'downloaded', path: `Books/covers/${coverFileStem(id)}.png` });
					for (const path of store.binaryWrites) expect(path).toMatch(/^Books\/covers\/[a-z0-9_-]+\.png$/);
				},
			),
			{ numRuns: 200 },
		);
	});
});
