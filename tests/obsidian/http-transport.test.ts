import * as http from 'node:http';
import { setTimeout } from 'node:timers';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeApp } from '../obsidian-fake/index';
import { RequestUrlTransport } from '../../src/obsidian/http-transport';
import { SyncError } from '../../src/core/errors';

vi.mock('obsidian', async () => await import('../obsidian-fake/index'));

const TOKEN = 'tok-EXAMPLE-9f8e7d';
let server: http.Server;
let base = '';
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		if (req.url?.startsWith('/hang')) {
			hanging.push(res);
			return;
		}
		if (req.url === '/slow') {
			setTimeout(() => {
				res.writeHead(200);
				res.end('late');
			}, 150);
			return;
		}
		if (req.url === '/auth') {
			res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, { 'Content-Type': 'text/plain' });
			res.end('checked');
			return;
		}
		if (req.url === '/limited') {
			res.writeHead(429, { 'Retry-After': '7', 'Content-Type': 'text/plain' });
			res.end('slow down');
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Custom-Header': 'v' });
		res.end('{"data":[],"title":"Ünïcode"}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	for (const res of hanging) res.destroy();
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('RequestUrlTransport', () => {
	it('resolves any status with lower-case header names and the body as text', async () => {
		for (const platform of ['desktop', 'ios'] as const) {
			createFakeApp({ platform });
			const transport = new RequestUrlTransport();
			const ok = await transport.get({ url: `${base}/feed`, headers: {}, timeoutMs: 5000 });
			expect(ok.status).toBe(200);
			expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(ok.headers['x-custom-header']).toBe('v');
			expect(Object.keys(ok.headers).every((name) => name === name.toLowerCase())).toBe(true);
			expect(ok.body).toBe('{"data":[],"title":"Ünïcode"}');
			const limited = await transport.get({ url: `${base}/limited`, headers: {}, timeoutMs: 5000 });
			expect(limited).toMatchObject({ status: 429, body: 'slow down' });
			expect(limited.headers['retry-after']).toBe('7');
		}
	});

	it('sends the headers it is given', async () => {
		createFakeApp();
		const transport = new RequestUrlTransport();
		const response = await transport.get({ url: `${base}/auth`, headers: { Authorization: `Bearer ${TOKEN}` }, timeoutMs: 5000 });
		expect(response.status).toBe(200);
	});

	it('times out against a server that never answers, and clears its timer', async () => {
		const app = createFakeApp();
		const transport = new RequestUrlTransport();
		const started = Date.now();
		const error = await transport.get({ url: `${base}/hang?x=${TOKEN}`, headers: { Authorization: `Bearer ${TOKEN}` }, timeoutMs: 200 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SyncError);
		expect((error as SyncError).kind).toBe('timeout');
		expect((error as SyncError).message).not.toContain(TOKEN);
		expect((error as SyncError).message).toContain('127.0.0.1');
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(app.fake.window.pendingTimeouts()).toBe(0);
	});

	it('ignores an answer that arrives after the timeout', async () => {
		createFakeApp();
		const transport = new RequestUrlTransport();
		await expect(transport.get({ url: `${base}/slow`, headers: {}, timeoutMs: 50 })).rejects.toMatchObject({ kind: 'timeout' });
		await new Promise((resolve) => setTimeout(resolve, 200));
	});

	it('clears the timer when the answer comes first', async () => {
		const app = createFakeApp();
		await new RequestUrlTransport().get({ url: `${base}/feed`, headers: {}, timeoutMs: 60_000 });
		expect(app.fake.window.pendingTimeouts()).toBe(0);
	});

	it('turns a network failure into a network error that never contains the token', async () => {
		createFakeApp();
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const error = (await new RequestUrlTransport()
			.get({ url: `http://127.0.0.1:${port}/api?token=${TOKEN}`, headers: { Authorization: `Bearer ${TOKEN}` }, timeoutMs: 5000 })
			.catch((e: unknown) => e)) as SyncError;
		expect(error.kind).toBe('network');
		expect(error.message).toBe(`Could not reach the server at http://127.0.0.1:${port} (net::ERR_CONNECTION_REFUSED).`);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
		expect((error as { cause?: unknown }).cause).toBeUndefined();
	});

	it('never echoes the raw error message, which may carry the token', async () => {
		createFakeApp();
		const leaky = new RequestUrlTransport(() => Promise.reject(new Error(`boom Authorization: Bearer ${TOKEN}`)));
		const error = (await leaky.get({ url: `${base}/x`, headers: { Authorization: `Bearer ${TOKEN}` }, timeoutMs: 1000 }).catch((e: unknown) => e)) as SyncError;
		expect(error.kind).toBe('network');
		expect(error.message).not.toContain(TOKEN);
		const throwing = new RequestUrlTransport(() => {
			throw new Error('synchronous');
		});
		await expect(throwing.get({ url: `${base}/x`, headers: {}, timeoutMs: 1000 })).rejects.toMatchObject({ kind: 'network' });
	});

	it('merges header names that differ only in case', async () => {
		createFakeApp();
		const transport = new RequestUrlTransport(() =>
			Promise.resolve({ status: 200, headers: { 'Retry-After': '1', 'retry-after': '2' }, text: 'x', json: null, arrayBuffer: new ArrayBuffer(0) }),
		);
		const response = await transport.get({ url: `${base}/x`, headers: {}, timeoutMs: 1000 });
		expect(response.headers).toEqual({ 'retry-after': '1, 2' });
	});

	describe('the 32 MB cap on the decoded body (requestUrl cannot stream, so it is checked before the body becomes text)', () => {
		const MB = 1024 * 1024;
		const SENTENCE = /^The answer from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 32 MB decoded\); refused\.$/;

		/** A requestUrl answer that records which parts of the body were touched. */
		function answer(status: number, headers: Record<string, string>, bytes: ArrayBuffer): { touched: string[]; send: () => Promise<never> } {
			const touched: string[] = [];
			const response = {
				status,
				headers,
				get arrayBuffer(): ArrayBuffer {
					touched.push('arrayBuffer');
					return bytes;
				},
				get text(): string {
					touched.push('text');
					return new TextDecoder().decode(bytes);
				},
				get json(): unknown {
					touched.push('json');
					return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
				},
			};
			return { touched, send: () => Promise.resolve(response as never) };
		}

		it('refuses a declared uncompressed Content-Length over the cap without touching the body', async () => {
			createFakeApp();
			const { touched, send } = answer(200, { 'Content-Length': String(40 * MB) }, new ArrayBuffer(8));
			const error = await new RequestUrlTransport(send).get({ url: `${base}/feed?token=${TOKEN}`, headers: {}, timeoutMs: 1000 }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(SyncError);
			expect(error).toMatchObject({ kind: 'protocol', message: expect.stringMatching(SENTENCE) as unknown });
			expect(touched).toEqual([]);
		});

		it('refuses a compressed answer whose decoded bytes pass the cap, measuring the bytes and never decoding them as text', async () => {
			createFakeApp();
			for (const status of [200, 500]) {
				const { touched, send } = answer(status, { 'content-encoding': 'gzip', 'content-length': '40000' }, new ArrayBuffer(32 * MB + 1));
				const error = await new RequestUrlTransport(send).get({ url: `${base}/feed`, headers: {}, timeoutMs: 1000 }).catch((e: unknown) => e);
				expect(error).toMatchObject({ kind: 'protocol', message: expect.stringMatching(SENTENCE) as unknown });
				expect(touched).toEqual(['arrayBuffer']);
			}
		});

		it('reads a body of exactly the cap, and does not judge a compressed body by its declared length', async () => {
			createFakeApp();
			const full = answer(200, { 'content-length': String(32 * MB) }, new Uint8Array(32 * MB).fill(0x20).buffer);
			expect((await new RequestUrlTransport(full.send).get({ url: `${base}/feed`, headers: {}, timeoutMs: 1000 })).body).toHaveLength(32 * MB);
			const small = answer(200, { 'content-encoding': 'br', 'content-length': String(40 * MB) }, new TextEncoder().encode('{"data":[]}').buffer);
			expect((await new RequestUrlTransport(small.send).get({ url: `${base}/feed`, headers: {}, timeoutMs: 1000 })).body).toBe('{"data":[]}');
			expect(small.touched).not.toContain('json');
		});
	});
});
