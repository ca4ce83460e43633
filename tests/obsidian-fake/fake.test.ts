import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
	createFakeApp,
	loadPluginBundle,
	normalizePath,
	obsidianModule,
	Platform,
	Plugin,
	requestUrl,
	shownNotices,
	TFile,
	TFolder,
	Notice,
	Setting,
	SettingGroup,
	SecretComponent,
	resetUi,
	FakeElement,
	fetchTransport,
	inputSuggests,
	LOCAL_STORAGE_QUOTA,
	nodeTransport,
	requestLog,
	setRequestTransport,
} from './index';
import { build } from 'esbuild';

const tempDirs: string[] = [];
function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obsidian-fake-'));
	tempDirs.push(dir);
	return dir;
}
afterAll(() => {
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => resetUi());

describe('normalizePath', () => {
	it('collapses slashes, trims them, replaces non-breaking spaces and applies NFC', () => {
		expect(normalizePath('//Books///A\\\\b.md/')).toBe('Books/A/b.md');
		expect(normalizePath('Books/A\u00A0B.md')).toBe('Books/A B.md');
		expect(normalizePath('Books/Cafe\u0301.md')).toBe('Books/Caf\u00e9.md');
		expect(normalizePath('')).toBe('/');
		expect(normalizePath('Books/a:b?.md')).toBe('Books/a:b?.md');
	});
});

describe('vault', () => {
	it('rejects create when the path is taken and when the parent folder is missing', async () => {
		const app = createFakeApp();
		await app.vault.create('a.md', 'x');
		await expect(app.vault.create('a.md', 'y')).rejects.toThrow('File already exists.');
		await expect(app.vault.create('Missing/b.md', 'y')).rejects.toMatchObject({ code: 'ENOENT' });
		await app.vault.createFolder('Books');
		await expect(app.vault.create('Books', 'y')).rejects.toThrow('File already exists.');
	});

	it('rejects createFolder when anything is at that path, and creates missing ancestors', async () => {
		const app = createFakeApp();
		await app.vault.createFolder('Books');
		await expect(app.vault.createFolder('Books')).rejects.toThrow('Folder already exists.');
		await app.vault.create('note.md', '');
		await expect(app.vault.createFolder('note.md')).rejects.toThrow('Folder already exists.');
		const deep = await app.vault.createFolder('A/B/C');
		expect(deep).toBeInstanceOf(TFolder);
		expect(app.vault.getFolderByPath('A/B')).toBeInstanceOf(TFolder);
	});

	it('looks paths up case-sensitively; a case-insensitive file system makes case variants collide', async () => {
		const app = createFakeApp({ platform: 'desktop' });
		await app.vault.create('Note.md', '');
		expect(app.vault.getAbstractFileByPath('note.md')).toBeNull();
		expect(app.vault.getFileByPath('Note.md')).toBeInstanceOf(TFile);
		await app.vault.create('note.md', '');
		const mobile = createFakeApp({ platform: 'mobile' });
		await mobile.vault.create('Note.md', '');
		expect(mobile.vault.getFileByPath('note.md')).toBeNull();
		await expect(mobile.vault.create('note.md', '')).rejects.toThrow('File already exists.');
	});

	it('finds a case-insensitive collision by one lookup, not by folding every path in the vault', async () => {
		const files: Record<string, string> = {};
		for (let i = 0; i < 2000; i++) files[`Books/Book ${i}.md`] = '';
		const app = createFakeApp({ platform: 'android', files });
		const toLowerCase = vi.spyOn(String.prototype, 'toLowerCase');
		try {
			await expect(app.vault.create('books/BOOK 7.md', '')).rejects.toThrow('File already exists.');
			await app.vault.create('Books/Book 2000.md', '');
			// Scanning would fold each of the 2,001 paths for each create.
			expect(toLowerCase.mock.calls.length).toBeLessThan(100);
		} finally {
			toLowerCase.mockRestore();
		}
	});

	it('keeps case-insensitive collisions right through rename and delete', async () => {
		const app = createFakeApp({ platform: 'android' });
		const a = await app.vault.create('A.md', '');
		await app.vault.rename(a, 'b.md');
		await app.vault.create('a.md', '');
		await expect(app.vault.create('B.md', '')).rejects.toThrow('File already exists.');
		await app.vault.rename(a, 'B.md');
		expect(app.vault.getFileByPath('B.md')).toBe(a);
		await expect(app.vault.create('b.MD', '')).rejects.toThrow('File already exists.');
		const folder = await app.vault.createFolder('Shelf');
		await app.vault.create('Shelf/Note.md', '');
		await app.vault.rename(folder, 'Moved');
		await expect(app.vault.create('moved/note.md', '')).rejects.toThrow('File already exists.');
		await app.vault.create('Shelf', '');
		const moved = app.vault.getFolderByPath('Moved');
		expect(moved).toBeInstanceOf(TFolder);
		if (moved) await app.vault.delete(moved);
		await app.vault.createFolder('MOVED');
		await app.vault.create('MOVED/NOTE.md', '');
		await expect(app.vault.rename(a, 'a.md')).rejects.toThrow('Destination file already exists!');
	});

	it('models files with basename, extension, parent and stat', async () => {
		const app = createFakeApp({ now: () => 1000 });
		await app.vault.createFolder('Books');
		const file = await app.vault.create('Books/Dune.md', 'héllo');
		expect(file).toMatchObject({ path: 'Books/Dune.md', name: 'Dune.md', basename: 'Dune', extension: 'md' });
		expect(file.parent?.path).toBe('Books');
		expect(file.stat.size).toBe(6);
		const before = file.stat.mtime;
		await app.vault.modify(file, 'changed');
		expect(file.stat.mtime).toBeGreaterThan(before);
		expect(app.vault.getRoot().isRoot()).toBe(true);
		expect(app.vault.configDir).toMatch(/^\.obsidian$/);
	});

	it('process runs a synchronous fn atomically', async () => {
		const app = createFakeApp();
		const file = await app.vault.create('n.md', '1');
		const a = app.vault.process(file, (text) => `${text}a`);
		const b = app.vault.process(file, (text) => `${text}b`);
		await Promise.all([a, b]);
		expect(await app.vault.read(file)).toBe('1ab');
		await expect(app.vault.process(file, (() => Promise.resolve('x')) as unknown as (t: string) => string)).rejects.toThrow(TypeError);
	});

	it('reads, renames and deletes, firing events that offref detaches', async () => {
		const app = createFakeApp();
		const seen: string[] = [];
		const refs = [
			app.vault.on('create', (f: TFile) => seen.push(`create ${f.path}`)),
			app.vault.on('modify', (f: TFile) => seen.push(`modify ${f.path}`)),
			app.vault.on('rename', (f: TFile, old: string) => seen.push(`rename ${old} ${f.path}`)),
			app.vault.on('delete', (f: TFile) => seen.push(`delete ${f.path}`)),
		];
		const file = await app.vault.create('a.md', 'x');
		await app.vault.modify(file, 'y');
		expect(await app.vault.cachedRead(file)).toBe('y');
		await app.vault.rename(file, 'b.md');
		await expect(app.vault.rename(file, 'b.md')).resolves.toBeUndefined();
		await app.vault.create('c.md', '');
		await expect(app.vault.rename(file, 'c.md')).rejects.toThrow('Destination file already exists!');
		await expect(app.vault.rename(file, 'Nope/b.md')).rejects.toMatchObject({ code: 'ENOENT' });
		await app.vault.delete(file);
		await expect(app.vault.read(file)).rejects.toMatchObject({ code: 'ENOENT' });
		expect(seen).toEqual(['create a.md', 'modify a.md', 'rename a.md b.md', 'create c.md', 'delete b.md']);
		for (const ref of refs) app.vault.offref(ref);
		expect(app.vault.listenerCount()).toBe(0);
		expect(app.vault.getMarkdownFiles().map((f) => f.path)).toEqual(['c.md']);
	});

	it('mirrors a real folder when asked to', async () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, 'old.md'), '---\nbook_id: 1\n---\n');
		fs.mkdirSync(path.join(dir, '.config'));
		const app = createFakeApp({ vaultDir: dir });
		expect(app.vault.getFileByPath('old.md')).toBeInstanceOf(TFile);
		expect(app.vault.getAbstractFileByPath('.config')).toBeNull();
		await app.vault.createFolder('Books');
		await app.vault.create('Books/new.md', 'text');
		expect(fs.readFileSync(path.join(dir, 'Books/new.md'), 'utf8')).toBe('text');
	});
});

