import { Buffer } from 'node:buffer';
import { request as httpRequest, Agent } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawBook } from './raw-book';
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from './reference-server';
import { sampleLibrary } from './sample-library';

interface SyncBody {
	data: RawBook[];
	pagination: { page: number; limit: number; total: number; totalPages: number };
	serverTime: string;
}

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0, 250);
let clock = T0;
let running: ReferenceServer[] = [];

async function start(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
	const server = await startReferenceServer({ now: () => clock, ...options });
	running.push(server);
	return server;
}

/** Node's fetch: these tests run in Node against loopback, not in Obsidian. */
function http(url: string, init: RequestInit = {}): Promise<Response> {
	return fetch(url, init);
}

async function get(server: ReferenceServer, query = '', init: RequestInit = {}): Promise<Response> {
	return http(`${server.url}/api/library/sync${query}`, init);
}

async function page(server: ReferenceServer, query = '', init: RequestInit = {}): Promise<SyncBody> {
	const response = await get(server, query, init);
	expect(response.status).toBe(200);
	return (await response.json()) as SyncBody;
}

function book(id: string, title: string, extra: Partial<RawBook> = {}): RawBook {
	return { id, title, updatedAt: '2024-01-01T00:00:00.000Z', progress: null, ...extra };
}

afterEach(async () => {
	await Promise.all(running.map((server) => server.stop()));
	running = [];
	clock = T0;
});

describe('reference server: the feed', () => {
	it('serves the first page by default with the contract envelope and JSON content type', async () => {
		const server = await start({ books: sampleLibrary() });
		expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
		const response = await get(server);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		const body = (await response.json()) as SyncBody;
		const total = sampleLibrary().length;
		expect(body.pagination).toEqual({ page: 1, limit: 20, total, totalPages: Math.ceil(total / 20) });
		expect(body.data).toHaveLength(20);
		expect(body.serverTime).toBe('2025-06-01T12:00:00.250Z');
	});

	it('serialises records in their raw shape, unchanged', async () => {
		const books = sampleLibrary();
		const server = await start({ books });
		const all = await page(server, '?limit=100&page=1');
		const all2 = await page(server, '?limit=100&page=2');
		const byId = new Map([...all.data, ...all2.data].map((record) => [record.id, record]));
		for (const original of books) expect(byId.get(original.id)).toEqual(JSON.parse(JSON.stringify(original)));
		expect(byId.get('bk_0922')?.files?.[0]?.fileSize).toBe('9007199254740993');
	});

	it('sorts by title then id, so every book appears exactly once across pages', async () => {
		const server = await start({ books: sampleLibrary() });
		const ids: string[] = [];
		const titles: string[] = [];
		for (let n = 1; n <= 9; n++) {
			const body = await page(server, `?page=${n}`);
			ids.push(...body.data.map((record) => record.id));
			titles.push(...body.data.map((record) => record.title ?? ''));
		}
		expect(ids).toHaveLength(sampleLibrary().length);
		expect(new Set(ids).size).toBe(ids.length);
		expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
		expect(ids.indexOf('bk_0908')).toBe(ids.indexOf('bk_0909') - 1);
		expect(server.books().map((record) => record.id)).toEqual(ids);
	});

	it('does the pagination maths, including the last partial page and pages past the end', async () => {
		const books = Array.from({ length: 45 }, (_, i) => book(`b${String(i).padStart(2, '0')}`, `Title ${String(i).padStart(2, '0')}`));
		const server = await start({ books });
		const third = await page(server, '?page=3&limit=20');
		expect(third.pagination).toEqual({ page: 3, limit: 20, total: 45, totalPages: 3 });
		expect(third.data.map((record) => record.id)).toEqual(['b40', 'b41', 'b42', 'b43', 'b44']);
		const beyond = await page(server, '?page=4&limit=20');
		expect(beyond.data).toEqual([]);
		expect(beyond.pagination).toEqual({ page: 4, limit: 20, total: 45, totalPages: 3 });
		expect((await page(server, '?limit=100')).data).toHaveLength(45);
		expect((await page(server, '?limit=1&page=45')).data.map((record) => record.id)).toEqual(['b44']);
		const empty = await start({ books: [] });
		expect((await page(empty)).pagination).toEqual({ page: 1, limit: 20, total: 0, totalPages: 0 });
	});

	it.each([
		'?page=0', '?page=-1', '?page=abc', '?page=1.5', '?page=', '?page=1&page=2',
		'?limit=0', '?limit=101', '?limit=abc', '?limit=2.0', '?limit=%201',
		'?since=abc', '?since=2024-02-30', '?since=2024-01-01T10:00:00', '?since=2024-01-01T25:00:00Z', '?since=',
	])('answers %s with a JSON 400', async (query) => {
		const server = await start({ books: sampleLibrary() });
		const response = await get(server, query);
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toContain('application/json');
		const body = (await response.json()) as { error: string; message: string };
		expect(body.error).toBe('bad_request');
		expect(body.message).toMatch(/page|limit|since/);
	});

	it('accepts the boundary values', async () => {
		const server = await start({ books: sampleLibrary() });
		expect((await page(server, '?limit=1')).data).toHaveLength(1);
		expect((await page(server, '?limit=100')).data).toHaveLength(100);
		expect((await get(server, `?since=${encodeURIComponent('2024-01-01T10:00:00+02:00')}`)).status).toBe(200);
		expect((await get(server, '?since=2024-01-01')).status).toBe(200);
	});

	it('serves `ignoreLimit` books per page whatever the client asks, and reports it', async () => {
		const server = await start({ books: sampleLibrary(), ignoreLimit: 7 });
		const body = await page(server, '?limit=100&page=2');
		expect(body.data).toHaveLength(7);
		expect(body.pagination).toEqual({ page: 2, limit: 7, total: sampleLibrary().length, totalPages: Math.ceil(sampleLibrary().length / 7) });
	});
});

