/**
 * What every test of the built plugin (main.js in the Obsidian fake) needs:
 * where the bundle is, the manifest it is loaded with, and a wait for a
 * condition that fails with what it waited for.
 */
import * as path from 'node:path';

export const MAIN_JS = path.resolve(import.meta.dirname, '../../main.js');
export const MANIFEST = { id: 'library-sync', name: 'Library Sync', version: '0.1.0', minAppVersion: '1.11.4', description: 'Test', author: 'Test', dir: '.obsidian/plugins/library-sync' };

/** Resolves once `condition()` holds; throws "timed out waiting for <what>" after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The report a run of the plugin leaves, as far as these tests read it. */
export interface PluginReport {
	ok: boolean;
	counts: Record<string, number>;
	removals?: { held?: string; missing: number };
}

/** Runs a palette command of the plugin and resolves with the report of the run it started. */
export async function runAndReport(app: { fake: { runCommand(id: string): unknown } }, controller: { lastReport?: PluginReport; isRunning: boolean }, id: string): Promise<PluginReport> {
	const before = controller.lastReport;
	await app.fake.runCommand(`library-sync:${id}`);
	await until(() => controller.lastReport !== before && !controller.isRunning, id);
	return controller.lastReport as PluginReport;
}

/** What these tests reach of the loaded plugin. */
export interface PluginShape {
	syncSettings: Record<string, unknown> & { serverUrl: string };
	saveSettings(): Promise<void>;
	controller: { lastReport?: PluginReport; isRunning: boolean };
}
