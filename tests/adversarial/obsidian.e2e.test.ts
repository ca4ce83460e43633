/**
 * The Obsidian-specific adversarial cases: the built plugin (main.js) in
 * the Obsidian fake, against the reference server with hostile records and
 * hostile answers. Notes stay in the library folder and inert; the token
 * never shows in a notice, the report, data.json or local storage.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot } from '../cli/run-cli';
import { createFakeApp, loadPluginBundle, resetUi, shownNotices, type FakeApp, type LoadedPlugin } from '../obsidian-fake/index';
import type { RawBook } from '../server/raw-book';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { notesById, only } from './helpers';
import { assertInert } from './inert';
import { MAIN_JS, MANIFEST, until } from '../plugin/built-plugin';

const TOKEN = 'obsidian-adversarial-token-777';

interface PluginShape {
	syncSettings: { serverUrl: string };
	saveSettings(): Promise<void>;
	controller: { lastReport?: { ok: boolean; error?: { kind: string; message: string } } };
}

const HOSTILE: RawBook[] = [
	{ id: 'o-dvjs', title: 'Dataview JS', description: '<pre><code class="language-dataviewjs">dv.el("b", app.vault.getName())</code></pre><p>`$= dv.pages().length`</p>' },
	{ id: 'o-templater', title: '<%* await app.vault.delete(app.vault.getFiles()[0]) %>', author: '<% tp.file.title %>' },
	{ id: 'o-html', title: 'HTML', description: '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="obsidian://open?vault=x">o</a><a href="javascript:alert(3)">j</a>' },
	{ id: 'o-embed', title: 'Embeds', description: '<p>![[Daily note]] ![](https://tracker.example/p.png) [[Private]]</p>' },
	{ id: 'o-escape', title: '../../.obsidian/plugins/evil/main', author: '/abs', series: '..\\..' },
	{ id: 'o-config', title: '.obsidian' },
];

function noticeTexts(): string[] {
	return shownNotices.map((notice) => String(notice.messageEl.getText?.() ?? notice.noticeEl.getText?.() ?? ''));
}

describe('the built plugin in the Obsidian fake, against hostile data and answers', () => {
	let server: ReferenceServer;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;

	beforeEach(async () => {
		server = await startReferenceServer({ books: HOSTILE, token: TOKEN });
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-adversarial-'));
		resetUi();
	});
	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await server.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	async function syncOnce(token: string): Promise<{ app: FakeApp; plugin: PluginShape }> {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as PluginShape;
		app.secretStorage.setSecret('library-sync-token', token);
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the sync');
		return { app, plugin };
	}

	it('dataviewjs, inline JS, Templater, HTML, obsidian:// and javascript: links and embeds arrive inert through the vault API', async () => {
		const { plugin } = await syncOnce(TOKEN);
		expect(plugin.controller.lastReport?.ok).toBe(true);
		const notes = await notesById(vaultDir);
		for (const book of HOSTILE) assertInert(only(notes, book.id).text, { serverUrl: server.url });
	});

	it('titles aiming at ../.obsidian/plugins or named ".obsidian" stay notes in the library folder; the config folder gets no note', async () => {
		await syncOnce(TOKEN);
		const notes = await notesById(vaultDir);
		expect(only(notes, 'o-escape').path).toMatch(/^Books\/[^/.][^/]*\.md$/);
		expect(only(notes, 'o-config').path).toMatch(/^Books\/[^/.][^/]*\.md$/);
		const files = [...(await snapshot(vaultDir)).keys()];
		expect(files.filter((file) => file.endsWith('.md') && !file.startsWith('Books/'))).toEqual([]);
		expect(files.filter((file) => file.includes('plugins/evil'))).toEqual([]);
	});

	it('a rejected token: the notice says why in words, and neither notices, report, data.json nor local storage hold the token', async () => {
		const wrong = `${TOKEN}-wrong`;
		server.faults.push({ kind: 'status', status: 401, body: `{"error":"token ${wrong} rejected"}` });
		const { app, plugin } = await syncOnce(wrong);
		expect(plugin.controller.lastReport?.error?.kind).toBe('auth');
		expect(noticeTexts().some((text) => /token/i.test(text))).toBe(true);
		const everything = [
			...noticeTexts(),
			JSON.stringify(plugin.controller.lastReport),
			JSON.stringify([...app.fake.localStorage]),
			...[...(await snapshot(vaultDir)).values()].map((file) => file.text),
		].join('\n');
		expect(everything).not.toContain(wrong);
		expect(everything).not.toContain(TOKEN);
	});

	it('a 200 login page: the run fails with a sentence about a web page, no note is written, the token shows nowhere', async () => {
		server.faults.push({ kind: 'html' });
		const { plugin } = await syncOnce(TOKEN);
		expect(plugin.controller.lastReport?.ok).toBe(false);
		expect(plugin.controller.lastReport?.error?.message).toMatch(/web page/);
		expect((await notesById(vaultDir)).size).toBe(0);
		expect(noticeTexts().join('\n')).not.toContain(TOKEN);
	});
});
