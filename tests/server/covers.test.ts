import { afterEach, describe, expect, it } from 'vitest';
import { createCoverRoute, EVIL_SVG, tinyJpeg, tinyPng, type CoverRoute } from './covers';
import { startReferenceServer, type ReferenceServer } from './reference-server';

let running: ReferenceServer[] = [];

afterEach(async () => {
	await Promise.all(running.map((server) => server.stop()));
	running = [];
});

async function start(covers: CoverRoute, token?: string, pathPrefix?: string): Promise<ReferenceServer> {
	const server = await startReferenceServer({ books: [{ id: 'bk_1', title: 'One', coverUrl: '/covers/bk_1.jpg' }], token, pathPrefix, routes: [covers.route], covers: false });
	running.push(server);
	return server;
}

const origin = (server: ReferenceServer): string => `http://127.0.0.1:${server.port}`;

describe('reference server: covers hook', () => {
	it('serves per-book JPEGs and PNGs and still serves the feed', async () => {
		const covers = createCoverRoute();
		const server = await start(covers);
		const jpeg = await fetch(`${server.url}/covers/bk_1.jpg`);
		expect(jpeg.status).toBe(200);
		expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
		expect(new Uint8Array(await jpeg.arrayBuffer())).toEqual(tinyJpeg('bk_1'));
		const png = await fetch(`${server.url}/covers/bk_2.png`);
		expect(new Uint8Array(await png.arrayBuffer())).toEqual(tinyPng('bk_2'));
		expect(tinyJpeg('a')).not.toEqual(tinyJpeg('b'));
		expect(tinyPng('a')).not.toEqual(tinyPng('b'));
		const feed = await fetch(`${server.url}/api/library/sync`);
		expect(feed.status).toBe(200);
		expect(((await feed.json()) as { data: unknown[] }).data).toHaveLength(1);
		expect((await fetch(`${server.url}/covers/a/b.jpg`)).status).toBe(404);
		expect(server.requests.map((r) => r.status)).toEqual([200, 200, 200, 404]);
		expect(covers.requests.map((r) => r.url)).toEqual(['/covers/bk_1.jpg', '/covers/bk_2.png']);
	});

	it('honours the token and is mounted under the prefix only, as behind a reverse proxy', async () => {
		const covers = createCoverRoute({ token: 'sekrit', pathPrefix: '/library' });
		const server = await start(covers, 'sekrit', '/library');
		const auth = { headers: { Authorization: 'Bearer sekrit' } };
		expect((await fetch(`${server.url}/covers/bk_1.jpg`)).status).toBe(401);
		expect((await fetch(`${server.url}/covers/bk_1.jpg`, auth)).status).toBe(200);
		expect((await fetch(`${origin(server)}/covers/bk_1.jpg`, auth)).status).toBe(404);
		expect((await fetch(`${origin(server)}/api/library/sync`, auth)).status).toBe(404);
		expect(covers.requests.map((r) => r.status)).toEqual([401, 200]);
	});

	it('injects faults one request at a time, and serves replaced images', async () => {
		const covers = createCoverRoute();
		const server = await start(covers);
		covers.faults.push({ kind: 'svg' }, { kind: 'content-type', contentType: 'text/plain' }, { kind: 'status', status: 503, retryAfter: '2' }, { kind: 'redirect', location: '/covers/x.jpg' });
		const svg = await fetch(`${server.url}/covers/bk_1.jpg`);
		expect(svg.headers.get('content-type')).toBe('image/svg+xml');
		expect(await svg.text()).toBe(EVIL_SVG);
		expect((await fetch(`${server.url}/covers/bk_1.jpg`)).headers.get('content-type')).toBe('text/plain');
		const limited = await fetch(`${server.url}/covers/bk_1.jpg`);
		expect([limited.status, limited.headers.get('retry-after')]).toEqual([503, '2']);
		const moved = await fetch(`${server.url}/covers/bk_1.jpg`, { redirect: 'manual' });
		expect([moved.status, moved.headers.get('location')]).toEqual([302, '/covers/x.jpg']);
		covers.setImage('bk_1', tinyPng('new'), 'image/png');
		expect(new Uint8Array(await (await fetch(`${server.url}/covers/bk_1.jpg`)).arrayBuffer())).toEqual(tinyPng('new'));
		expect(covers.requests.map((r) => r.fault)).toEqual(['svg', 'content-type', 'status', 'redirect', undefined]);
	});

	it('sends oversized bodies with and without a length, and slow bodies that stop() cuts short', async () => {
		const covers = createCoverRoute();
		const server = await start(covers);
		covers.faults.push({ kind: 'oversize', bytes: 300_000 }, { kind: 'oversize', bytes: 200_000, declareLength: false }, { kind: 'slow', ms: 60_000 });
		const declared = await fetch(`${server.url}/covers/bk_1.jpg`);
		expect(declared.headers.get('content-length')).toBe('300000');
		expect((await declared.arrayBuffer()).byteLength).toBe(300_000);
		const chunked = await fetch(`${server.url}/covers/bk_1.jpg`);
		expect(chunked.headers.get('content-length')).toBeNull();
		expect((await chunked.arrayBuffer()).byteLength).toBe(200_000);
		const slow = await fetch(`${server.url}/covers/bk_1.jpg`);
		expect(slow.status).toBe(200);
		const body = slow.arrayBuffer().catch((error: unknown) => error);
		await server.stop();
		expect(await body).toBeInstanceOf(Error);
	});
});
