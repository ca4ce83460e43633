import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, snapshot, notesIn } from '../cli/run-cli';
import { createFakeApp, loadPluginBundle, resetUi, shownNotices, type FakeApp, type LoadedPlugin } from '../obsidian-fake/index';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { MAIN_JS, MANIFEST, until } from './built-plugin';

const TOKEN = 'plugin-test-token-42';

interface PluginShape {
	syncSettings: { serverUrl: string; timeZone: string };
	saveSettings(): Promise<void>;
	controller: { isRunning: boolean; lastReport?: { ok: boolean; counts: Record<string, number>; error?: { kind: string; message: string } } };
}

describe('the built plugin in the Obsidian fake', () => {
	let server: ReferenceServer;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary(), token: TOKEN });
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-plugin-'));
		resetUi();
	});

	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await server.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	async function load(app: FakeApp): Promise<{ plugin: PluginShape; onloadMs: number }> {
		const started = performance.now();
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const onloadMs = performance.now() - started;
		return { plugin: loaded.plugin as unknown as PluginShape, onloadMs };
	}

	async function configure(app: FakeApp, plugin: PluginShape): Promise<void> {
		app.secretStorage.setSecret('library-sync-token', TOKEN);
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
	}

	it('loads without touching the network or the vault, then syncs from the command palette', async () => {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		const { plugin } = await load(app);
		expect(server.requests).toHaveLength(0);
		expect([...app.fake.commands.keys()].sort()).toEqual([
			'library-sync:cancel',
			'library-sync:create-library-view',
			'library-sync:reset-state',
			'library-sync:show-report',
			'library-sync:sync',
			'library-sync:sync-full',
		]);
		await configure(app, plugin);
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the sync to finish');
		expect(plugin.controller.lastReport?.ok).toBe(true);
		const notes = notesIn(await snapshot(vaultDir));
		expect(notes.length).toBe(sampleLibrary().length);
		expect(shownNotices.some((notice) => /Synced \d+ books/.test(String(notice.noticeEl.getText?.() ?? notice.messageEl.getText?.() ?? '')))).toBe(true);
	});

	it('downloads the covers of a server behind a path prefix, each asked for once per book, and the notice counts the ones it could not get', async () => {
		await server.stop();
		const prefix = '/some/prefix';
		server = await startReferenceServer({ books: sampleLibrary(), token: TOKEN, pathPrefix: prefix });
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		const { plugin } = await load(app);
		await configure(app, plugin);
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the sync to finish');
		expect(plugin.controller.lastReport?.ok).toBe(true);
		const served = server.covers?.requests ?? [];
		expect(served.length).toBeGreaterThan(100);
		expect(served.every((request) => request.url.startsWith(`${prefix}/covers/`) && request.status === 200)).toBe(true);
		const perBook = new Map<string, number>();
		for (const request of server.requests.filter((r) => !r.url.startsWith(`${prefix}/api/library/sync`))) perBook.set(request.url, (perBook.get(request.url) ?? 0) + 1);
		expect([...perBook].filter(([, count]) => count !== 1)).toEqual([]);
		const files = await snapshot(vaultDir);
		const linked = notesIn(files).filter((file) => /^cover: "\[\[Books\/covers\/[^"]+\.jpg\]\]"$/m.test(files.get(file)?.text ?? ''));
		expect(linked).toHaveLength(served.length);
		const texts = shownNotices.map((notice) => String(notice.noticeEl.getText?.() ?? notice.messageEl.getText?.() ?? ''));
		expect(texts.some((text) => /^Synced \d+ books: .*\. 2 covers could not be downloaded; "Show last sync report" says why\.$/.test(text)), texts.join(' | ')).toBe(true);
	});

	it('writes notes byte-identical to the CLI for the same vault settings', async () => {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		const { plugin } = await load(app);
		plugin.syncSettings.timeZone = 'Europe/Berlin';
		await configure(app, plugin);
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the plugin sync');

		const cliVault = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-cli-'));
		try {
			await fs.mkdir(path.join(cliVault, '.obsidian/plugins/library-sync'), { recursive: true });
			await fs.copyFile(path.join(vaultDir, '.obsidian/plugins/library-sync/data.json'), path.join(cliVault, '.obsidian/plugins/library-sync/data.json'));
			const result = await runCli(['sync', '--vault', cliVault], { LIBRARY_SYNC_TOKEN: TOKEN });
			expect(result.code).toBe(0);
			const fromPlugin = await snapshot(vaultDir);
			const fromCli = await snapshot(cliVault);
			const pluginNotes = notesIn(fromPlugin);
			expect(notesIn(fromCli)).toEqual(pluginNotes);
			for (const note of pluginNotes) expect(fromCli.get(note)?.text, note).toBe(fromPlugin.get(note)?.text);
			expect(pluginNotes.some((note) => fromPlugin.get(note)?.text.includes('T'))).toBe(true);
		} finally {
			await fs.rm(cliVault, { recursive: true, force: true });
		}
	});

	it('leaves nothing registered after unload: intervals, events, DOM, timers', async () => {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		const { plugin } = await load(app);
		await configure(app, plugin);
		app.workspace.setLayoutReady();
		await until(() => plugin.controller.lastReport !== undefined, 'the startup sync');
		expect(app.fake.statusBarEl.children.length).toBeGreaterThan(0);
		const before = loaded?.counts();
		expect(before?.intervals).toBeGreaterThan(0);
		await loaded?.unload();
		loaded = undefined;
		const window = app.fake.window;
		expect(window.activeIntervals()).toBe(0);
		expect(window.pendingTimeouts()).toBe(0);
		expect(app.fake.statusBarEl.children.length).toBe(0);
	});

	it('runs on mobile: no status bar, no Node, a sync that works', async () => {
		const app = createFakeApp({ vaultDir, platform: 'mobile' });
		const { plugin } = await load(app);
		await configure(app, plugin);
		app.workspace.setLayoutReady();
		await until(() => plugin.controller.lastReport !== undefined, 'the startup sync');
		expect(plugin.controller.lastReport?.ok).toBe(true);
		expect(app.fake.statusBarRequestsOnMobile).toBe(0);
	});

	it('pauses automatic runs after the token is rejected, until the settings change', async () => {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		const { plugin } = await load(app);
		app.secretStorage.setSecret('library-sync-token', 'a-wrong-token');
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
		app.workspace.setLayoutReady();
		await until(() => plugin.controller.lastReport !== undefined, 'the startup sync');
		expect(plugin.controller.lastReport?.error?.kind).toBe('auth');
		expect(shownNotices.some((notice) => /token/i.test(String(notice.messageEl.getText?.() ?? '')))).toBe(true);
		const requests = server.requests.length;
		const device = JSON.parse(app.fake.localStorage.get('fake-vault-library-sync-device') ?? '{}') as { authBlocked?: boolean };
		expect(device.authBlocked).toBe(true);
		await plugin.saveSettings();
		const after = JSON.parse(app.fake.localStorage.get('fake-vault-library-sync-device') ?? '{}') as { authBlocked?: boolean };
		expect(after.authBlocked).toBe(false);
		expect(server.requests.length).toBe(requests);
	});
});
