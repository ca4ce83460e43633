import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeApp, loadPluginBundle, resetUi, type FakeApp, type LoadedPlugin } from '../obsidian-fake/index';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { MAIN_JS, MANIFEST, runAndReport, type PluginReport, type PluginShape } from './built-plugin';

/**
 * The plugin's full walk (the command, and the daily automatic one) over a
 * synced vault: a note whose book, settings and file are as they were is
 * not read, and anything else still is. The vault stamps files a minute in
 * the past, as if the first sync ran a minute ago: a note changed within
 * the last two seconds is never trusted by its time.
 */
describe('the plugin\'s full walk skips the notes that did not change (Obsidian fake)', () => {
	let server: ReferenceServer;
	let vaultDir: string;
	let app: FakeApp;
	let loaded: LoadedPlugin | undefined;
	let plugin: PluginShape;
	let reads: string[];
	const device = new Map<string, string>();

	async function load(): Promise<void> {
		app = createFakeApp({ vaultDir, platform: 'desktop', localStorage: device, now: () => Date.now() - 60_000 });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		plugin = loaded.plugin as unknown as PluginShape;
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
		const read = app.vault.read.bind(app.vault);
		vi.spyOn(app.vault, 'read').mockImplementation((file) => {
			reads.push(file.path);
			return read(file);
		});
	}

	async function command(id: string): Promise<PluginReport> {
		reads = [];
		return runAndReport(app, plugin.controller, id);
	}

	const books = (paths: string[]): string[] => paths.filter((file) => file.startsWith('Books/') && file.endsWith('.md'));
	/** Books named as another's possible duplicate are always read: their link is decided in feed order. */
	const checked = (paths: string[]): string[] => {
		const linked = new Set(sampleLibrary().flatMap((book) => (book.possibleDuplicateOf && book.possibleDuplicateOf !== book.id ? [book.id] : [])));
		const linkedPaths = new Set(app.vault.getMarkdownFiles().filter((file) => linked.has(String(app.metadataCache.getFileCache(file)?.frontmatter?.book_id))).map((file) => file.path));
		expect(linkedPaths.size).toBe(2);
		return books(paths).filter((file) => !linkedPaths.has(file));
	};

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary() });
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-walk-'));
		device.clear();
		resetUi();
		reads = [];
		await load();
		expect((await command('sync')).ok).toBe(true);
	});

	afterEach(async () => {
		await loaded?.unload();
		await server.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	it('once a full walk has checked every note against its file, the next ones read none, across a restart of the app', async () => {
		const total = sampleLibrary().length;
		const first = await command('sync-full');
		expect(first.counts.unchanged).toBe(total);
		const second = await command('sync-full');
		expect(second.counts.unchanged).toBe(total);
		expect(checked(reads)).toEqual([]);
		await loaded?.unload();
		await load();
		const afterRestart = await command('sync-full');
		expect(afterRestart.counts.unchanged).toBe(total);
		expect(checked(reads)).toEqual([]);
	});

	it('still reads, and keeps, a note the user edited, and updates a note whose book changed', async () => {
		await command('sync-full');
		const [edited, other] = app.vault.getMarkdownFiles().filter((file) => file.path.startsWith('Books/'));
		if (edited === undefined || other === undefined) throw new Error('no notes');
		await app.vault.process(edited, (text) => `${text}\nMy own thoughts.\n`);
		const id = app.metadataCache.getFileCache(other)?.frontmatter?.book_id as string;
		server.mutate.setProgress(id, { percentage: 42 });
		const report = await command('sync-full');
		expect(report.ok).toBe(true);
		expect(report.counts.updated).toBe(1);
		expect([...new Set(checked(reads))].sort()).toEqual([edited.path, other.path].sort());
		expect(await fs.readFile(path.join(vaultDir, edited.path), 'utf8')).toContain('My own thoughts.');
		expect(await fs.readFile(path.join(vaultDir, other.path), 'utf8')).toMatch(/: 42\b/);
	});
});
