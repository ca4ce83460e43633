/**
 * Answers that arrive damaged, through the built CLI and the built plugin:
 * a `200` whose JSON stops before its end (a proxy or a restart cutting the
 * stream) is a passing fault, retried like a 5xx and then reported in one
 * sentence; a `200` that is complete JSON of the wrong shape is not retried;
 * a page without a usable `serverTime` still mirrors its books but leaves
 * the cursor where it was, and the run says so once. README, Guarantees:
 * honest; docs/api.md, "The answer".
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { createFakeApp, loadPluginBundle, openModals, resetUi, type LoadedPlugin } from '../obsidian-fake/index';
import type { FakeElement } from '../obsidian-fake/dom';
import { lines, notesById, only, parseReport, readState, syncCli } from './helpers';
import { envelope, honestPages, startRawServer, type RawHandler, type RawServer } from './raw-server';

const T1 = '2025-06-01T12:00:00.000Z';
const T2 = '2025-06-02T12:00:00.000Z';
const books = (count: number): Array<{ id: string; title: string }> =>
	Array.from({ length: count }, (_, i) => ({ id: `c${String(i + 1).padStart(2, '0')}`, title: `Cut Book ${String(i + 1).padStart(2, '0')}` }));

/** The honest page's JSON, cut in the middle (the framing stays right: Content-Length matches what is sent). */
function cutOff(handler: RawHandler): RawHandler {
	return async (request, index) => {
		const reply = await handler(request, index);
		const text = JSON.stringify(reply.body);
		return { ...reply, body: text.slice(0, Math.floor(text.length / 2)) };
	};
}

/** Pages with the `serverTime` field left out. */
function withoutServerTime(all: unknown[]): RawHandler {
	return ({ page, limit }) => ({ body: envelope(all.slice((page - 1) * limit, page * limit), { page, limit, total: all.length }, null) });
}

describe('cut-off and incomplete answers through the CLI', () => {
	let raw: RawServer;
	let vault: string;
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await raw.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('a 200 cut off once, then the whole page: retried, the run completes, the extra request is in the report', async () => {
		const honest = honestPages(books(3), T1);
		const cut = cutOff(honest);
		raw = await startRawServer((request, index) => (index === 0 ? cut(request, index) : honest(request, index)));
		const result = await syncCli(raw.url, vault, undefined, '--json');
		expect(result.code).toBe(0);
		const report = parseReport(result.stdout);
		expect(report.ok).toBe(true);
		expect(report.pages).toBe(1);
		expect(report.requests).toBe(2);
		expect(raw.requests).toHaveLength(2);
		expect((await notesById(vault)).size).toBe(3);
		expect((await readState(vault)).cursor).toBe(T1);
	});

	it('a 200 cut off on every attempt: exit 1 after the bounded retries, one sentence naming only the host, cursor and notes kept', async () => {
		raw = await startRawServer(honestPages(books(3), T1));
		expect((await syncCli(raw.url, vault, undefined)).code).toBe(0);
		const before = await notesById(vault);
		raw.handler = cutOff(honestPages(books(3), T2));
		const result = await syncCli(raw.url, vault, undefined);
		expect(result.code).toBe(1);
		// The first run's request, then the five attempts of the retry policy.
		expect(raw.requests).toHaveLength(1 + 5);
		const stderr = lines(result.stderr);
		expect(stderr).toHaveLength(1);
		expect(stderr[0]).toMatch(/cut off/);
		expect(stderr[0]).toContain(`127.0.0.1:${raw.port}`);
		expect(stderr[0]).not.toMatch(/since=|page=|\/api\//);
		expect(stderr[0]).not.toContain('Cut Book');
		expect((await readState(vault)).cursor).toBe(T1);
		expect(await notesById(vault)).toEqual(before);
	}, 60_000);

	it('a 200 that is complete JSON but not the feed (an error object): not retried, exit 1, one sentence', async () => {
		raw = await startRawServer(() => ({ body: { error: 'maintenance' } }));
		const result = await syncCli(raw.url, vault, undefined, '--json');
		expect(result.code).toBe(1);
		expect(raw.requests).toHaveLength(1);
		expect(parseReport(result.stdout).error?.kind).toBe('protocol');
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toMatch(/not library sync data/);
	});

	it('pages without serverTime: every book mirrored, exit 0, the cursor stays where it was, one warning for the run', async () => {
		raw = await startRawServer(honestPages(books(2), T1));
		expect((await syncCli(raw.url, vault, undefined, '--limit', '2')).code).toBe(0);
		expect((await readState(vault)).cursor).toBe(T1);
		const all = books(5);
		raw.handler = withoutServerTime(all);
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2', '--json');
		expect(result.code).toBe(0);
		const report = parseReport(result.stdout);
		expect(report.ok).toBe(true);
		expect(report.pages).toBe(3);
		expect(report.cursor).toBeUndefined();
		expect(report.warnings).toHaveLength(1);
		expect(report.warnings?.[0]).toMatch(/serverTime/);
		const notes = await notesById(vault);
		for (const book of all) only(notes, book.id);
		expect((await readState(vault)).cursor).toBe(T1);
		// The next run asks from the same cursor again.
		const sinceBefore = raw.requests.at(-1)?.since;
		expect(sinceBefore).toBeTruthy();
		raw.handler = honestPages(all, T2);
		expect((await syncCli(raw.url, vault, undefined, '--limit', '2')).code).toBe(0);
		expect(raw.requests.at(-1)?.since).toBe(sinceBefore);
		expect((await readState(vault)).cursor).toBe(T2);
	});

	it('the same in the summary: one warning line on standard error, the books counted as synced', async () => {
		raw = await startRawServer(withoutServerTime(books(5)));
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^Synced 5 books: 5 created/);
		const stderr = lines(result.stderr);
		expect(stderr).toHaveLength(2);
		expect(stderr[0]).toBe('library-sync: warnings:');
		expect(stderr[1]).toMatch(/^ {2}.*serverTime/);
		expect((await notesById(vault)).size).toBe(5);
		expect((await readState(vault)).cursor).toBeUndefined();
	});
});

