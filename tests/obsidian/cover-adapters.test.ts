import type { App } from 'obsidian';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApp, type FakeApp, type TFile, type CreateFakeAppOptions } from '../obsidian-fake/index';
import { RequestUrlBinaryTransport } from '../../src/obsidian/request-url-binary-transport';
import { VaultCoverStore } from '../../src/obsidian/vault-cover-store';
import { CoverFetcher } from '../../src/core/covers/cover-fetcher';
import type { BookRecord } from '../../src/core/api/record';
import { createCoverRoute, tinyJpeg, tinyPng } from '../server/covers';
import { coverServers } from '../server/cover-servers';
import { syncRejection } from '../sync-errors';

vi.mock('obsidian', async () => await import('../obsidian-fake/index'));

const TOKEN = 'tok-cover-5ecret';
const BINARY = { headers: {}, timeoutMs: 5000, maxBytes: 100_000 };

const serve = coverServers();

interface BinaryVault {
	createBinary(path: string, data: ArrayBuffer): Promise<TFile>;
	modifyBinary(file: TFile, data: ArrayBuffer): Promise<void>;
	readBinary(file: TFile): Promise<ArrayBuffer>;
}

/**
 * The Obsidian fake has no binary API yet: this adds `createBinary`,
 * `modifyBinary` and `readBinary` on top of its text API, so they share its
 * behaviour (ENOENT for a missing folder, "File already exists.", events,
 * write counts). The bytes live beside the tree; the text is a placeholder.
 */
function withBinaryApi(app: FakeApp): Map<string, Uint8Array> {
	const bytes = new Map<string, Uint8Array>();
	const vault = app.vault;
	const placeholder = (data: ArrayBuffer): string => `<${data.byteLength} bytes>`;
	const api: BinaryVault = {
		async createBinary(path, data) {
			const file = await vault.create(path, placeholder(data));
			bytes.set(file.path, new Uint8Array(data.slice(0)));
			return file;
		},
		async modifyBinary(file, data) {
			await vault.modify(file, placeholder(data));
			bytes.set(file.path, new Uint8Array(data.slice(0)));
		},
		async readBinary(file) {
			await vault.read(file);
			return (bytes.get(file.path) ?? new Uint8Array(0)).slice().buffer;
		},
	};
	Object.assign(vault, api);
	return bytes;
}

function setup(options: CreateFakeAppOptions = {}): { app: FakeApp; store: VaultCoverStore; bytes: Map<string, Uint8Array> } {
	const app = createFakeApp(options);
	const bytes = withBinaryApi(app);
	return { app, store: new VaultCoverStore(app as unknown as App), bytes };
}

function book(id: string, coverUrl: string): BookRecord {
	return { id, coverUrl, genres: [], tags: [], files: [] };
}

