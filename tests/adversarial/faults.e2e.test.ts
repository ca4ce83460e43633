/**
 * Faults through the built CLI (and, where a real disk cannot be made to
 * fail as root, through the engine with the in-memory store): transient
 * errors are retried, permanent ones stop the run honestly (one sentence,
 * exit 1, notes kept, cursor not advanced), a crash leaves no debris and
 * the re-run converges, user edits and moves survive, and two syncs of one
 * vault at once still leave one note per book. README, Guarantees: complete, honest.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../src/cli/http-transport';
import { loadSettings } from '../../src/core/settings/load';
import { engineConfigFrom } from '../../src/core/settings/to-engine';
import { runSync } from '../../src/core/sync/engine';
import { readNoteId } from '../../src/core/sync/merge';
import { CLI, tempVault } from '../cli/run-cli';
import { MemoryNoteStore, MemoryStateStore } from '../fakes/memory-note-store';
import type { RawBook } from '../server/raw-book';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { lines, notesById, only, parseReport, readState, syncCli, tempFiles } from './helpers';

const TOKEN = 'faults-token-31337';
const books = (count: number): RawBook[] =>
	Array.from({ length: count }, (_, i) => ({ id: `f${String(i + 1).padStart(3, '0')}`, title: `Fault Book ${String(i + 1).padStart(3, '0')}`, updatedAt: '2024-01-01T00:00:00Z' }));

describe('faults through the CLI', () => {
	let server: ReferenceServer;
	let vault: string;
	beforeEach(async () => {
		server = await startReferenceServer({ books: books(6), token: TOKEN });
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});
	const sync = (...extra: string[]) => syncCli(server.url, vault, TOKEN, ...extra);

	/** A sync of 40 books, 5 a page, whose third page is late by `delayMs`; resolves once `requests` pages were asked for. */
	async function interruptibleSync(delayMs: number, requests: number): Promise<{ child: ChildProcessByStdio<null, null, Readable>; exited: Promise<number | null> }> {
		await server.stop();
		server = await startReferenceServer({ books: books(40), token: TOKEN });
		server.beforePage(3, () => server.faults.push({ kind: 'delay', ms: delayMs }));
		const child = spawn(process.execPath, [CLI, 'sync', '--server', server.url, '--vault', vault, '--limit', '5'], {
			env: { PATH: process.env.PATH ?? '', LIBRARY_SYNC_TOKEN: TOKEN },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const deadline = Date.now() + 10_000;
		while (server.requests.length < requests && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
		return { child, exited };
	}

	it('502 then 504 (a proxy in trouble) are retried and the run completes', async () => {
		server.faults.push({ kind: 'status', status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' }, { kind: 'status', status: 504 });
		const result = await sync('--json');
		expect(parseReport(result.stdout).ok).toBe(true);
		expect((await notesById(vault)).size).toBe(6);
	});

	it('a request slower than --timeout is given up and retried; the run completes', async () => {
		server.faults.push({ kind: 'delay', ms: 3000 });
		const started = Date.now();
		const result = await sync('--timeout', '1');
		expect(result.code).toBe(0);
		expect(Date.now() - started).toBeLessThan(3000);
		expect((await notesById(vault)).size).toBe(6);
	});

	it('a connection reset mid-body is retried; the run completes', async () => {
		server.faults.push({ kind: 'reset' }, { kind: 'reset' });
		expect((await sync()).code).toBe(0);
		expect((await notesById(vault)).size).toBe(6);
	});

	it('429 with Retry-After: 1 (seconds) waits at least a second before the retry', async () => {
		server.faults.push({ kind: 'status', status: 429, retryAfter: '1' });
		const started = Date.now();
		expect((await sync()).code).toBe(0);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('429 with Retry-After as an HTTP date two seconds ahead waits for it before the retry', async () => {
		server.faults.push({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 2500).toUTCString() });
		const started = Date.now();
		expect((await sync()).code).toBe(0);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	for (const status of [401, 403]) {
		it(`${status}: not retried, exit 1, one sentence about the token, which it never prints`, async () => {
			server.faults.push({ kind: 'status', status, body: `{"error":"bad token ${TOKEN}"}` });
			const result = await sync('--json');
			expect(result.code).toBe(1);
			expect(server.requests).toHaveLength(1);
			expect(parseReport(result.stdout).error?.kind).toBe('auth');
			expect(lines(result.stderr)).toHaveLength(1);
			expect(result.stderr).toMatch(/token/);
			expect(result.stdout + result.stderr).not.toContain(TOKEN);
		});
	}

	it('404: not retried, exit 1, "no library sync endpoint at this URL"', async () => {
		server.faults.push({ kind: 'status', status: 404 });
		const result = await sync();
		expect(result.code).toBe(1);
		expect(server.requests).toHaveLength(1);
		expect(result.stderr).toMatch(/No library sync endpoint/);
	});

	it('503 on every attempt for page 2: exit 1 after the retries, page 1 kept, cursor not advanced; the next run completes', async () => {
		server.beforePage(1, () => server.faults.push(...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 503, retryAfter: '0' }))));
		const first = await sync('--limit', '3');
		expect(first.code).toBe(1);
		expect(first.stderr).toMatch(/HTTP 503/);
		expect((await notesById(vault)).size).toBe(3);
		expect((await readState(vault)).cursor).toBeUndefined();
		expect((await sync('--limit', '3')).code).toBe(0);
		expect((await notesById(vault)).size).toBe(6);
	}, 60_000);

	it('a crash (SIGKILL) mid-sync, then a re-run: the vault converges to one note per book and no temporary file is left', async () => {
		const { child, exited } = await interruptibleSync(10_000, 4);
		await new Promise((resolve) => setTimeout(resolve, 100));
		child.kill('SIGKILL');
		await exited;
		const partial = (await notesById(vault)).size;
		expect(partial).toBeGreaterThan(0);
		expect(partial).toBeLessThan(40);
		expect((await readState(vault)).cursor).toBeUndefined();
		server.faults.clear();
		expect((await sync('--limit', '5')).code).toBe(0);
		const notes = await notesById(vault);
		expect(notes.size).toBe(40);
		for (const [id] of notes) only(notes, id);
		expect(await tempFiles(vault)).toEqual([]);
	}, 60_000);

	it('Ctrl-C mid-sync stops after the notes under way: exit 1 in one sentence, the vault unlocked, no temporary file, the cursor kept', async () => {
		const { child, exited } = await interruptibleSync(1500, 3);
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.kill('SIGINT');
		expect(await exited).toBe(1);
		expect(stderr).toMatch(/^library-sync: The sync was cancelled\. The cursor was not advanced/m);
		const partial = (await notesById(vault)).size;
		expect(partial).toBeGreaterThan(0);
		expect(partial).toBeLessThan(40);
		expect((await readState(vault)).cursor).toBeUndefined();
		expect(await tempFiles(vault)).toEqual([]);
		await expect(fs.access(path.join(vault, '.obsidian/plugins/library-sync/cli.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
		server.faults.clear();
		expect((await sync('--limit', '5')).code).toBe(0);
		expect((await notesById(vault)).size).toBe(40);
	}, 60_000);

	it('a note whose properties the user broke (invalid YAML) is left byte for byte, reported, and updated once fixed', async () => {
		expect((await sync()).code).toBe(0);
		const note = only(await notesById(vault), 'f002');
		const file = path.join(vault, note.path);
		const broken = note.text.replace(/^---\n/, '---\nmy_list: [unclosed\n');
		await fs.writeFile(file, broken);
		server.mutate.setProgress('f002', { percentage: 70 });
		const second = await sync('--json');
		const report = parseReport(second.stdout);
		expect(second.code).toBe(1);
		expect(report.failures.some((failure) => failure.id === 'f002' && /not valid YAML/.test(failure.reason))).toBe(true);
		expect(await fs.readFile(file, 'utf8')).toBe(broken);
		expect((await readState(vault)).cursor).not.toBe(report.cursor);
		await fs.writeFile(file, broken.replace('my_list: [unclosed\n', 'my_list: [closed]\n'));
		expect((await sync()).code).toBe(0);
		const fixed = await fs.readFile(file, 'utf8');
		expect(fixed).toContain('progress: 70');
		expect(fixed).toContain('my_list: [closed]');
	});

	it('a note the user moved to another folder and renamed is updated where it is, never duplicated', async () => {
		expect((await sync()).code).toBe(0);
		const note = only(await notesById(vault), 'f003');
		await fs.mkdir(path.join(vault, 'Reading/Now'), { recursive: true });
		await fs.rename(path.join(vault, note.path), path.join(vault, 'Reading/Now/My copy.md'));
		server.mutate.setProgress('f003', { percentage: 12 });
		server.mutate.retitle('f003', 'A New Title');
		expect((await sync()).code).toBe(0);
		const moved = only(await notesById(vault), 'f003');
		expect(moved.path).toBe('Reading/Now/My copy.md');
		expect(moved.data).toMatchObject({ progress: 12, title: 'A New Title' });
	});

	it('a library folder that is a file (the disk refuses the writes): every book reported, exit 1, cursor not advanced, nothing written elsewhere', async () => {
		await fs.writeFile(path.join(vault, 'Books'), 'not a folder');
		const result = await sync('--json');
		const report = parseReport(result.stdout);
		expect(result.code).toBe(1);
		expect(report.failures).toHaveLength(6);
		expect((await readState(vault)).cursor).toBeUndefined();
		expect(await fs.readFile(path.join(vault, 'Books'), 'utf8')).toBe('not a folder');
		expect(await tempFiles(vault)).toEqual([]);
	});
});

describe('a full disk (the in-memory store, since as root no folder can be made read-only)', () => {
	it('a write failing with "disk full" fails that book only; the others are written, the cursor stays, and the next run converges', async () => {
		const server = await startReferenceServer({ books: books(5) });
		try {
			const notes = new MemoryNoteStore();
			const state = new MemoryStateStore();
			const { settings } = loadSettings({ serverUrl: server.url, pageSize: 2 });
			const config = engineConfigFrom(settings, { mode: 'incremental', dryRun: false, token: undefined, userRequested: true });
			const deps = { http: new NodeHttpTransport(), notes, state, clock: { now: () => Date.now() }, sleep: () => Promise.resolve(), random: () => 0.5 };
			notes.failWrites.add('Books/Fault Book 003.md');
			const first = await runSync(deps, config);
			expect(first.ok).toBe(false);
			expect(first.failures).toHaveLength(1);
			expect(first.failures[0]?.reason).toMatch(/disk is full/);
			expect(notes.files.size).toBe(4);
			expect(state.state.cursor).toBeUndefined();
			notes.failWrites.clear();
			const second = await runSync(deps, config);
			expect(second.ok).toBe(true);
			const ids = [...notes.files.values()].map((text) => readNoteId(text, 'book_id')).sort();
			expect(ids).toEqual(books(5).map((book) => book.id));
		} finally {
			await server.stop();
		}
	});
});
