/**
 * The page side of the browser test: bundled for the browser together with
 * the fake `obsidian` module (tests/obsidian-fake, the one Node tests use) and
 * served from the reference server's origin.
 * It loads the built main.js the way the app does (a CommonJS function whose
 * `require` knows only 'obsidian'), drives the plugin and reports back.
 * The Node side calls it through `window.libraryHarness`.
 */
import type { SyncReport } from '../../src/core/sync/report';
import * as obsidian from '../obsidian-fake/browser';

/** What the Node side gets back; plain JSON. */
export interface LoadResult {
	/** `typeof` of Node's globals in the page, before and after main.js ran. */
	globals: Record<string, string>;
	/** Every module id main.js asked `require` for, in order. */
	requested: string[];
	/** The ids that `require` refused (main.js had to cope without them). */
	refused: string[];
	/** Names that running main.js and its onload added to the page's global object. */
	leakedGlobals: string[];
	extendsPlugin: boolean;
	commands: string[];
	settingTabs: number;
	statusBarItems: number;
	onloadMs: number;
}

export interface SyncResult {
	report: SyncReport;
	ms: number;
}

export interface TimedRun {
	start: number;
	end: number;
	ok: boolean;
	counts: Record<string, number>;
	requests: number;
	error?: string;
}

export interface VaultSnapshot {
	files: string[];
	folders: string[];
	/** Every markdown file's text, by path. */
	notes: Record<string, string>;
	/** The plugin's data.json as saved through saveData. */
	dataJson: string | null;
	notices: string[];
	/** Markdown files the metadata cache has indexed, with the id property it found. */
	indexedIds: number;
}

export interface UiResult {
	settingsText: string;
	settingHeadings: string[];
	reportModalText: string;
	folderSuggestions: string[];
	/** What "Test connection" reported (a real request from the page). */
	connectionTest: string;
}

export interface Harness {
	load(): Promise<LoadResult>;
	/** `downloadCovers` false: notes only (the benchmark's setting). */
	configure(options: { serverUrl: string; token: string; timeZone: string; downloadCovers?: boolean }): Promise<void>;
	/** Runs a command and waits for its report, at most `timeoutMs` (default 15 s). */
	sync(commandId: string, timeoutMs?: number): Promise<SyncResult>;
	/**
	 * For the benchmark: runs a command from a timer of the page's own (DevTools' tasks are not
	 * reported as long tasks) and returns the page-clock times of its start and its report, and
	 * the report's totals only (copying a report of 30,000 changes is a long task of its own).
	 */
	timedRun(commandId: string, timeoutMs: number): Promise<TimedRun>;
	snapshot(): VaultSnapshot;
	ui(): Promise<UiResult>;
	unload(): { registrations: number; commands: number };
	/** Uncaught errors and unhandled rejections seen in the page. */
	errors(): string[];
}

interface PluginSettings {
	serverUrl: string;
	timeZone: string;
	tokenSecretName: string;
	folder: string;
	idProperty: string;
	downloadCovers: boolean;
}

interface LibrarySyncPlugin extends obsidian.Plugin {
	_onloadResult: unknown;
	syncSettings: PluginSettings;
	saveSettings(): Promise<void>;
	controller: { isRunning: boolean; lastReport?: SyncReport };
}

const MANIFEST: obsidian.FakePluginManifest = {
	id: 'library-sync',
	name: 'Library Sync',
	version: '0.0.0-browser-test',
	minAppVersion: '1.11.4',
	description: 'Browser test.',
	author: 'Test',
};

const pageErrors: string[] = [];
window.addEventListener('error', (event) => pageErrors.push(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => pageErrors.push(`unhandled rejection: ${String(event.reason)}`));

/** `typeof` of Node's globals on the page's global object (a bundler's own `require` shim does not count). */
function nodeGlobals(): Record<string, string> {
	const names = ['process', 'Buffer', 'global', 'require', 'module', '__dirname', 'setImmediate'];
	return Object.fromEntries(names.map((name) => [name, typeof Reflect.get(window, name)]));
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const start = performance.now();
	while (!condition()) {
		if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => window.setTimeout(resolve, 5));
	}
}

