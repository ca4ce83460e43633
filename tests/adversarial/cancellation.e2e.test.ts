/**
 * Cancellation ends a run promptly, whatever it waits on: a Retry-After
 * sleep, a request that never answers, a cover download that never ends.
 * SIGTERM (docker stop, systemd) and Ctrl-C in the CLI; "Cancel sync" and
 * unload in the plugin. Each time: the run ends with one sentence, the
 * cursor is not advanced, the lock is released, the notes already written
 * stay. The bound asserted is far below the wait the server asked for
 * (120 s, 60 s, for ever), so a run that sits the wait out fails the test;
 * docs/security.md quotes the times measured.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, tempVault } from '../cli/run-cli';
import { createFakeApp, loadPluginBundle, resetUi, type LoadedPlugin } from '../obsidian-fake/index';
import { lines, notesById, readState } from './helpers';
import { envelope, startRawServer, type RawHandler, type RawServer } from './raw-server';
import { MAIN_JS, MANIFEST, until } from '../plugin/built-plugin';

const LOCK = '.obsidian/plugins/library-sync/cli.lock';
/** Far below every wait below; a run that waits for the server instead fails. */
const PROMPTLY_MS = 10_000;

const never = (): Promise<never> => new Promise<never>(() => undefined);
const book = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ id, title: `Book ${id}`, updatedAt: '2024-01-01T00:00:00Z', ...extra });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The waits of the feed: what the server does to the run's first request. */
const stalls: Array<{ what: string; args: string[]; handler: RawHandler }> = [
	{ what: 'waiting out 429 Retry-After: 120', args: [], handler: () => ({ status: 429, headers: { 'retry-after': '120' }, body: 'slow down' }) },
	{ what: 'waiting on a request that never answers (--timeout 60)', args: ['--timeout', '60'], handler: never },
];

describe('the CLI stops promptly when told to', () => {
	let server: RawServer;
	let vault: string;
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	/** Starts a sync, waits until the server has seen `requests` requests and a little more, then sends `signal`. */
	async function interrupt(args: string[], signal: 'SIGTERM' | 'SIGINT', requests = 1): Promise<{ code: number | null; stderr: string; ms: number }> {
		const child = spawn(process.execPath, [CLI, 'sync', '--server', server.url, '--vault', vault, ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		await until(() => server.requests.length >= requests, 'the run to be waiting');
		await sleep(300);
		const sent = Date.now();
		child.kill(signal);
		const timeout = sleep(PROMPTLY_MS).then(() => 'still running' as const);
		const outcome = await Promise.race([exited, timeout]);
		if (outcome === 'still running') child.kill('SIGKILL');
		return { code: outcome === 'still running' ? null : outcome, stderr, ms: Date.now() - sent };
	}

	async function expectCleanStop(result: { code: number | null; stderr: string }): Promise<void> {
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual(['library-sync: The sync was cancelled. The cursor was not advanced; the next run picks up from the same point.']);
		expect((await readState(vault)).cursor).toBeUndefined();
		await expect(fs.access(path.join(vault, LOCK))).rejects.toMatchObject({ code: 'ENOENT' });
	}

	for (const stall of stalls) {
		for (const signal of ['SIGTERM', 'SIGINT'] as const) {
			it(`${signal} while ${stall.what}: exit 1 in one sentence, unlocked, cursor kept`, async () => {
				server = await startRawServer(stall.handler);
				await expectCleanStop(await interrupt(['--no-covers', ...stall.args], signal));
			}, 30_000);
		}
	}

	it('SIGTERM while a cover download never ends: the notes written stay, exit 1, unlocked, cursor kept', async () => {
		const records = [book('c1'), book('c2', { coverUrl: '/covers/c2.jpg' })];
		server = await startRawServer((request) => (request.url.startsWith('/covers/') ? never() : { body: envelope(records, { page: 1, limit: 50, total: 2 }) }));
		const result = await interrupt([], 'SIGTERM', 2);
		await expectCleanStop(result);
		expect((await notesById(vault)).has('c1')).toBe(true);
	}, 30_000);

	it('SIGTERM while waiting out a 503 back-off on a later page: the notes of the first page stay', async () => {
		server = await startRawServer((request) =>
			request.page === 1 ? { body: envelope([book('p1'), book('p2')], { page: 1, limit: 2, total: 4 }) } : { status: 503, headers: { 'retry-after': '120' }, body: 'maintenance' },
		);
		const result = await interrupt(['--no-covers', '--limit', '2'], 'SIGTERM', 2);
		await expectCleanStop(result);
		expect([...(await notesById(vault)).keys()].sort()).toEqual(['p1', 'p2']);
	}, 30_000);
});

interface PluginShape {
	syncSettings: { serverUrl: string; downloadCovers: boolean };
	saveSettings(): Promise<void>;
	controller: { isRunning: boolean; state: { load(): Promise<{ cursor?: string }> }; lastReport?: { ok: boolean; error?: { kind: string; message: string } } };
}

describe('the plugin stops promptly when told to', () => {
	let server: RawServer;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;
	beforeEach(async () => {
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-cancel-'));
		resetUi();
	});
	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await server.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	async function startSync(handler: RawHandler, requests = 1): Promise<PluginShape> {
		server = await startRawServer(handler);
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as PluginShape;
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
		void app.fake.runCommand('library-sync:sync');
		await until(() => server.requests.length >= requests, 'the run to be waiting');
		await sleep(300);
		return plugin;
	}

	for (const stall of stalls) {
		it(`"Cancel sync" while ${stall.what}: the run ends cancelled, the cursor kept`, async () => {
			const plugin = await startSync(stall.handler);
			const app = loaded?.app;
			expect(plugin.controller.isRunning).toBe(true);
			await app?.fake.runCommand('library-sync:cancel');
			await until(() => plugin.controller.lastReport !== undefined, 'the run to end', PROMPTLY_MS);
			expect(plugin.controller.lastReport?.error).toEqual({ kind: 'cancelled', message: 'The sync was cancelled.' });
			expect(plugin.controller.isRunning).toBe(false);
			expect((await plugin.controller.state.load()).cursor).toBeUndefined();
		}, 30_000);
	}

	it('"Cancel sync" while a cover download never ends: the note written stays, the run ends cancelled', async () => {
		const records = [book('c1'), book('c2', { coverUrl: '/covers/c2.jpg' })];
		const plugin = await startSync((request) => (request.url.startsWith('/covers/') ? never() : { body: envelope(records, { page: 1, limit: 50, total: 2 }) }), 2);
		await loaded?.app.fake.runCommand('library-sync:cancel');
		await until(() => plugin.controller.lastReport !== undefined, 'the run to end', PROMPTLY_MS);
		expect(plugin.controller.lastReport?.error?.kind).toBe('cancelled');
		const files = await fs.readdir(path.join(vaultDir, 'Books'));
		expect(files).toContain('Book c1.md');
	}, 30_000);

	it('unload while a request never answers: the run ends at once and nothing is written afterwards', async () => {
		const plugin = await startSync(never);
		const unloading = loaded?.unload();
		loaded = undefined;
		await unloading;
		await until(() => !plugin.controller.isRunning, 'the run to end', PROMPTLY_MS);
		await expect(fs.readdir(path.join(vaultDir, 'Books'))).rejects.toMatchObject({ code: 'ENOENT' });
	}, 30_000);
});
