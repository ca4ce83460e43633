/**
 * A compressed answer that inflates far past any real page (a gzip bomb)
 * must be refused in one sentence that says the answer was too large, not
 * blamed on the network, and nothing of it may reach a note or the cursor.
 * The CLI stops it while it streams; in the plugin, Obsidian's requestUrl
 * hands over the whole decoded body, which is refused before it becomes
 * text. Issue #11, class 2.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, tempVault } from '../cli/run-cli';
import { createFakeApp, loadPluginBundle, resetUi, type FakeApp, type LoadedPlugin } from '../obsidian-fake/index';
import { lines, notesById, readState, syncCli } from './helpers';
import { envelope, startRawServer, type RawReply, type RawServer } from './raw-server';

const TOKEN = 'bomb-token-4242';

/** 1 GiB of spaces, gzipped chunk by chunk (about 1 MB on the wire). */
function gzipBomb(inflatedBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const gzip = createGzip({ level: 9 });
		const out: Buffer[] = [];
		gzip.on('data', (chunk: Buffer) => out.push(chunk));
		gzip.on('end', () => resolve(Buffer.concat(out)));
		gzip.on('error', reject);
		const chunk = Buffer.alloc(16 * 1024 * 1024, 0x20);
		let left = inflatedBytes;
		const pump = (): void => {
			while (left > 0) {
				left -= chunk.length;
				if (!gzip.write(chunk)) {
					gzip.once('drain', pump);
					return;
				}
			}
			gzip.end();
		};
		pump();
	});
}

describe('decompression bombs: CLI', () => {
	let bomb: Buffer;
	let server: RawServer;
	let vault: string;
	beforeAll(async () => {
		bomb = await gzipBomb(1024 * 1024 * 1024);
	}, 60_000);
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('a 1 MiB gzip feed page that inflates to 1 GiB: exit 1, one sentence saying the answer was too large, no note, no cursor', async () => {
		server = await startRawServer(() => ({ headers: { 'content-encoding': 'gzip' }, body: bomb }));
		const result = await syncCli(server.url, vault, TOKEN);
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toMatch(/too large/);
		expect(result.stderr).not.toMatch(/Could not reach/);
		expect((await notesById(vault)).size).toBe(0);
		expect((await readState(vault)).cursor).toBeUndefined();
	}, 60_000);

	it('a redirect to the bomb: the hop is followed and the bomb refused in the same sentence', async () => {
		server = await startRawServer((request): RawReply =>
			request.url.startsWith('/elsewhere/') ? { headers: { 'content-encoding': 'gzip' }, body: bomb } : { status: 302, headers: { location: `/elsewhere${request.url}` }, body: '' },
		);
		const result = await syncCli(server.url, vault, TOKEN);
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual([expect.stringMatching(/^library-sync: The answer from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 32 MB decoded\); refused\. /)]);
		expect(server.requests.map((request) => request.url.startsWith('/elsewhere/'))).toEqual([false, true]);
		expect((await notesById(vault)).size).toBe(0);
		expect((await readState(vault)).cursor).toBeUndefined();
	}, 60_000);
});

