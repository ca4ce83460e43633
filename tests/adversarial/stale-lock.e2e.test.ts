/**
 * A dead run's lock never blocks the next one: a lock is honoured only
 * while the process that took it is alive and is not this process. A pid
 * alone is not an identity (in a container the CLI is pid 1 on every run,
 * and any pid is reused in time), so the lock also records when its process
 * started; a live process with the lock's pid but another start is a
 * stranger, and the lock is taken over with a note in the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { lines, notesById, parseReport, syncCli } from './helpers';

const LOCK = '.obsidian/plugins/library-sync/cli.lock';

describe('a lock left by a run that was killed', () => {
	let server: ReferenceServer;
	let vault: string;
	let stranger: ChildProcess | undefined;
	beforeEach(async () => {
		server = await startReferenceServer({ books: [{ id: 'b1', title: 'One' }, { id: 'b2', title: 'Two' }] });
		vault = await tempVault();
		await fs.mkdir(path.dirname(path.join(vault, LOCK)), { recursive: true });
	});
	afterEach(async () => {
		stranger?.kill('SIGKILL');
		stranger = undefined;
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	/** A live process that is not a sync: what a reused pid points at. */
	async function startStranger(): Promise<number> {
		stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
		await new Promise((resolve) => stranger?.once('spawn', resolve));
		return stranger.pid as number;
	}

	it('a lock whose pid now belongs to another live process (pid reuse) is taken over, with a note in the report', async () => {
		const pid = await startStranger();
		// What a run killed a minute ago left, its pid since reused; recorded start and run id are not the stranger's.
		await fs.writeFile(path.join(vault, LOCK), JSON.stringify({ pid, since: new Date(Date.now() - 60_000).toISOString(), started: 'boot:1', run: 'dead0001' }));
		const result = await syncCli(server.url, vault, undefined, '--json');
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const report = parseReport(result.stdout) as ReturnType<typeof parseReport> & { warnings?: string[] };
		expect(report.counts.created).toBe(2);
		expect(report.warnings).toEqual([`An earlier sync of this vault (process ${pid}) stopped without releasing its lock; this run took the lock over.`]);
		await expect(fs.access(path.join(vault, LOCK))).rejects.toMatchObject({ code: 'ENOENT' });
	});

	it('the same in the summary: the note is printed among the warnings, the exit code is 0', async () => {
		const pid = await startStranger();
		await fs.writeFile(path.join(vault, LOCK), JSON.stringify({ pid, since: new Date().toISOString(), started: 'boot:1', run: 'dead0002' }));
		const result = await syncCli(server.url, vault, undefined);
		expect(result.code).toBe(0);
		expect(lines(result.stderr)).toEqual([
			'library-sync: warnings:',
			`  An earlier sync of this vault (process ${pid}) stopped without releasing its lock; this run took the lock over.`,
		]);
		expect((await notesById(vault)).size).toBe(2);
	});

	it('a lock of a sync that is still running is honoured: the second run exits 1 and says so, the lock stays', async () => {
		// A slow first page keeps the first run (and its lock) alive while the second starts.
		let release: () => void = () => undefined;
		const held = new Promise<void>((resolve) => (release = resolve));
		server.beforePage(1, () => held);
		const first = syncCli(server.url, vault, undefined);
		const lockFile = path.join(vault, LOCK);
		for (let i = 0; i < 200; i++) {
			if (await fs.access(lockFile).then(() => true, () => false)) break;
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		const second = await syncCli(server.url, vault, undefined);
		release();
		expect(second.code).toBe(1);
		expect(second.stderr).toMatch(/^library-sync: Another sync of this vault is running \(process \d+\); try again when it has finished\.\n$/);
		expect((await first).code).toBe(0);
	});

	it('a lock from an older version (pid and time only) whose process is gone is taken over', async () => {
		const pid = await startStranger();
		stranger?.kill('SIGKILL');
		await new Promise((resolve) => stranger?.once('exit', resolve));
		stranger = undefined;
		await fs.writeFile(path.join(vault, LOCK), JSON.stringify({ pid, since: new Date().toISOString() }));
		const result = await syncCli(server.url, vault, undefined, '--json');
		expect(result.code).toBe(0);
		expect((parseReport(result.stdout) as { warnings?: string[] }).warnings?.[0]).toMatch(/stopped without releasing its lock/);
	});

	it('a damaged lock (half a JSON text) never blocks: junk is taken over', async () => {
		await fs.writeFile(path.join(vault, LOCK), '{"pid": "1", "since');
		const result = await syncCli(server.url, vault, undefined, '--json');
		expect(result.code).toBe(0);
		expect(parseReport(result.stdout).counts.created).toBe(2);
		expect((parseReport(result.stdout) as { warnings?: string[] }).warnings).toEqual(['The lock file of an earlier sync of this vault was damaged; this run took the lock over.']);
	});
});