describe('RequestUrlBinaryTransport', () => {
	it('returns the bytes with lower-case headers on every platform, and any status', async () => {
		const covers = createCoverRoute({ token: TOKEN });
		const server = await serve(covers, TOKEN);
		for (const platform of ['desktop', 'ios'] as const) {
			createFakeApp({ platform });
			const http = new RequestUrlBinaryTransport();
			const ok = await http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.png`, headers: { Authorization: `Bearer ${TOKEN}` } });
			expect(ok.status).toBe(200);
			expect(ok.headers['content-type']).toBe('image/png');
			expect(ok.bytes).toEqual(tinyPng('bk_1'));
			const denied = await http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.png` });
			expect([denied.status, denied.bytes.length]).toEqual([401, 0]);
		}
	});

	it('refuses an oversized body after the download (requestUrl cannot stream), declared or not', async () => {
		createFakeApp();
		const covers = createCoverRoute();
		const server = await serve(covers);
		covers.faults.push({ kind: 'oversize', bytes: 300_000 }, { kind: 'oversize', bytes: 300_000, declareLength: false });
		const http = new RequestUrlBinaryTransport();
		for (let attempt = 0; attempt < 2; attempt++) {
			const error = await syncRejection(http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg` }));
			expect(error.kind).toBe('protocol');
			expect(error.message).toMatch(/^The cover from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 98 KB\); refused\.$/);
		}
	});

	it('times out with a window timer that is cleared afterwards, and ignores the late answer', async () => {
		const app = createFakeApp();
		const covers = createCoverRoute();
		const server = await serve(covers);
		covers.faults.push({ kind: 'slow', ms: 400 });
		const http = new RequestUrlBinaryTransport();
		expect((await syncRejection(http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg`, timeoutMs: 50 }))).kind).toBe('timeout');
		expect(app.fake.window.pendingTimeouts()).toBe(0);
		await http.getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg` });
		expect(app.fake.window.pendingTimeouts()).toBe(0);
	});

	it('reports an unreachable server as a network error without the token', async () => {
		createFakeApp();
		const covers = createCoverRoute();
		const server = await serve(covers);
		const port = server.port;
		await server.stop();
		const error = await syncRejection(new RequestUrlBinaryTransport().getBytes({ ...BINARY, url: `http://127.0.0.1:${port}/covers/a.jpg`, headers: { Authorization: `Bearer ${TOKEN}` } }));
		expect(error.kind).toBe('network');
		expect(error.message).not.toContain(TOKEN);
		const thrown = new RequestUrlBinaryTransport(() => {
			throw new Error(`boom ${TOKEN}`);
		});
		expect((await syncRejection(thrown.getBytes({ ...BINARY, url: 'http://127.0.0.1:1/a.jpg' }))).message).not.toContain(TOKEN);
	});

	it('cannot stop at a redirect: the platform follows it (the documented limit)', async () => {
		createFakeApp();
		const covers = createCoverRoute();
		const server = await serve(covers);
		covers.faults.push({ kind: 'redirect', location: '/covers/other.jpg' });
		const moved = await new RequestUrlBinaryTransport().getBytes({ ...BINARY, url: `${server.url}/covers/bk_1.jpg` });
		expect(moved.status).toBe(200);
		expect(moved.bytes).toEqual(tinyJpeg('other'));
	});
});

