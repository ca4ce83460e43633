import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { GetTimeout, GetTooLarge, httpGet, type GetRequest } from '../../src/cli/http-get';
import { NodeHttpTransport } from '../../src/cli/http-transport';

const FEED = JSON.stringify({ data: [{ id: 'b1', title: 'Émma ✓' }], pagination: { page: 1, limit: 100, total: 1, totalPages: 1 }, serverTime: '2026-01-01T00:00:00Z' });

let server: Server | undefined;
let seen: IncomingHttpHeaders[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
	seen = [];
	server = createServer((req, res) => {
		seen.push(req.headers);
		handler?.(req, res);
	});
	await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return `http://127.0.0.1:${address.port}`;
}

const get = (url: string, extra: Partial<GetRequest> = {}) => httpGet({ url, headers: { Accept: 'application/json' }, timeoutMs: 2000, wantBody: () => true, ...extra });

afterEach(async () => {
	server?.closeAllConnections();
	await new Promise((resolve) => server?.close(resolve));
	server = undefined;
});

describe('httpGet', () => {
	it('asks for compression only when told to, and decodes gzip, deflate and Brotli bodies', async () => {
		const encoders: Record<string, (text: string) => Buffer> = { gzip: (t) => gzipSync(t), deflate: (t) => deflateSync(t), br: (t) => brotliCompressSync(t) };
		const url = await serve((req, res) => {
			const encoding = String(req.url?.slice(1));
			const encode = encoders[encoding];
			res.writeHead(200, encode ? { 'content-encoding': encoding } : {});
			res.end(encode ? encode(FEED) : FEED);
		});
		for (const encoding of ['gzip', 'deflate', 'br']) {
			const response = await get(`${url}/${encoding}`, { compressed: true });
			expect(response.body.toString('utf8')).toBe(FEED);
		}
		expect(seen.map((headers) => headers['accept-encoding'])).toEqual(['gzip, deflate, br', 'gzip, deflate, br', 'gzip, deflate, br']);
		await get(`${url}/plain`);
		expect(seen.at(-1)?.['accept-encoding']).toBeUndefined();
	});

	it('caps the decoded size, so a small compressed bomb is refused', async () => {
		const bomb = gzipSync(Buffer.alloc(20_000_000));
		expect(bomb.length).toBeLessThan(100_000);
		const url = await serve((_req, res) => {
			res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
			res.end(bomb);
		});
		await expect(get(url, { compressed: true, maxBytes: 1_000_000 })).rejects.toBeInstanceOf(GetTooLarge);
	});

	it('leaves unwanted bodies unread, and gives headers lower-case names with repeats joined', async () => {
		const url = await serve((_req, res) => {
			res.setHeader('Set-Cookie', ['a=1', 'b=2']);
			res.writeHead(302, { Location: '/elsewhere', 'X-Thing': 'yes' });
			res.end('a body nobody reads');
		});
		const response = await get(url, { wantBody: (status) => status < 300 });
		expect(response.status).toBe(302);
		expect(response.body.length).toBe(0);
		expect(response.headers).toMatchObject({ location: '/elsewhere', 'x-thing': 'yes', 'set-cookie': 'a=1, b=2' });
	});

	it('times out on a body that never ends', async () => {
		const url = await serve((_req, res) => {
			res.writeHead(200);
			res.write('{"data": [');
		});
		const started = Date.now();
		await expect(get(url, { timeoutMs: 150 })).rejects.toBeInstanceOf(GetTimeout);
		expect(Date.now() - started).toBeLessThan(2000);
	});
});

describe('NodeHttpTransport', () => {
	it('reads a gzip-compressed feed as text, and a body cut off mid-way is a network error', async () => {
		let cut = false;
		const url = await serve((_req, res) => {
			if (cut) {
				res.writeHead(200, { 'content-length': '1000' });
				res.write(FEED.slice(0, 20));
				setTimeout(() => res.destroy(), 20);
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			res.end(gzipSync(FEED));
		});
		const http = new NodeHttpTransport();
		const response = await http.get({ url, headers: { Accept: 'application/json' }, timeoutMs: 2000 });
		expect(response.body).toBe(FEED);
		expect(response.headers['content-type']).toBe('application/json');
		cut = true;
		await expect(http.get({ url, headers: {}, timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/connection reset/) as unknown });
	});
});
