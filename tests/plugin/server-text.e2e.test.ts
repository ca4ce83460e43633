/**
 * The plugin shows server text as text, on one line (docs/security.md,
 * "Inert"), and says "no token is set" when no token is set.
 */
/* eslint-disable no-control-regex -- these tests look for control characters */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeApp, loadPluginBundle, openModals, resetUi, shownNotices, type FakeApp, type LoadedPlugin } from '../obsidian-fake/index';
import type { FakeElement } from '../obsidian-fake/dom';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { MAIN_JS, MANIFEST, until } from './built-plugin';

const TOKEN = 'server-text-token-42';
const HOSTILE_TITLE = 'Evil\u001b]0;pwned\u0007\n<b>bold</b> **strong**\u202eexe.txt';
const STEERING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

interface PluginShape {
	syncSettings: { serverUrl: string };
	saveSettings(): Promise<void>;
	controller: { lastReport?: { ok: boolean; warnings?: string[]; error?: { kind: string } } };
}

function leaves(el: FakeElement): FakeElement[] {
	return el.children.length === 0 ? [el] : el.children.flatMap(leaves);
}

describe('server text in the plugin', () => {
	let server: ReferenceServer;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;

	beforeEach(async () => {
		server = await startReferenceServer({ books: [{ id: 'evil-1', title: HOSTILE_TITLE, coverUrl: '/covers/evil-1.jpg' }], token: TOKEN });
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-plugin-'));
		resetUi();
	});

	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await server.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	async function load(app: FakeApp): Promise<PluginShape> {
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as PluginShape;
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
		return plugin;
	}

	it('says that no token is set, in the notice and the status bar, when the server needs one', async () => {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		const plugin = await load(app);
		app.workspace.setLayoutReady();
		await until(() => plugin.controller.lastReport !== undefined, 'the startup sync');
		expect(plugin.controller.lastReport?.error?.kind).toBe('auth');
		const messages = shownNotices.map((notice) => notice.message);
		expect(messages.some((message) => /no token is set/.test(message) && /Set the API token in the settings/.test(message))).toBe(true);
		expect(messages.some((message) => /rejected/.test(message))).toBe(false);
		expect(app.fake.statusBarEl.textContent).toContain('no token set');
	});

	it('shows a hostile title in the report as one line of plain text', async () => {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		app.secretStorage.setSecret('library-sync-token', TOKEN);
		const plugin = await load(app);
		server.covers?.faults.push({ kind: 'status', status: 404 });
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the sync to finish');
		expect(plugin.controller.lastReport?.warnings?.[0]).toContain(HOSTILE_TITLE);
		await app.fake.runCommand('library-sync:show-report');
		const modal = openModals.at(-1);
		expect(modal).toBeDefined();
		const texts = leaves(modal?.contentEl as unknown as FakeElement).map((el) => el.textContent);
		const warning = texts.find((text) => text.startsWith('Cover of Evil'));
		expect(warning).toContain('<b>bold</b> **strong**');
		expect(warning).toContain('\\x1b]0;pwned\\x07\\n');
		for (const text of texts) expect(text).not.toMatch(STEERING);
	});
});
/* eslint-enable no-control-regex -- end of the file */