type CommonJsFunction = (module: unknown, exports: unknown, require: (id: string) => unknown) => void;

/**
 * Evaluates a CommonJS file the way the app evaluates main.js: its text as
 * the body of a function of (module, exports, require), sloppy mode, in the
 * page's global scope. The server sends the file already wrapped in that
 * function (wrapCommonJs in plugin-in-browser.test.ts), and the page runs it as a classic script.
 */
async function loadCommonJs(src: string): Promise<CommonJsFunction> {
	const slot = '__librarySyncCommonJs';
	Reflect.deleteProperty(window, slot);
	const errorsBefore = pageErrors.length;
	await new Promise<void>((resolve, reject) => {
		const script = createEl('script', { attr: { src } });
		script.addEventListener('load', () => resolve());
		script.addEventListener('error', () => reject(new Error(`${src} could not be loaded`)));
		document.head.appendChild(script);
	});
	const evaluate: unknown = Reflect.get(window, slot);
	if (typeof evaluate !== 'function') {
		throw new Error(`${src} did not evaluate: ${pageErrors.slice(errorsBefore).join('; ') || 'no function defined'}`);
	}
	return evaluate as CommonJsFunction;
}

let app: obsidian.FakeApp | undefined;
let plugin: LibrarySyncPlugin | undefined;

function loaded(): { app: obsidian.FakeApp; plugin: LibrarySyncPlugin } {
	if (!app || !plugin) throw new Error('Call load() first');
	return { app, plugin };
}