describe('metadata cache', () => {
	it('is null until the file is indexed a macrotask after the write, then fires changed', async () => {
		const app = createFakeApp();
		const changed: string[] = [];
		app.metadataCache.on('changed', (file: TFile) => changed.push(file.path));
		const file = await app.vault.create('n.md', '---\nbook_id: "7"\npublished: 2024-01-02\n---\nbody');
		expect(app.metadataCache.getFileCache(file)).toBeNull();
		await Promise.resolve();
		expect(app.metadataCache.getFileCache(file)).toBeNull();
		await app.metadataCache.settle();
		expect(changed).toEqual(['n.md']);
		expect(app.metadataCache.getFileCache(file)?.frontmatter).toEqual({ book_id: '7', published: '2024-01-02' });
	});

	it('is stale after a modify until re-indexed', async () => {
		const app = createFakeApp({ files: { 'n.md': '---\nbook_id: 1\n---\n' } });
		const file = app.vault.getFileByPath('n.md');
		if (!file) throw new Error('missing');
		expect(app.metadataCache.getFileCache(file)?.frontmatter).toEqual({ book_id: 1 });
		await app.vault.modify(file, '---\nbook_id: 2\n---\n');
		expect(app.metadataCache.getFileCache(file)?.frontmatter).toEqual({ book_id: 1 });
		await app.metadataCache.settle();
		expect(app.metadataCache.getFileCache(file)?.frontmatter).toEqual({ book_id: 2 });
	});

	it('is not updated on rename and fires no changed event', async () => {
		const app = createFakeApp({ files: { 'a.md': '---\nbook_id: 1\n---\n' } });
		const file = app.vault.getFileByPath('a.md');
		if (!file) throw new Error('missing');
		let changed = 0;
		app.metadataCache.on('changed', () => changed++);
		await app.vault.rename(file, 'b.md');
		await app.metadataCache.settle();
		expect(changed).toBe(0);
		expect(app.metadataCache.getFileCache(file)).toBeNull();
		expect(app.metadataCache.getCache('a.md')?.frontmatter).toEqual({ book_id: 1 });
		await app.vault.modify(file, '---\nbook_id: 1\n---\nx');
		await app.metadataCache.settle();
		expect(app.metadataCache.getFileCache(file)?.frontmatter).toEqual({ book_id: 1 });
		expect(app.metadataCache.getCache('a.md')).toBeNull();
	});

	it('leaves invalid YAML without frontmatter and can be paused', async () => {
		const app = createFakeApp();
		app.metadataCache.pauseIndexing();
		const bad = await app.vault.create('bad.md', '---\nkey: [unclosed\n---\n');
		await app.metadataCache.settle();
		expect(app.metadataCache.getFileCache(bad)).toBeNull();
		app.metadataCache.resumeIndexing();
		await app.metadataCache.settle();
		expect(app.metadataCache.getFileCache(bad)).not.toBeNull();
		expect(app.metadataCache.getFileCache(bad)?.frontmatter).toBeUndefined();
	});
});

