/**
 * Loads a built plugin the way Obsidian does: evaluates the CommonJS
 * `main.js` with a `require` that knows only 'obsidian' (and, on desktop,
 * Electron's Node built-ins), takes `module.exports.default` as the Plugin
 * class, constructs it with (app, manifest), loads it, lets the vault fire
 * `create` for every file, then marks the layout ready.
 * Node's globals (`process`, `Buffer`, `global`, `__dirname`, ...) are shadowed,
 * as in the mobile web view.
 */
import * as fs from 'node:fs';
import * as vm from 'node:vm';
import { createRequire } from 'node:module';
import { obsidianModule } from './module';
import { Platform } from './platform';
import type { FakeApp } from './app';
import type { FakePluginManifest, Plugin, PluginRegistrationCounts } from './plugin';

export interface LoadedPlugin {
	plugin: Plugin;
	app: FakeApp;
	exports: unknown;
	/** What the plugin still has registered. */
	counts(): PluginRegistrationCounts;
	unload(): Promise<void>;
}

export interface LoadPluginOptions {
	/** Fire vault `create` events for existing files before layout ready (default true). */
	emitLoadEvents?: boolean;
	/** Mark the layout ready after onload (default true). */
	layoutReady?: boolean;
}

export async function loadPluginBundle(mainJsPath: string, app: FakeApp, manifest: FakePluginManifest, options: LoadPluginOptions = {}): Promise<LoadedPlugin> {
	const code = fs.readFileSync(mainJsPath, 'utf8');
	const nodeRequire = createRequire(mainJsPath);
	const fakeRequire = (id: string): unknown => {
		if (id === 'obsidian') return obsidianModule;
		if (Platform.isDesktopApp && (id === 'electron' || id.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'url', 'http', 'https'].includes(id))) {
			return nodeRequire(id);
		}
		throw new Error(`Cannot find module '${id}'`);
	};
	const module = { exports: {} as Record<string, unknown> };
	// Evaluated in this realm (so errors and promises are the test's own), with
	// Node's globals shadowed by parameters that are undefined.
	const wrapper = `(function (module, exports, require, process, Buffer, global, __dirname, __filename, setImmediate, document) {\n${code}\n})`;
	const evaluate = vm.runInThisContext(wrapper, { filename: mainJsPath }) as (...args: unknown[]) => void;
	evaluate(module, module.exports, fakeRequire, undefined, undefined, undefined, undefined, undefined, undefined, undefined);
	const exported = module.exports.default ?? module.exports;
	if (typeof exported !== 'function') throw new Error('main.js does not export a Plugin class as default');
	const PluginClass = exported as new (app: FakeApp, manifest: FakePluginManifest) => Plugin;
	const plugin = new PluginClass(app, manifest);
	if (!(plugin instanceof obsidianModule.Plugin)) throw new Error('The default export does not extend Plugin');
	app.fake.plugins.set(manifest.id, plugin);
	plugin.load();
	await plugin._onloadResult;
	if (options.emitLoadEvents !== false) app.vault.emitLoadEvents();
	if (options.layoutReady !== false) app.workspace.setLayoutReady();
	return {
		plugin,
		app,
		exports: module.exports,
		counts: () => plugin.registrationCounts(),
		async unload() {
			plugin.unload();
			app.fake.plugins.delete(manifest.id);
			await Promise.resolve();
		},
	};
}