describe('reference server: since', () => {
	const books = [
		// Metadata old, progress newer (seconds timestamp): the later of the two counts.
		book('a', 'Alpha', { updatedAt: '2024-01-01T00:00:00.000Z', progress: { percentage: 10, lastTimestamp: Date.UTC(2024, 5, 1) / 1000 } }),
		book('b', 'Beta', { updatedAt: '2024-05-01T00:00:00.000Z' }),
		// Progress in milliseconds.
		book('c', 'Gamma', { updatedAt: '2023-01-01T00:00:00.000Z', progress: { percentage: 50, lastTimestamp: Date.UTC(2024, 6, 1) } }),
		book('d', 'Delta', { updatedAt: '2023-06-01T00:00:00.000Z' }),
	];
	const ids = (body: SyncBody): string[] => body.data.map((record) => record.id).sort();

	it('filters on the later of the metadata and progress change times, strictly after', async () => {
		const server = await start({ books });
		expect(ids(await page(server, '?since=2024-03-01T00:00:00Z'))).toEqual(['a', 'b', 'c']);
		expect(ids(await page(server, '?since=2024-05-01T00:00:00.000Z'))).toEqual(['a', 'c']);
		expect(ids(await page(server, '?since=2024-04-30T23:59:59.999Z'))).toEqual(['a', 'b', 'c']);
		expect(ids(await page(server, `?since=${encodeURIComponent('2024-05-01T02:00:00+02:00')}`))).toEqual(['a', 'c']);
		expect(ids(await page(server, '?since=2024-06-15T00:00:00Z'))).toEqual(['c']);
		const none = await page(server, '?since=2025-01-01T00:00:00Z');
		expect(none.data).toEqual([]);
		expect(none.pagination.total).toBe(0);
		expect((await page(server, '?since=2024-03-01T00:00:00Z')).pagination.total).toBe(3);
	});

	it('sees every mutation made after a serverTime, and nothing else', async () => {
		const server = await start({ books });
		const first = await page(server);
		expect(first.data).toHaveLength(4);
		const cursor = encodeURIComponent(first.serverTime);
		expect((await page(server, `?since=${cursor}`)).data).toEqual([]);

		clock += 1000;
		server.mutate.setProgress('d', { percentage: 42, status: 'reading' });
		let changed = await page(server, `?since=${cursor}`);
		expect(ids(changed)).toEqual(['d']);
		expect(changed.data[0]?.progress).toEqual({ percentage: 42, status: 'reading' });
		expect(changed.data[0]?.updatedAt).toBe('2023-06-01T00:00:00.000Z');

		clock += 1000;
		server.mutate.retitle('b', 'Zeta');
		changed = await page(server, `?since=${cursor}`);
		expect(changed.data.map((record) => record.id)).toEqual(['d', 'b']);
		expect(changed.data[1]?.updatedAt).toBe(new Date(clock).toISOString());

		const second = changed.serverTime;
		clock += 1000;
		server.mutate.update('a', { author: 'Someone', pageCount: 12, id: 'ignored' });
		server.mutate.add(book('e', 'Epsilon'));
		changed = await page(server, `?since=${encodeURIComponent(second)}`);
		expect(ids(changed)).toEqual(['a', 'e']);
		expect(changed.data.find((record) => record.id === 'a')).toMatchObject({ author: 'Someone', pageCount: 12, updatedAt: new Date(clock).toISOString() });

		server.mutate.remove('c');
		const all = await page(server);
		expect(ids(all)).toEqual(['a', 'b', 'd', 'e']);
		expect(all.pagination.total).toBe(4);
		server.mutate.setProgress('d', null);
		expect(server.books().find((record) => record.id === 'd')?.progress).toBeNull();
	});

	it('rejects mutations of unknown ids and duplicate adds', async () => {
		const server = await start({ books });
		expect(() => server.mutate.retitle('nope', 'x')).toThrow(/nope/);
		expect(() => server.mutate.remove('nope')).toThrow(/nope/);
		expect(() => server.mutate.add(book('a', 'Again'))).toThrow(/already exists/);
	});

	it('hands out copies: changing what books() returns does not change the server', async () => {
		const server = await start({ books });
		const copy = server.books();
		(copy[0] as RawBook).title = 'Changed';
		expect(server.books()[0]?.title).toBe('Alpha');
	});
});