describe('file manager', () => {
	it('renameFile updates links in other notes; vault.rename does not', async () => {
		const app = createFakeApp({
			files: {
				'Books/Old name.md': 'book',
				'Other.md': 'See [[Old name]], [[Old name|alias]] and [[Books/Old name#Part]].',
				'Third.md': 'See [[Old name]].',
			},
		});
		const file = app.vault.getFileByPath('Books/Old name.md');
		if (!file) throw new Error('missing');
		await app.fileManager.renameFile(file, 'Books/New name.md');
		expect(app.vault.peek('Other.md')).toBe('See [[New name]], [[New name|alias]] and [[New name#Part]].');
		await app.vault.rename(file, 'Books/Plain.md');
		expect(app.vault.peek('Third.md')).toBe('See [[New name]].');
	});

	it('processFrontMatter mutates the frontmatter and throws on invalid YAML', async () => {
		const app = createFakeApp({ files: { 'n.md': '---\na: 1\n---\nbody\n', 'bad.md': '---\na: [\n---\n' } });
		const file = app.vault.getFileByPath('n.md');
		const bad = app.vault.getFileByPath('bad.md');
		if (!file || !bad) throw new Error('missing');
		await app.fileManager.processFrontMatter(file, (fm) => {
			fm.b = ['x', 'y'];
		});
		expect(app.vault.peek('n.md')).toBe('---\na: 1\nb:\n  - x\n  - y\n---\nbody\n');
		await expect(app.fileManager.processFrontMatter(bad, () => undefined)).rejects.toThrow();
	});
});