describe('nesting bombs: CLI', () => {
	let server: RawServer;
	let vault: string;
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('a 32 KB gzip page of 32 MB of "[" (within the byte cap): refused in one sentence before parsing, not retried, no note, no cursor', async () => {
		const body = gzipSync(Buffer.from(`{"data":${'['.repeat(32 * 1024 * 1024 - 100)}`), { level: 9 });
		expect(body.length).toBeLessThan(64 * 1024);
		server = await startRawServer(() => ({ headers: { 'content-encoding': 'gzip' }, body }));
		const result = await syncCli(server.url, vault, TOKEN);
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual([expect.stringMatching(/^library-sync: The server's answer is nested too deeply to be library sync data \(over 64 levels\); /)]);
		expect(server.requests).toHaveLength(1);
		expect((await notesById(vault)).size).toBe(0);
		expect((await readState(vault)).cursor).toBeUndefined();
	}, 120_000);
});

const MAIN_JS = path.resolve(import.meta.dirname, '../../main.js');
const MANIFEST = { id: 'library-sync', name: 'Library Sync', version: '0.1.0', minAppVersion: '1.11.4', description: 'Test', author: 'Test', dir: '.obsidian/plugins/library-sync' };

interface PluginShape {
	syncSettings: { serverUrl: string };
	saveSettings(): Promise<void>;
	controller: { lastReport?: { ok: boolean; counts: Record<string, number>; warnings?: string[]; coversNotDownloaded?: number; error?: { kind: string; message: string } } };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** A real page of one book whose description alone is `bytes` long: valid JSON, gzipped to a few KB. */
function hugePage(bytes: number): Buffer {
	const page = envelope([{ id: 'huge-1', title: 'Huge', description: 'a'.repeat(bytes), updatedAt: '2025-01-01T00:00:00Z' }], { page: 1, limit: 100, total: 1 });
	return gzipSync(JSON.stringify(page));
}

/** A JPEG (its magic bytes) padded with zeros to `bytes`, gzipped to a few KB. */
function hugeJpeg(bytes: number): Buffer {
	const image = Buffer.alloc(bytes, 0);
	Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(image);
	return gzipSync(image);
}

describe('decompression bombs: the plugin (Obsidian fake, requestUrl decoding gzip like the platform)', () => {
	let server: RawServer | undefined;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;
	beforeEach(async () => {
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-bombs-'));
		resetUi();
	});
	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await server?.stop();
		server = undefined;
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	async function syncOnce(url: string): Promise<{ app: FakeApp; plugin: PluginShape }> {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as PluginShape;
		app.secretStorage.setSecret('library-sync-token', TOKEN);
		plugin.syncSettings.serverUrl = url;
		await plugin.saveSettings();
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the sync');
		return { app, plugin };
	}

	it('a gzip feed page of valid JSON that decodes to 34 MB: the run fails in one sentence saying the answer was too large, no note, no cursor', async () => {
		const body = hugePage(34 * 1024 * 1024);
		expect(body.length).toBeLessThan(1024 * 1024);
		server = await startRawServer(() => ({ headers: { 'content-encoding': 'gzip' }, body }));
		const { app, plugin } = await syncOnce(server.url);
		const report = plugin.controller.lastReport;
		expect(report?.ok).toBe(false);
		expect(report?.error?.kind).toBe('protocol');
		expect(report?.error?.message).toMatch(/^The answer from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 32 MB decoded\); refused\.$/);
		expect(server.requests[0]?.headers['accept-encoding']).toMatch(/gzip/);
		expect([...(await snapshot(vaultDir)).keys()].filter((file) => file.endsWith('.md'))).toEqual([]);
		expect((app.loadLocalStorage('library-sync-state') as { cursor?: string } | null)?.cursor).toBeUndefined();
	}, 60_000);

	it('a page that declares an uncompressed Content-Length over the cap is refused in the same sentence', async () => {
		const page = JSON.stringify(envelope([{ id: 'big-1', title: 'Big', description: 'b'.repeat(33 * 1024 * 1024), updatedAt: '2025-01-01T00:00:00Z' }], { page: 1, limit: 100, total: 1 }));
		server = await startRawServer(() => ({ headers: { 'content-length': String(Buffer.byteLength(page)) }, body: page }));
		const { app, plugin } = await syncOnce(server.url);
		expect(plugin.controller.lastReport?.ok).toBe(false);
		expect(plugin.controller.lastReport?.error?.message).toMatch(/^The answer from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 32 MB decoded\); refused\.$/);
		expect([...(await snapshot(vaultDir)).keys()].filter((file) => file.endsWith('.md'))).toEqual([]);
		expect((app.loadLocalStorage('library-sync-state') as { cursor?: string } | null)?.cursor).toBeUndefined();
	}, 60_000);

	it('a gzip cover that decodes to 11 MB: that cover fails in one sentence saying it was too large; the note is written and the cursor moves', async () => {
		const cover = hugeJpeg(11 * 1024 * 1024);
		server = await startRawServer((request) =>
			request.url.startsWith('/covers/')
				? { headers: { 'content-type': 'image/jpeg', 'content-encoding': 'gzip' }, body: cover }
				: { body: envelope([{ id: 'cover-1', title: 'With Cover', coverUrl: '/covers/cover-1.jpg', updatedAt: '2025-01-01T00:00:00Z' }], { page: 1, limit: 100, total: 1 }) },
		);
		const { app, plugin } = await syncOnce(server.url);
		const report = plugin.controller.lastReport;
		expect(report?.ok).toBe(true);
		expect(report?.coversNotDownloaded).toBe(1);
		expect(report?.warnings).toEqual([expect.stringMatching(/The cover from the server at http:\/\/127\.0\.0\.1:\d+ was too large \(over 10 MB\); refused\.$/)]);
		const files = await snapshot(vaultDir);
		expect([...files.keys()].filter((file) => file.endsWith('.md'))).toEqual(['Books/With Cover.md']);
		expect([...files.keys()].filter((file) => file.startsWith('Books/covers/') && !file.endsWith('.json'))).toEqual([]);
		expect((app.loadLocalStorage('library-sync-state') as { cursor?: string } | null)?.cursor).toBe('2025-06-01T12:00:00.000Z');
	}, 60_000);
});
