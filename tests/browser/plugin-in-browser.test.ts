/**
 * The built main.js in headless Chromium, as the mobile app runs it: a web
 * view with no Node (no fs, path, crypto, Buffer, process), the plugin
 * evaluated as a CommonJS function whose `require` knows only 'obsidian'.
 *
 * The page is served from the reference server's own origin (Playwright
 * answers `/__harness/*`; everything else reaches the real server), so the
 * plugin's `requestUrl` calls, which the fake runs over `fetch`, are
 * same-origin and CORS plays no part, as with the app's `requestUrl`.
 *
 * The tests share one page and run in order: load, sync, compare with the
 * CLI, sync again, UI, unload.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesIn, runCli, snapshot } from '../cli/run-cli';
import { startReferenceServer, SYNC_PATH, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { chromiumPath } from './chromium-path';
import type { LoadResult, VaultSnapshot } from './harness';
import { CHROMIUM_ARGS, inPage, openPluginPage } from './plugin-page';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN_JS = path.join(ROOT, 'main.js');
const TOKEN = 'browser-test-token-7';
const TIME_ZONE = 'Europe/Berlin';
const BOOKS = sampleLibrary().length;

describe('main.js in headless Chromium (a web view without Node)', () => {
	let server: ReferenceServer;
	let browser: Browser | undefined;
	let page: Page;
	let loadResult: LoadResult;
	let afterSync: VaultSnapshot;
	let downloadedCovers = new Set<string>();
	const consoleErrors: string[] = [];
	let setupError: Error | undefined;
	const started = Date.now();

	beforeAll(async () => {
		try {
			await setUp();
		} catch (error) {
			// Every test then fails with this error: a missing browser is a failure, never a skip.
			setupError = error instanceof Error ? error : new Error('The browser test could not start', { cause: error });
		}
	});

	async function setUp(): Promise<void> {
		const executablePath = await chromiumPath();
		if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first.`);
		const mainJs = await fs.readFile(MAIN_JS, 'utf8');
		server = await startReferenceServer({ books: sampleLibrary(), token: TOKEN });
		browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
		const context = await browser.newContext();
		page = await context.newPage();
		page.on('console', (message) => {
			if (message.type() === 'error') consoleErrors.push(message.text());
		});
		await openPluginPage(page, server.url, mainJs);
	}

	function ready(): void {
		if (setupError) throw setupError;
	}

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		if (setupError === undefined) console.debug(`browser test: ${BOOKS} books, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
	});

	it('loads main.js in a page with no Node globals, asking only for obsidian', async () => {
		ready();
		loadResult = await inPage(page, (harness) => harness.load());
		expect(loadResult.globals).toEqual({
			process: 'undefined',
			Buffer: 'undefined',
			global: 'undefined',
			require: 'undefined',
			module: 'undefined',
			__dirname: 'undefined',
			setImmediate: 'undefined',
		});
		expect(loadResult.leakedGlobals, 'main.js defines no globals').toEqual([]);
		expect(loadResult.extendsPlugin).toBe(true);
		expect(loadResult.requested).toContain('obsidian');
		// js-yaml 3 (gray-matter's engine) probes for 'buffer' and 'esprima' inside try/catch
		// and does without them; nothing else may be asked for.
		const optional = new Set(['buffer', 'esprima']);
		expect(loadResult.refused.filter((id) => !optional.has(id))).toEqual([]);
		expect(loadResult.commands).toEqual([
			'library-sync:cancel',
			'library-sync:create-library-view',
			'library-sync:reset-state',
			'library-sync:show-report',
			'library-sync:sync',
			'library-sync:sync-full',
		]);
		expect(loadResult.settingTabs).toBe(1);
		expect(loadResult.statusBarItems, 'mobile has no status bar').toBe(0);
		expect(server.requests, 'no network before the user configured a server').toHaveLength(0);
	});

	it('syncs the sample library from the command palette: one note per book', async () => {
		ready();
		await inPage(page, (harness, options) => harness.configure(options), { serverUrl: server.url, token: TOKEN, timeZone: TIME_ZONE });
		const { report, ms } = await inPage(page, (harness) => harness.sync('library-sync:sync'));
		console.debug(`browser: onload ${Math.round(loadResult.onloadMs)} ms; sync of ${BOOKS} books ${Math.round(ms)} ms, ${report.requests} requests`);
		expect(report.error).toBeUndefined();
		expect(report.ok).toBe(true);
		expect(report.counts.created).toBe(BOOKS);
		expect(report.failures).toEqual([]);

		afterSync = await inPage(page, (harness) => harness.snapshot());
		const notes = Object.keys(afterSync.notes).filter((file) => file.startsWith('Books/') && file.endsWith('.md'));
		expect(notes).toHaveLength(BOOKS);
		// Notes, the covers downloaded through the binary vault API, their index, and the library view.
		const others = afterSync.files.filter((file) => !notes.includes(file));
		expect(others.filter((file) => !/^Books\/covers\/[^/]+\.(?:jpg|png)$/.test(file)).sort()).toEqual(['Books/Library.base', 'Books/covers/library-sync-covers.json']);
		expect(others.length).toBeGreaterThan(100);
		for (const note of notes) expect(afterSync.notes[note], note).toMatch(/^---\n(?:.*\n)*?book_id: /);
		expect(afterSync.indexedIds, 'the metadata cache indexed every note with its id').toBe(BOOKS);
		expect(afterSync.notices.some((text) => text.startsWith(`Synced ${BOOKS} books`))).toBe(true);

		// The requests came from Chromium, with the token from SecretStorage (covers too: same origin).
		const feed = server.requests.filter((request) => request.url.startsWith(SYNC_PATH));
		expect(feed.length).toBe(report.requests);
		for (const request of server.requests) {
			expect(String(request.headers['user-agent'])).toContain('HeadlessChrome');
			expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		}
		for (const request of feed) expect(request.status).toBe(200);

		// Each cover is asked for once per book on a first sync. (The server also counts the CLI's
		// requests of the next test, which fills its own vault: about two per book over the file.)
		const covers = server.requests.filter((request) => !request.url.startsWith(SYNC_PATH));
		const perBook = new Map<string, number>();
		for (const request of covers) perBook.set(request.url, (perBook.get(request.url) ?? 0) + 1);
		expect(perBook.size).toBeGreaterThan(100);
		expect([...perBook].filter(([, count]) => count !== 1)).toEqual([]);
		downloadedCovers = new Set(covers.filter((request) => request.status === 200).map((request) => request.url));
	});

	it('writes notes byte-identical to the CLI with the same settings', async () => {
		ready();
		expect(afterSync, 'the sync test must pass first').toBeDefined();
		expect(afterSync.dataJson).not.toBeNull();
		const settings = JSON.parse(afterSync.dataJson ?? '{}') as Record<string, unknown>;
		expect(settings.serverUrl).toBe(server.url);
		expect(settings.timeZone).toBe(TIME_ZONE);
		expect(JSON.stringify(settings)).not.toContain(TOKEN);

		const cliVault = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-browser-cli-'));
		try {
			const pluginDir = path.join(cliVault, '.obsidian/plugins/library-sync');
			await fs.mkdir(pluginDir, { recursive: true });
			await fs.writeFile(path.join(pluginDir, 'data.json'), afterSync.dataJson ?? '');
			const result = await runCli(['sync', '--vault', cliVault], { LIBRARY_SYNC_TOKEN: TOKEN });
			expect(result.code, result.stderr).toBe(0);
			const fromCli = await snapshot(cliVault);
			const cliNotes = notesIn(fromCli);
			const browserNotes = notesIn(new Map(Object.entries(afterSync.notes).map(([file, text]) => [file, { text }])));
			expect(browserNotes).toEqual(cliNotes);
			for (const note of cliNotes) expect(afterSync.notes[note], note).toBe(fromCli.get(note)?.text);
			// The time zone reached the notes (a Berlin offset or a local date-time).
			expect(cliNotes.some((note) => /T\d\d:\d\d/.test(fromCli.get(note)?.text ?? ''))).toBe(true);
		} finally {
			await fs.rm(cliVault, { recursive: true, force: true });
		}
	});

	it('runs a full sync over its own notes without changing one (ids from the cache, merge in the page)', async () => {
		ready();
		const before = server.requests.length;
		const { report } = await inPage(page, (harness) => harness.sync('library-sync:sync-full'));
		const asked = server.requests.slice(before).filter((request) => !request.url.startsWith(SYNC_PATH)).map((request) => request.url);
		expect(report.error).toBeUndefined();
		// Only covers that could not be had are asked for again; the downloaded ones are in the vault.
		expect(asked.filter((url) => downloadedCovers.has(url))).toEqual([]);
		expect(report.mode).toBe('full');
		expect(report.counts).toMatchObject({ created: 0, updated: 0, renamed: 0, failed: 0, unchanged: BOOKS });
		const again = await inPage(page, (harness) => harness.snapshot());
		expect(again.notes).toEqual(afterSync.notes);
	});

	it('renders the settings tab, the folder suggester and the report modal', async () => {
		ready();
		const ui = await inPage(page, (harness) => harness.ui());
		expect(ui.settingHeadings).toContain('Connection');
		expect(ui.settingHeadings.every((heading) => heading.trim() !== '')).toBe(true);
		expect(ui.settingsText).toContain('Server URL');
		expect(ui.settingsText, 'the file name preview rendered').toMatch(/Example: [^\n]+\.md/);
		expect(ui.folderSuggestions).toEqual(['Books', 'Books/covers']);
		expect(ui.reportModalText).toContain(`Synced ${BOOKS} books`);
		expect(ui.connectionTest).toContain(`${BOOKS} books`);
	});

	it('unloads cleanly, and the page saw no uncaught error', async () => {
		ready();
		const unloaded = await inPage(page, (harness) => harness.unload());
		expect(unloaded).toEqual({ registrations: 0, commands: 0 });
		expect(await inPage(page, (harness) => harness.errors())).toEqual([]);
		// Chromium logs every failed fetch; the sample library has covers the server does not have (404).
		expect(consoleErrors.filter((text) => !text.startsWith('Failed to load resource: the server responded with a status of 404'))).toEqual([]);
	});
});