const MAIN_JS = path.resolve(import.meta.dirname, '../../main.js');
const MANIFEST = { id: 'library-sync', name: 'Library Sync', version: '0.1.0', minAppVersion: '1.11.4', description: 'Test', author: 'Test', dir: '.obsidian/plugins/library-sync' };

interface PluginShape {
	syncSettings: { serverUrl: string };
	saveSettings(): Promise<void>;
	controller: { lastReport?: { ok: boolean; requests: number; warnings?: string[]; error?: { kind: string; message: string } } };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

function leaves(el: FakeElement): FakeElement[] {
	return el.children.length === 0 ? [el] : el.children.flatMap(leaves);
}

describe('cut-off and incomplete answers in the plugin', () => {
	let raw: RawServer;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;
	beforeEach(async () => {
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-cut-off-'));
		resetUi();
	});
	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await raw.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	async function syncOnce(): Promise<PluginShape> {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as PluginShape;
		plugin.syncSettings.serverUrl = raw.url;
		await plugin.saveSettings();
		await app.fake.runCommand('library-sync:sync');
		await until(() => plugin.controller.lastReport !== undefined, 'the sync');
		return plugin;
	}

	it('a 200 cut off once is retried and the sync completes', async () => {
		const honest = honestPages(books(3), T1);
		const cut = cutOff(honest);
		raw = await startRawServer((request, index) => (index === 0 ? cut(request, index) : honest(request, index)));
		const plugin = await syncOnce();
		expect(plugin.controller.lastReport?.ok).toBe(true);
		expect(plugin.controller.lastReport?.requests).toBe(2);
		expect((await notesById(vaultDir)).size).toBe(3);
	});

	it('pages without serverTime: the notes are written and the report shows the one warning', async () => {
		raw = await startRawServer(withoutServerTime(books(5)));
		const plugin = await syncOnce();
		expect(plugin.controller.lastReport?.ok).toBe(true);
		expect(plugin.controller.lastReport?.warnings).toHaveLength(1);
		expect((await notesById(vaultDir)).size).toBe(5);
		await loaded?.app.fake.runCommand('library-sync:show-report');
		const modal = openModals.at(-1);
		expect(modal).toBeDefined();
		const texts = leaves(modal?.contentEl as unknown as FakeElement).map((el) => el.textContent);
		expect(texts.filter((text) => /serverTime/.test(text))).toHaveLength(1);
	});
});