describe('reference server: token, prefix and routes', () => {
	it('requires `Authorization: Bearer <token>` when a token is set', async () => {
		const server = await start({ books: sampleLibrary(), token: 's3cret' });
		const missing = await get(server);
		expect(missing.status).toBe(401);
		expect(missing.headers.get('www-authenticate')).toBe('Bearer');
		expect(((await missing.json()) as { error: string }).error).toBe('unauthorized');
		expect((await get(server, '', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
		expect((await get(server, '', { headers: { Authorization: 's3cret' } })).status).toBe(401);
		expect((await get(server, '', { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
	});

	it('takes the bare token in a custom header', async () => {
		const server = await start({ books: [], token: 'k', authHeader: 'X-Api-Key' });
		expect((await get(server, '', { headers: { Authorization: 'Bearer k' } })).status).toBe(401);
		expect((await get(server, '', { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
		expect((await get(server, '', { headers: { 'X-Api-Key': 'k' } })).status).toBe(200);
	});

	it('serves under a path prefix and answers 404 everywhere else', async () => {
		const server = await start({ books: sampleLibrary(), pathPrefix: '/library/' });
		expect(server.url).toBe(`http://127.0.0.1:${server.port}/library`);
		expect((await get(server)).status).toBe(200);
		const root = await http(`http://127.0.0.1:${server.port}/api/library/sync`);
		expect(root.status).toBe(404);
		expect(root.headers.get('content-type')).toContain('application/json');
		expect((await http(`${server.url}/api/library/sync/`)).status).toBe(404);
		expect((await http(`${server.url}/`)).status).toBe(404);
		expect((await http(`${server.url}/api/library/sync`, { method: 'POST' })).status).toBe(405);
	});

	it('records every request with its url, headers and status', async () => {
		const server = await start({ books: [], token: 't' });
		await get(server, '?page=1&limit=5', { headers: { Authorization: 'Bearer t', 'X-Trace': 'one' } });
		await get(server, '?page=0', { headers: { Authorization: 'Bearer t' } });
		await get(server);
		expect(server.requests.map((r) => [r.url, r.status])).toEqual([
			['/api/library/sync?page=1&limit=5', 200],
			['/api/library/sync?page=0', 400],
			['/api/library/sync', 401],
		]);
		expect(server.requests[0]?.headers['x-trace']).toBe('one');
	});
});

describe('reference server: faults', () => {
	it('applies queued faults in order, one per request, then serves normally', async () => {
		const server = await start({ books: sampleLibrary() });
		server.faults.push({ kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfter: '2' });
		const first = await get(server);
		expect(first.status).toBe(503);
		expect(((await first.json()) as { error: string }).error).toBe('injected');
		const second = await get(server);
		expect(second.status).toBe(429);
		expect(second.headers.get('retry-after')).toBe('2');
		expect((await get(server)).status).toBe(200);
		expect(server.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined]);
	});

	it('sends a custom status body and content type, and clear() drops queued faults', async () => {
		const server = await start({ books: [] });
		server.faults.push({ kind: 'status', status: 502, body: '<h1>Bad Gateway</h1>', contentType: 'text/html' });
		const response = await get(server);
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toBe('<h1>Bad Gateway</h1>');
		server.faults.push({ kind: 'status', status: 500 }, { kind: 'html' });
		server.faults.clear();
		expect((await get(server)).status).toBe(200);
	});

	it('html: 200 with a login page', async () => {
		const server = await start({ books: [] });
		server.faults.push({ kind: 'html' });
		const response = await get(server);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/html');
		expect(await response.text()).toMatch(/^<!DOCTYPE html>[\s\S]*<form/);
	});

	it('truncate: 200 with the JSON cut in half', async () => {
		const server = await start({ books: sampleLibrary() });
		const full = await (await get(server)).text();
		server.faults.push({ kind: 'truncate' });
		const response = await get(server);
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(full.startsWith(text)).toBe(true);
		expect(Math.abs(Buffer.byteLength(text) - Buffer.byteLength(full) / 2)).toBeLessThanOrEqual(2);
		expect(() => JSON.parse(text) as unknown).toThrow();
	});

	it('bom: valid JSON preceded by a UTF-8 byte-order mark', async () => {
		const server = await start({ books: sampleLibrary() });
		server.faults.push({ kind: 'bom' });
		const response = await get(server);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const body = JSON.parse(new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes)) as SyncBody;
		expect(body.data).toHaveLength(20);
	});

	it('redirect: 302 with a Location', async () => {
		const server = await start({ books: [] });
		server.faults.push({ kind: 'redirect', location: 'https://login.example.org/sso' }, { kind: 'redirect', location: '/elsewhere', status: 301 });
		const first = await get(server, '', { redirect: 'manual' });
		expect(first.status).toBe(302);
		expect(first.headers.get('location')).toBe('https://login.example.org/sso');
		const second = await get(server, '', { redirect: 'manual' });
		expect(second.status).toBe(301);
		expect(second.headers.get('location')).toBe('/elsewhere');
	});

	it('reset: the connection dies mid-body', async () => {
		const server = await start({ books: sampleLibrary() });
		server.faults.push({ kind: 'reset' });
		await expect(get(server).then((response) => response.text())).rejects.toThrow();
		expect((await get(server)).status).toBe(200);
	});

	it('delay: waits, then serves normally', async () => {
		const server = await start({ books: sampleLibrary() });
		server.faults.push({ kind: 'delay', ms: 300 });
		const started = performance.now();
		const body = await page(server);
		expect(performance.now() - started).toBeGreaterThanOrEqual(280);
		expect(body.data).toHaveLength(20);
	});
});

describe('reference server: hooks', () => {
	it('beforePage runs once, just before that page is next served', async () => {
		const server = await start({ books: sampleLibrary() });
		let calls = 0;
		server.beforePage(2, () => {
			calls++;
			clock += 1000;
			// A Cyrillic title sorts last; the new title sorts near the front.
			server.mutate.retitle('bk_0070', 'AAA First Now');
		});
		const first = await page(server, '?page=1');
		expect(calls).toBe(0);
		expect(first.data.map((record) => record.id)).not.toContain('bk_0070');
		await page(server, '?page=2');
		expect(calls).toBe(1);
		await page(server, '?page=2');
		expect(calls).toBe(1);
		expect((await page(server, '?page=1')).data.map((record) => record.id)).toContain('bk_0070');
	});

	it('lets a test shift a book across a page boundary mid-walk, so a naive walk misses one', async () => {
		const books = Array.from({ length: 10 }, (_, i) => book(`b${i}`, `Title ${i}`));
		const server = await start({ books });
		server.beforePage(2, () => server.mutate.retitle('b7', 'A moved to the front'));
		const seen = new Set<string>();
		const one = await page(server, '?limit=5&page=1');
		const two = await page(server, '?limit=5&page=2');
		for (const record of [...one.data, ...two.data]) seen.add(record.id);
		expect(one.pagination.total).toBe(10);
		expect(seen.size).toBe(9);
		expect(seen.has('b7')).toBe(false);
	});

	it('awaits async hooks and turns a throwing hook into a 500', async () => {
		const server = await start({ books: [] });
		let done = false;
		server.beforePage(1, async () => {
			await delay(20);
			done = true;
		});
		await page(server);
		expect(done).toBe(true);
		server.beforePage(1, () => {
			throw new Error('hook failed');
		});
		const response = await get(server);
		expect(response.status).toBe(500);
		expect(await response.text()).toContain('hook failed');
	});
});

describe('reference server: stop', () => {
	it('closes promptly with an idle keep-alive connection and a delayed request in flight', async () => {
		const server = await start({ books: sampleLibrary() });
		const agent = new Agent({ keepAlive: true });
		const raw = (path: string): Promise<number> => new Promise((resolve, reject) => {
			const req = httpRequest(`${server.url}${path}`, { agent }, (res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end();
		});
		expect(await raw('/api/library/sync')).toBe(200);
		server.faults.push({ kind: 'delay', ms: 60_000 });
		const pending = raw('/api/library/sync').then(() => 'answered', () => 'dropped');
		await delay(50);
		const started = performance.now();
		await server.stop();
		expect(performance.now() - started).toBeLessThan(1000);
		expect(await pending).toBe('dropped');
		await expect(http(`${server.url}/api/library/sync`)).rejects.toThrow();
		await server.stop();
		agent.destroy();
	});

	it('listens on 127.0.0.1 on the requested port', async () => {
		const probe = await start();
		const port = probe.port;
		await probe.stop();
		const server = await start({ port });
		expect(server.port).toBe(port);
		expect(server.url).toBe(`http://127.0.0.1:${port}`);
	});
});