const harness: Harness = {
	async load() {
		const before = nodeGlobals();
		// The mobile app (Android: a case-insensitive file system, no status bar).
		app = obsidian.createFakeApp({ platform: 'android', vaultName: 'Browser vault' });
		const requested: string[] = [];
		const refused: string[] = [];
		const requireInPage = (id: string): unknown => {
			requested.push(id);
			if (id === 'obsidian') return obsidian.obsidianModule;
			refused.push(id);
			throw new Error(`Cannot find module '${id}' (the mobile app has only 'obsidian')`);
		};
		const evaluate = await loadCommonJs('main.js');
		const globalsBefore = new Set(Object.keys(window));
		const module = { exports: {} as Record<string, unknown> };
		evaluate(module, module.exports, requireInPage);
		const PluginClass = (module.exports.default ?? module.exports) as new (app: obsidian.FakeApp, manifest: obsidian.FakePluginManifest) => LibrarySyncPlugin;
		if (typeof PluginClass !== 'function') throw new Error('main.js has no default export');

		const started = performance.now();
		plugin = new PluginClass(app, MANIFEST);
		app.fake.plugins.set(MANIFEST.id, plugin);
		plugin.load();
		await plugin._onloadResult;
		const onloadMs = performance.now() - started;
		app.workspace.setLayoutReady();
		const leakedGlobals = Object.keys(window).filter((name) => !globalsBefore.has(name));
		const after = nodeGlobals();
		return {
			globals: Object.fromEntries(Object.entries(before).map(([name, type]) => [name, type === after[name] ? type : `${type} -> ${after[name]}`])),
			requested,
			refused,
			leakedGlobals,
			extendsPlugin: plugin instanceof obsidian.Plugin,
			commands: [...app.fake.commands.keys()].sort(),
			settingTabs: app.fake.settingTabs.length,
			statusBarItems: app.fake.statusBarRequestsOnMobile,
			onloadMs,
		};
	},

	async configure({ serverUrl, token, timeZone, downloadCovers }) {
		const { app, plugin } = loaded();
		app.secretStorage.setSecret(plugin.syncSettings.tokenSecretName, token);
		plugin.syncSettings.serverUrl = serverUrl;
		plugin.syncSettings.timeZone = timeZone;
		if (downloadCovers !== undefined) plugin.syncSettings.downloadCovers = downloadCovers;
		await plugin.saveSettings();
	},

	async sync(commandId, timeoutMs) {
		const { app, plugin } = loaded();
		const previous = plugin.controller.lastReport;
		const started = performance.now();
		await app.fake.runCommand(commandId);
		await until(() => plugin.controller.lastReport !== previous && !plugin.controller.isRunning, `the report of ${commandId}`, timeoutMs);
		const ms = performance.now() - started;
		await app.metadataCache.settle();
		const report = plugin.controller.lastReport;
		if (!report) throw new Error('No report');
		return { report: JSON.parse(JSON.stringify(report)) as SyncReport, ms };
	},

	async timedRun(commandId, timeoutMs) {
		const { app, plugin } = loaded();
		await new Promise((resolve) => window.setTimeout(resolve, 0));
		const previous = plugin.controller.lastReport;
		const start = performance.now();
		await app.fake.runCommand(commandId);
		await until(() => plugin.controller.lastReport !== previous && !plugin.controller.isRunning, `the report of ${commandId}`, timeoutMs);
		const end = performance.now();
		const report = plugin.controller.lastReport;
		if (!report) throw new Error('No report');
		return { start, end, ok: report.ok, counts: { ...report.counts }, requests: report.requests, error: report.error?.message };
	},

	snapshot() {
		const { app, plugin } = loaded();
		const files = app.vault.getFiles().map((file) => file.path).sort();
		const notes: Record<string, string> = {};
		let indexedIds = 0;
		for (const file of app.vault.getMarkdownFiles()) {
			notes[file.path] = app.vault.peek(file.path) ?? '';
			if (app.metadataCache.getFileCache(file)?.frontmatter?.[plugin.syncSettings.idProperty] !== undefined) indexedIds++;
		}
		return {
			files,
			folders: app.vault.getAllFolders().map((folder) => folder.path).sort(),
			notes,
			dataJson: app.vault.adapter.peek(`${app.vault.configDir}/plugins/${MANIFEST.id}/data.json`),
			notices: obsidian.shownNotices.map((notice) => notice.message),
			indexedIds,
		};
	},

	async ui() {
		const { app } = loaded();
		const tab = app.fake.settingTabs[0] as unknown as { containerEl: HTMLElement; display(): void; hide(): void } | undefined;
		if (!tab) throw new Error('No settings tab');
		tab.display();
		const settingsText = tab.containerEl.textContent ?? '';
		const settingHeadings = [...tab.containerEl.querySelectorAll('.setting-group > .setting-item-heading')].map((el) => el.textContent ?? '');
		// The folder field's suggester lists the vault's folders; choosing one fills the field.
		const suggester = obsidian.inputSuggests.at(-1);
		if (!suggester) throw new Error('The settings tab has no folder suggester');
		const { items, rendered: folderSuggestions } = await suggester.simulateRendered('boo');
		if (items[0] !== undefined) suggester.selectSuggestion(items[0], undefined);
		// "Test connection" asks the server for one book, through requestUrl, from this page.
		const testButton = [...tab.containerEl.querySelectorAll('button')].find((button) => /^Test\b/.test(button.textContent ?? ''));
		if (!testButton) throw new Error('The settings tab has no "Test" button');
		const testSetting = testButton.closest('.setting-item');
		const before = testSetting?.textContent ?? '';
		testButton.click();
		await until(() => !testButton.disabled && (testSetting?.textContent ?? '') !== before && !/Connecting/.test(testSetting?.textContent ?? ''), 'the connection test');
		const connectionTest = testSetting?.querySelector('.setting-item-description')?.textContent ?? '';
		await app.fake.runCommand('library-sync:show-report');
		const modal = obsidian.openModals.at(-1);
		const reportModalText = modal?.containerEl.textContent ?? '';
		modal?.close();
		tab.hide();
		return { settingsText, settingHeadings, reportModalText, folderSuggestions, connectionTest };
	},

	unload() {
		const { app, plugin } = loaded();
		plugin.unload();
		app.fake.plugins.delete(MANIFEST.id);
		const counts: Record<string, number> = { ...plugin.registrationCounts() };
		const registrations = Object.values(counts).reduce((sum, count) => sum + count, 0);
		return { registrations, commands: app.fake.commands.size };
	},

	errors() {
		return [...pageErrors];
	},
};

(window as unknown as { libraryHarness: Harness }).libraryHarness = harness;