describe('requestUrl', () => {
	let server: http.Server;
	let base = '';
	beforeAll(async () => {
		server = http.createServer((req, res) => {
			if (req.url === '/json') {
				res.writeHead(200, { 'Content-Type': 'application/json', 'Retry-After': '3' });
				res.end('{"ok":true}');
			} else if (req.url === '/html') {
				res.writeHead(200, { 'Content-Type': 'text/html' });
				res.end('<html></html>');
			} else if (req.url === '/gzip') {
				const body = gzipSync(`{"asked":${JSON.stringify(req.headers['accept-encoding'] ?? null)}}`);
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
				res.end(body);
			} else {
				res.writeHead(404, { 'Content-Type': 'text/plain' });
				res.end('nope');
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => server.close());

	it('returns status, lower-case headers, text and json on desktop', async () => {
		createFakeApp({ platform: 'desktop' });
		const response = await requestUrl({ url: `${base}/json` });
		expect(response.status).toBe(200);
		expect(response.headers['retry-after']).toBe('3');
		expect(response.headers['Retry-After']).toBeUndefined();
		expect(response.json).toEqual({ ok: true });
		expect(response.arrayBuffer.byteLength).toBe(11);
		expect(await requestUrl(`${base}/json`).text).toBe('{"ok":true}');
	});

	it('asks for a compressed body and hands it over decoded, with the headers of the wire, like the platform', async () => {
		createFakeApp({ platform: 'desktop' });
		const response = await requestUrl({ url: `${base}/gzip` });
		expect(response.json).toEqual({ asked: 'gzip, deflate, br' });
		expect(response.headers['content-encoding']).toBe('gzip');
		expect((await requestUrl({ url: `${base}/gzip`, headers: { 'Accept-Encoding': 'gzip' } })).json).toEqual({ asked: 'gzip' });
	});

	it('keeps the server header casing on iOS', async () => {
		createFakeApp({ platform: 'ios' });
		const response = await requestUrl({ url: `${base}/json` });
		expect(response.headers['Retry-After']).toBe('3');
		expect(response.headers['retry-after']).toBeUndefined();
	});

	it('throws on >= 400 unless throw: false; json throws on a non-JSON body', async () => {
		createFakeApp();
		await expect(requestUrl({ url: `${base}/missing` })).rejects.toMatchObject({ status: 404 });
		const response = await requestUrl({ url: `${base}/missing`, throw: false });
		expect(response.status).toBe(404);
		expect(response.text).toBe('nope');
		const html = await requestUrl({ url: `${base}/html` });
		expect(() => {
			void html.json;
		}).toThrow(SyntaxError);
	});

	it('over fetch (the transport of the browser page): the same status, headers, errors and log', async () => {
		createFakeApp({ platform: 'android' });
		setRequestTransport(fetchTransport);
		try {
			const before = requestLog.length;
			const response = await requestUrl({ url: `${base}/json`, headers: { Authorization: 'Bearer t' } });
			expect(response.status).toBe(200);
			expect(response.headers['retry-after']).toBe('3');
			expect(response.json).toEqual({ ok: true });
			expect(response.arrayBuffer.byteLength).toBe(11);
			expect(requestLog.slice(before)).toEqual([{ url: `${base}/json`, method: 'GET', headers: { Authorization: 'Bearer t' } }]);
			await expect(requestUrl({ url: `${base}/missing` })).rejects.toMatchObject({ status: 404 });
			expect((await requestUrl({ url: `${base}/missing`, throw: false })).text).toBe('nope');
			await expect(requestUrl({ url: 'https://example.com/' })).rejects.toThrow(/loopback/);
		} finally {
			setRequestTransport(nodeTransport);
		}
	});

	it('rejects on network failure and refuses non-loopback hosts', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		await expect(requestUrl({ url: `http://127.0.0.1:${port}/` })).rejects.toThrow('net::ERR_CONNECTION_REFUSED');
		await expect(requestUrl({ url: 'https://example.com/' })).rejects.toThrow(/loopback/);
	});
});

describe('app', () => {
	it('keeps local storage per vault and as JSON', () => {
		const device = new Map<string, string>();
		const a = createFakeApp({ vaultName: 'A', localStorage: device });
		const b = createFakeApp({ vaultName: 'B', localStorage: device });
		a.saveLocalStorage('k', { n: 1 });
		expect(a.loadLocalStorage('k')).toEqual({ n: 1 });
		expect(b.loadLocalStorage('k')).toBeNull();
		a.saveLocalStorage('k', null);
		expect(a.loadLocalStorage('k')).toBeNull();
	});

	it('throws the way Chromium does once the vaults of one device fill the quota, keeping what was stored', () => {
		const device = new Map<string, string>();
		const a = createFakeApp({ vaultName: 'A', localStorage: device });
		const b = createFakeApp({ vaultName: 'B', localStorage: device });
		a.saveLocalStorage('big', 'x'.repeat(LOCAL_STORAGE_QUOTA - 1_000));
		b.saveLocalStorage('small', 'y'.repeat(500));
		expect(() => b.saveLocalStorage('more', 'z'.repeat(1_000))).toThrow(expect.objectContaining({ name: 'QuotaExceededError' }));
		expect(b.loadLocalStorage('more')).toBeNull();
		expect(b.loadLocalStorage('small')).toBe('y'.repeat(500));
		// Replacing a value counts the new one only; removing always works.
		a.saveLocalStorage('big', 'x'.repeat(LOCAL_STORAGE_QUOTA - 2_000));
		a.saveLocalStorage('big', null);
		b.saveLocalStorage('more', 'z'.repeat(1_000));
	});

	it('stores secrets by a lower-case id', () => {
		const app = createFakeApp();
		app.secretStorage.setSecret('library-sync-token', 's3cret');
		expect(app.secretStorage.getSecret('library-sync-token')).toBe('s3cret');
		expect(app.secretStorage.getSecret('other')).toBeNull();
		expect(app.secretStorage.listSecrets()).toEqual(['library-sync-token']);
		expect(() => app.secretStorage.setSecret('Bad Name', 'x')).toThrow();
	});

	it('runs onLayoutReady callbacks when the layout is ready, or at once if it already is', () => {
		const app = createFakeApp();
		const calls: string[] = [];
		app.workspace.onLayoutReady(() => calls.push('early'));
		expect(calls).toEqual([]);
		app.workspace.setLayoutReady();
		app.workspace.onLayoutReady(() => calls.push('late'));
		expect(calls).toEqual(['early', 'late']);
	});

	it('switches Platform per app', () => {
		createFakeApp({ platform: 'mobile' });
		expect(Platform).toMatchObject({ isMobile: true, isMobileApp: true, isDesktop: false, isDesktopApp: false, isIosApp: true });
		createFakeApp({ platform: 'desktop' });
		expect(Platform).toMatchObject({ isMobile: false, isDesktopApp: true });
	});
});

describe('plugin lifecycle', () => {
	class TestPlugin extends Plugin {
		ticks = 0;
		override async onload(): Promise<void> {
			await Promise.resolve();
			this.addCommand({ id: 'sync-now', name: 'Sync now', callback: () => this.ticks++ });
			this.addRibbonIcon('refresh-cw', 'Sync', () => undefined);
			this.addStatusBarItem().setText('Idle');
			this.registerEvent(this.app.vault.on('modify', () => undefined));
			this.registerInterval(window.setInterval(() => this.ticks++, 60_000));
			this.registerDomEvent(this.app.fake.window, 'online', () => undefined);
			let cleaned = false;
			this.register(() => (cleaned = !cleaned));
		}
	}
	const manifest = { id: 'library-sync', name: 'Library Sync', version: '0.1.0', minAppVersion: '1.11.4', description: 'x', author: 'x' };

	it('undoes every registration on unload', async () => {
		const app = createFakeApp();
		const plugin = new TestPlugin(app, manifest);
		plugin.load();
		await plugin._onloadResult;
		expect(plugin.registrationCounts()).toMatchObject({ commands: 1, ribbonIcons: 1, statusBarItems: 1, events: 1, intervals: 1, domEvents: 1, callbacks: 4 });
		await app.fake.runCommand('library-sync:sync-now');
		expect(plugin.ticks).toBe(1);
		expect(app.fake.window.activeIntervals()).toBe(1);
		plugin.unload();
		expect(plugin.registrationCounts()).toEqual({ events: 0, intervals: 0, domEvents: 0, callbacks: 0, children: 0, commands: 0, ribbonIcons: 0, statusBarItems: 0, settingTabs: 0, views: 0 });
		expect(app.vault.listenerCount()).toBe(0);
		expect(app.fake.window.activeIntervals()).toBe(0);
		expect(app.fake.window.listenerCount()).toBe(0);
		expect(app.fake.commands.size).toBe(0);
		expect(app.fake.statusBarEl.children).toHaveLength(0);
	});

	it('has no status bar on mobile: the item is detached', async () => {
		const app = createFakeApp({ platform: 'mobile' });
		const plugin = new TestPlugin(app, manifest);
		plugin.load();
		await plugin._onloadResult;
		expect(app.fake.statusBarRequestsOnMobile).toBe(1);
		expect(app.fake.statusBarEl.children).toHaveLength(0);
		expect(plugin.registrationCounts().statusBarItems).toBe(0);
		plugin.unload();
	});

	it('loadData is null without data.json; saveData writes it in the plugin folder', async () => {
		const dir = tempDir();
		const app = createFakeApp({ vaultDir: dir });
		const plugin = new TestPlugin(app, manifest);
		expect(await plugin.loadData()).toBeNull();
		await plugin.saveData({ a: 1 });
		expect(JSON.parse(fs.readFileSync(path.join(dir, app.vault.configDir, 'plugins/library-sync/data.json'), 'utf8'))).toEqual({ a: 1 });
		expect(await plugin.loadData()).toEqual({ a: 1 });
	});

	it('loads a CommonJS bundle with require("obsidian"), fires load events, then layout ready', async () => {
		const dir = tempDir();
		const mainJs = path.join(dir, 'main.js');
		fs.writeFileSync(
			mainJs,
			`"use strict";
const obsidian = require("obsidian");
class P extends obsidian.Plugin {
  onload() {
    this.events = [];
    this.nodeGlobals = [typeof process, typeof Buffer, typeof global];
    this.registerEvent(this.app.vault.on("create", (f) => this.events.push("early create " + f.path)));
    this.app.workspace.onLayoutReady(() => this.events.push("ready"));
    this.addCommand({ id: "sync", name: "Sync", callback: () => new obsidian.Notice("Synced") });
    try { require("fs"); this.fs = "loaded"; } catch (e) { this.fs = e.message; }
  }
}
module.exports = { default: P };
`,
		);
		const app = createFakeApp({ platform: 'mobile', files: { 'a.md': '' } });
		const loaded = await loadPluginBundle(mainJs, app, manifest);
		const plugin = loaded.plugin as unknown as { events: string[]; nodeGlobals: string[]; fs: string };
		expect(plugin.events).toEqual(['early create a.md', 'ready']);
		expect(plugin.nodeGlobals).toEqual(['undefined', 'undefined', 'undefined']);
		expect(plugin.fs).toBe("Cannot find module 'fs'");
		await app.fake.runCommand('library-sync:sync');
		expect(shownNotices.map((n) => n.message)).toEqual(['Synced']);
		expect(loaded.counts().commands).toBe(1);
		await loaded.unload();
		expect(loaded.counts()).toMatchObject({ commands: 0, events: 0 });
		expect(obsidianModule.Plugin).toBe(Plugin);
	});
});

describe('ui', () => {
	it('Notice updates its message in place', () => {
		const notice = new Notice('Syncing 1 of 3', 0);
		notice.setMessage('Syncing 2 of 3');
		expect(notice.message).toBe('Syncing 2 of 3');
		expect(notice.history).toEqual(['Syncing 1 of 3', 'Syncing 2 of 3']);
		expect(shownNotices).toHaveLength(1);
	});

	it('records the links a plugin opens', async () => {
		const app = createFakeApp();
		await app.workspace.openLinkText('Books/Library.base', '', false);
		expect(app.workspace.opened).toEqual(['Books/Library.base']);
	});

	it('keeps data.json in the config folder, readable at once with adapter.peek', async () => {
		const app = createFakeApp();
		expect(app.vault.adapter.peek('.obsidian/plugins/p/data.json')).toBeNull();
		await app.vault.adapter.write('.obsidian/plugins/p/data.json', '{"a":1}');
		expect(app.vault.adapter.peek('.obsidian/plugins/p/data.json')).toBe('{"a":1}');
		expect(app.vault.getAbstractFileByPath('.obsidian/plugins/p/data.json')).toBeNull();
		const onDisk = createFakeApp({ vaultDir: tempDir() });
		await onDisk.vault.adapter.write('.obsidian/plugins/p/data.json', '{}');
		expect(onDisk.vault.adapter.peek('.obsidian/plugins/p/data.json')).toBe('{}');
	});

	it('lists every input suggester with what it renders for a query', async () => {
		const app = createFakeApp({ files: { 'Books/a.md': '', 'Boxes/b.md': '' } });
		class FolderSuggest extends obsidianModule.AbstractInputSuggest<string> {
			picked = '';
			protected getSuggestions(query: string): string[] {
				return app.vault.getAllFolders().map((folder) => folder.path).filter((path) => path.toLowerCase().startsWith(query));
			}
			renderSuggestion(value: string, el: FakeElement): void {
				el.setText(`[${value}]`);
			}
			override selectSuggestion(value: string): void {
				this.picked = value;
			}
		}
		const suggester = new FolderSuggest(app, new FakeElement('input'));
		const [listed] = inputSuggests.slice(-1);
		expect(listed).toBe(suggester);
		expect(await listed?.simulateRendered('boo')).toEqual({ items: ['Books'], rendered: ['[Books]'] });
		listed?.selectSuggestion('Books', undefined);
		expect(suggester.picked).toBe('Books');
	});

	it('bundles for a browser: the entry of the page reaches no Node module and names no Node global', async () => {
		const result = await build({ entryPoints: [path.join(import.meta.dirname, 'browser.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', minify: true, logLevel: 'silent' });
		const code = result.outputFiles[0]?.text ?? '';
		expect(code).toContain('File already exists.');
		// Minified, so comments are gone (the yaml package names Buffer in an error message only).
		expect(code).not.toMatch(/\brequire\(|(?<![.\w])process\.|\bBuffer[.(]|typeof Buffer|__dirname|setImmediate\(/);
	});

	it('Setting, SettingGroup and SecretComponent render into the fake DOM', () => {
		const app = createFakeApp();
		const container = new FakeElement('div');
		let secret = '';
		new Setting(container).setName('Server').setHeading();
		new SettingGroup(container).setHeading('Connection').addSetting((setting) => {
			setting.setName('Token').addComponent((el) => new SecretComponent(app, el).setValue('library-sync-token').onChange((v) => (secret = v)));
		});
		expect(container.textContent).toContain('Server');
		const heading = container.findByClass('setting-group')[0]?.children[0];
		expect(heading?.className).toBe('setting-item setting-item-heading');
		expect(heading?.textContent).toBe('Connection');
		const input = container.findByClass('secret-component')[0];
		expect(input?.value).toBe('library-sync-token');
		let typed = '';
		new Setting(container).addText((text) => text.onChange((v) => (typed = v)).simulateInput('https://x'));
		expect(typed).toBe('https://x');
		expect(secret).toBe('');
	});
});
