import { mkdtemp, readFile, readdir, rm, stat, symlink, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeHttpBinaryTransport } from '../../src/cli/http-binary-transport';
import { FolderCoverStore } from '../../src/cli/folder-cover-store';
import type { BookRecord } from '../../src/core/api/record';
import { CoverFetcher } from '../../src/core/covers/cover-fetcher';
import { createCoverRoute, tinyJpeg, tinyPng } from '../server/covers';
import { coverServers } from '../server/cover-servers';
import { syncRejection } from '../sync-errors';

const TOKEN = 'tok-cover-5ecret';
const BINARY = { headers: { Accept: 'image/*' }, timeoutMs: 5000, maxBytes: 100_000 };

const serve = coverServers();
let dir = '';

beforeEach(async () => {
	dir = await mkdtemp(nodePath.join(tmpdir(), 'library-sync-covers-'));
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

function book(id: string, coverUrl: string): BookRecord {
	return { id, coverUrl, genres: [], tags: [], files: [] };
}

describe('NodeHttpBinaryTransport', () => {
	it('returns the bytes, lower-case headers, and any status', async () => {
		const covers = createCoverRoute({ token: TOKEN });
		const server = await serve(covers, TOKEN);
		const http = new NodeHttpBinaryTransport();
		const ok = await http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg`, headers: { Authorization: `Bearer ${TOKEN}` } });
		expect(ok.status).toBe(200);
		expect(ok.headers['content-type']).toBe('image/jpeg');
		expect(ok.bytes).toEqual(tinyJpeg('bk_1'));
		const denied = await http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg` });
		expect(denied.status).toBe(401);
		expect(denied.bytes).toHaveLength(0);
	});

	it('does not follow redirects: the 3xx and its location come back', async () => {
		const covers = createCoverRoute();
		const server = await serve(covers);
		covers.faults.push({ kind: 'redirect', location: 'http://169.254.169.254/latest' });
		const moved = await new NodeHttpBinaryTransport().getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg` });
		expect([moved.status, moved.headers.location]).toEqual([302, 'http://169.254.169.254/latest']);
		expect(covers.requests).toHaveLength(1);
	});

	it('rejects a body over the cap, declared or streamed, as a protocol error', async () => {
		const covers = createCoverRoute();
		const server = await serve(covers);
		covers.faults.push({ kind: 'oversize', bytes: 5_000_000 }, { kind: 'oversize', bytes: 5_000_000, declareLength: false });
		const http = new NodeHttpBinaryTransport();
		for (let attempt = 0; attempt < 2; attempt++) {
			const error = await syncRejection(http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg` }));
			expect(error.kind).toBe('protocol');
			expect(error.message).toMatch(/^The cover from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 98 KB\); refused\.$/);
		}
	});

	it('times out on a slow body, and reports a refused connection as a network error', async () => {
		const covers = createCoverRoute();
		const server = await serve(covers);
		covers.faults.push({ kind: 'slow', ms: 10_000 });
		const http = new NodeHttpBinaryTransport();
		const started = Date.now();
		expect((await syncRejection(http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg`, timeoutMs: 200 }))).kind).toBe('timeout');
		expect(Date.now() - started).toBeLessThan(5000);
		const port = server.port;
		await server.stop();
		const error = await syncRejection(http.getBytes({ ...BINARY, url: `http://127.0.0.1:${port}/covers/bk_1.jpg`, headers: { Authorization: `Bearer ${TOKEN}` } }));
		expect(error.kind).toBe('network');
		expect(error.message).not.toContain(TOKEN);
	});
});

describe('FolderCoverStore', () => {
	it('writes atomically, creates folders, leaves no temporary files and skips identical bytes', async () => {
		const store = new FolderCoverStore(dir);
		expect(await store.exists('Books/covers/a.jpg')).toBe(false);
		await store.writeBinary('Books/covers/a.jpg', tinyJpeg('a'));
		expect(await store.exists('Books/covers/a.jpg')).toBe(true);
		expect(await store.exists('Books/covers')).toBe(false);
		const file = nodePath.join(dir, 'Books', 'covers', 'a.jpg');
		expect(new Uint8Array(await readFile(file))).toEqual(tinyJpeg('a'));
		const before = (await stat(file)).mtimeMs;
		await new Promise((resolve) => setTimeout(resolve, 20));
		await store.writeBinary('Books/covers/a.jpg', tinyJpeg('a'));
		expect((await stat(file)).mtimeMs).toBe(before);
		await store.writeBinary('Books/covers/a.jpg', tinyPng('b'));
		expect(new Uint8Array(await readFile(file))).toEqual(tinyPng('b'));
		expect(await readdir(nodePath.join(dir, 'Books', 'covers'))).toEqual(['a.jpg']);
	});

	it('keeps the index as the shared JSON file, and reads a damaged one as empty', async () => {
		const store = new FolderCoverStore(dir);
		expect(await store.readIndex('Books/covers')).toEqual({});
		await store.writeIndex('Books/covers', { b: 'png:0123456789abcdef', a: 'jpg:0123456789abcdef' });
		const text = await readFile(nodePath.join(dir, 'Books', 'covers', 'library-sync-covers.json'), 'utf8');
		expect(text).toBe('{\n\t"version": 1,\n\t"covers": {\n\t\t"a": "jpg:0123456789abcdef",\n\t\t"b": "png:0123456789abcdef"\n\t}\n}\n');
		expect(await store.readIndex('Books/covers')).toEqual({ a: 'jpg:0123456789abcdef', b: 'png:0123456789abcdef' });
		await writeFile(nodePath.join(dir, 'Books', 'covers', 'library-sync-covers.json'), '{"version":1,"covers":');
		expect(await store.readIndex('Books/covers')).toEqual({});
	});

	it('refuses paths outside the vault, also through a symbolic link', async () => {
		const vault = nodePath.join(dir, 'vault');
		const outside = nodePath.join(dir, 'outside');
		await mkdir(vault);
		await mkdir(outside);
		const store = new FolderCoverStore(vault);
		for (const path of ['../outside/a.jpg', 'Books/../../outside/a.jpg', 'Books\\..\\..\\a.jpg']) {
			expect((await syncRejection(store.writeBinary(path, tinyJpeg('x')))).kind, path).toBe('io');
		}
		await mkdir(nodePath.join(vault, 'Books'));
		await symlink(outside, nodePath.join(vault, 'Books', 'covers'), 'dir');
		const error = await syncRejection(store.writeBinary('Books/covers/a.jpg', tinyJpeg('x')));
		expect(error.message).toMatch(/leads outside the vault/);
		expect(await readdir(outside)).toEqual([]);
	});
});

describe('CoverFetcher over the CLI adapters and the reference server', () => {
	it('downloads covers with the token once, then only when they change', async () => {
		const covers = createCoverRoute({ token: TOKEN });
		const server = await serve(covers, TOKEN);
		const make = (): CoverFetcher =>
			new CoverFetcher(
				{ http: new NodeHttpBinaryTransport(), store: new FolderCoverStore(dir), clock: { now: () => Date.now() } },
				{ baseUrl: server.url, token: TOKEN, authHeader: 'Authorization', folder: 'Books', allowOtherOrigins: false },
			);
		const first = make();
		expect(await first.ensure(book('bk_1', '/covers/bk_1.jpg'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_1.jpg' });
		expect(await first.ensure(book('bk_2', '/covers/bk_2.png'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_2.png' });
		await first.flush();
		expect(new Uint8Array(await readFile(nodePath.join(dir, 'Books', 'covers', 'bk_1.jpg')))).toEqual(tinyJpeg('bk_1'));
		expect(covers.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

		const second = make();
		expect(await second.ensure(book('bk_1', '/covers/bk_1.jpg'))).toEqual({ status: 'unchanged', path: 'Books/covers/bk_1.jpg' });
		covers.setImage('bk_1', tinyPng('bk_1 v2'), 'image/png');
		expect(await second.ensure(book('bk_1', '/covers/bk_1.jpg?v=2'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_1.png' });
		await second.flush();
		expect(covers.requests).toHaveLength(3);
		expect((await readdir(nodePath.join(dir, 'Books', 'covers'))).sort()).toEqual(['bk_1.jpg', 'bk_1.png', 'bk_2.png', 'library-sync-covers.json']);
	});

	it('never sends the token to another origin, and stores nothing it refuses', async () => {
		const home = createCoverRoute({ token: TOKEN });
		const server = await serve(home, TOKEN);
		const elsewhere = createCoverRoute();
		const other = await serve(elsewhere);
		const make = (allowOtherOrigins: boolean): CoverFetcher =>
			new CoverFetcher(
				{ http: new NodeHttpBinaryTransport(), store: new FolderCoverStore(dir), clock: { now: () => Date.now() } },
				{ baseUrl: server.url, token: TOKEN, authHeader: 'Authorization', folder: 'Books', allowOtherOrigins },
			);
		const foreign = `${other.url}/covers/bk_9.jpg`;
		expect(await make(false).ensure(book('bk_9', foreign))).toMatchObject({ status: 'refused' });
		expect(elsewhere.requests).toHaveLength(0);
		expect(await make(true).ensure(book('bk_9', foreign))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_9.jpg' });
		// The server redirects to the other origin: the token stays home.
		home.faults.push({ kind: 'redirect', location: `${other.url}/covers/bk_8.jpg` });
		expect(await make(true).ensure(book('bk_8', '/covers/bk_8.jpg'))).toEqual({ status: 'downloaded', path: 'Books/covers/bk_8.jpg' });
		expect(elsewhere.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
		expect(await make(true).ensure(book('bk_7', `http://localhost:${other.port}/covers/bk_7.jpg`))).toMatchObject({ status: 'refused' });

		home.faults.push({ kind: 'svg', contentType: 'image/jpeg' }, { kind: 'oversize', bytes: 11 * 1024 * 1024, declareLength: false });
		const svg = await make(false).ensure(book('bk_6', '/covers/bk_6.jpg'));
		expect(svg).toMatchObject({ status: 'failed', error: expect.stringMatching(/markup/) as unknown });
		const big = await make(false).ensure(book('bk_5', '/covers/bk_5.jpg'));
		expect(big).toMatchObject({ status: 'failed', error: expect.stringMatching(/^The cover from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 10 MB\); refused\.$/) as unknown });
		expect((await readdir(nodePath.join(dir, 'Books', 'covers'))).sort()).toEqual(['bk_8.jpg', 'bk_9.jpg']);
	});
});