describe('VaultCoverStore', () => {
	it('creates the folders and the file with createBinary, replaces it with modifyBinary, and skips identical bytes', async () => {
		const { app, store, bytes } = setup();
		expect(await store.exists('Books/covers/a.jpg')).toBe(false);
		await store.writeBinary('Books/covers/a.jpg', tinyJpeg('a'));
		expect(await store.exists('Books/covers/a.jpg')).toBe(true);
		expect(app.vault.getFolderByPath('Books/covers')).not.toBeNull();
		expect(bytes.get('Books/covers/a.jpg')).toEqual(tinyJpeg('a'));
		const modify = vi.fn();
		app.vault.on('modify', modify);
		await store.writeBinary('Books/covers/a.jpg', tinyJpeg('a'));
		expect(modify).not.toHaveBeenCalled();
		expect(app.vault.writeCounts.get('Books/covers/a.jpg')).toBe(1);
		const view = new Uint8Array(256);
		view.set(tinyPng('b'), 3);
		await store.writeBinary('Books/covers/a.jpg', view.subarray(3, 3 + tinyPng('b').length));
		expect(bytes.get('Books/covers/a.jpg')).toEqual(tinyPng('b'));
		expect(modify).toHaveBeenCalledTimes(1);
	});

	it('tolerates a folder or a file that a sync service creates meanwhile', async () => {
		const { app, store, bytes } = setup();
		const createFolder = app.vault.createFolder.bind(app.vault);
		vi.spyOn(app.vault, 'createFolder').mockImplementationOnce(async (path: string) => {
			await createFolder(path);
			throw new Error('Folder already exists.');
		});
		const vault = app.vault as unknown as BinaryVault;
		const createBinary = vault.createBinary.bind(vault);
		vault.createBinary = async (path, _data) => {
			await createBinary(path, new Uint8Array([1, 2, 3]).buffer);
			throw new Error('File already exists.');
		};
		await store.writeBinary('Books/covers/a.jpg', tinyJpeg('a'));
		expect(bytes.get('Books/covers/a.jpg')).toEqual(tinyJpeg('a'));
	});

	it('refuses a folder in the way, paths that climb, and the config folder', async () => {
		const { app, store } = setup();
		await app.vault.createFolder('Books/covers/a.jpg');
		expect((await syncRejection(store.writeBinary('Books/covers/a.jpg', tinyJpeg('a')))).message).toMatch(/a folder has that name/);
		for (const path of ['../a.jpg', 'Books/../../a.jpg', 'Books/./a.jpg', 'Books\\a.jpg', '.obsidian/plugins/x/a.jpg']) {
			expect((await syncRejection(store.writeBinary(path, tinyJpeg('a')))).kind, path).toBe('io');
		}
	});

	it('keeps the index as a JSON file in the covers folder, written with create and then process', async () => {
		const { app, store } = setup();
		expect(await store.readIndex('Books/covers')).toEqual({});
		await store.writeIndex('Books/covers', { b: 'png:0123456789abcdef', a: 'jpg:0123456789abcdef' });
		const path = 'Books/covers/library-sync-covers.json';
		expect(app.vault.peek(path)).toBe('{\n\t"version": 1,\n\t"covers": {\n\t\t"a": "jpg:0123456789abcdef",\n\t\t"b": "png:0123456789abcdef"\n\t}\n}\n');
		expect(await store.readIndex('Books/covers')).toEqual({ a: 'jpg:0123456789abcdef', b: 'png:0123456789abcdef' });
		const process = vi.spyOn(app.vault, 'process');
		await store.writeIndex('Books/covers', { a: 'jpg:0123456789abcdef', b: 'png:0123456789abcdef' });
		expect(process).not.toHaveBeenCalled();
		await store.writeIndex('Books/covers', { a: 'jpg:0123456789abcdef' });
		expect(process).toHaveBeenCalledTimes(1);
		expect(await store.readIndex('Books/covers')).toEqual({ a: 'jpg:0123456789abcdef' });
		expect(app.vault.writeCounts.get(path)).toBe(2);
		await app.vault.modify(app.vault.getFileByPath(path) as never, '<<<<<<< conflict');
		expect(await store.readIndex('Books/covers')).toEqual({});
	});
});

describe('CoverFetcher over the Obsidian adapters and the reference server', () => {
	it('downloads with the token into the vault once, and refuses an SVG', async () => {
		const { app, store, bytes } = setup();
		const covers = createCoverRoute({ token: TOKEN });
		const server = await serve(covers, TOKEN);
		const make = (): CoverFetcher =>
			new CoverFetcher(
				{ http: new RequestUrlBinaryTransport(), store, clock: { now: () => Date.now() } },
				{ baseUrl: server.url, token: TOKEN, authHeader: 'Authorization', folder: 'Library', allowOtherOrigins: false },
			);
		const first = make();
		expect(await first.ensure(book('bk_1', '/covers/bk_1.jpg'))).toEqual({ status: 'downloaded', path: 'Library/covers/bk_1.jpg' });
		covers.faults.push({ kind: 'svg' });
		expect(await first.ensure(book('bk_2', '/covers/bk_2.jpg'))).toMatchObject({ status: 'failed', error: expect.stringMatching(/image\/svg\+xml/) as unknown });
		await first.flush();
		expect(bytes.get('Library/covers/bk_1.jpg')).toEqual(tinyJpeg('bk_1'));
		expect(app.vault.getFileByPath('Library/covers/bk_2.jpg')).toBeNull();
		expect(await make().ensure(book('bk_1', '/covers/bk_1.jpg'))).toEqual({ status: 'unchanged', path: 'Library/covers/bk_1.jpg' });
		expect(covers.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
		expect(app.vault.getFileByPath('Library/covers/library-sync-covers.json')).not.toBeNull();
	});
});
