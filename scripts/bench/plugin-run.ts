/**
 * One full sync through the built plugin (main.js) loaded into the Obsidian
 * fake, as a child process of the benchmark (the server stays in the
 * benchmark's process, as for the CLI). The vault is backed by a real,
 * empty folder, so the notes land on disk like the CLI's.
 *
 *   plugin-run.ts --main <main.js> --server <url> --vault <dir>
 *
 * Prints one JSON line: { ms, ok, counts, requests, loadMs }; `ms` is the
 * sync alone, measured inside the process.
 */
import * as path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { createFakeApp, loadPluginBundle } from '../../tests/obsidian-fake/index';

interface Report {
	ok: boolean;
	counts: Record<string, number>;
	requests: number;
	durationMs: number;
	error?: { kind: string; message: string };
}

interface PluginShape {
	syncSettings: { serverUrl: string; downloadCovers: boolean };
	saveSettings(): Promise<void>;
	controller: { run(mode: 'full' | 'incremental', trigger: string): Promise<Report | undefined> };
}

const MANIFEST = { id: 'library-sync', name: 'Library Sync', version: '0.0.0', minAppVersion: '1.11.4', description: 'Benchmark', author: 'Benchmark' };

const { values } = parseArgs({ args: process.argv.slice(2), options: { main: { type: 'string' }, server: { type: 'string' }, vault: { type: 'string' } } });
if (values.main === undefined || values.server === undefined || values.vault === undefined) {
	process.stderr.write('Usage: plugin-run.ts --main <main.js> --server <url> --vault <dir>\n');
	process.exit(2);
}

const loadStarted = performance.now();
const app = createFakeApp({ vaultDir: values.vault, platform: 'desktop' });
// No layout-ready: the scheduler's start-up sync must not race the measured one.
const loaded = await loadPluginBundle(path.resolve(values.main), app, { ...MANIFEST, dir: `${app.vault.configDir}/plugins/library-sync` }, { layoutReady: false });
const plugin = loaded.plugin as unknown as PluginShape;
plugin.syncSettings.serverUrl = values.server;
plugin.syncSettings.downloadCovers = false;
await plugin.saveSettings();
const loadMs = performance.now() - loadStarted;

const started = performance.now();
const report = await plugin.controller.run('full', 'manual');
const ms = performance.now() - started;
await loaded.unload();
process.stdout.write(`${JSON.stringify({ ms, loadMs, ok: report?.ok ?? false, counts: report?.counts, requests: report?.requests, error: report?.error })}\n`);
// The fake's timers (metadata cache, intervals) must not keep the process alive.
process.exit(0);
