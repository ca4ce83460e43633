import esbuild from 'esbuild';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultLock } from '../../src/cli/vault-lock';

// Each worker thread races the other for the lock from a barrier, round
// after round, counting its wins and every moment both held the lock.
// Threads run truly at once (unlike two calls in one event loop), so a lock
// file that is visible before it is whole, and so taken for a stale one,
// shows up as an overlap.
const RACER = `
import { workerData, parentPort } from 'node:worker_threads';
const { VaultLock } = await import(workerData.module);
const barrier = new Int32Array(workerData.barrier);
const holders = new Int32Array(workerData.holders);
let overlaps = 0;
let wins = 0;
for (let round = 0; round < workerData.rounds; round++) {
	const lock = new VaultLock(workerData.dir + '/' + round + '/cli.lock');
	Atomics.add(barrier, round, 1);
	while (Atomics.load(barrier, round) < workerData.racers) {}
	try {
		await lock.acquire();
	} catch (error) {
		if (!/Another sync of this vault/.test(String(error))) throw error;
		continue;
	}
	wins++;
	if (Atomics.add(holders, round, 1) !== 0) overlaps++;
	await new Promise((resolve) => setTimeout(resolve, 3));
	Atomics.sub(holders, round, 1);
	await lock.release();
}
parentPort.postMessage({ overlaps, wins });
`;

describe('VaultLock', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-lock-'));
	});
	afterEach(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	it('never lets two runs racing from the same moment hold the lock at once', async () => {
		const module = path.join(dir, 'vault-lock.mjs');
		await esbuild.build({ entryPoints: [path.resolve(import.meta.dirname, '../../src/cli/vault-lock.ts')], outfile: module, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
		const rounds = 150;
		const racers = 2;
		const shared = { barrier: new SharedArrayBuffer(4 * rounds), holders: new SharedArrayBuffer(4 * rounds) };
		const results = await Promise.all(Array.from({ length: racers }, () => new Promise<{ overlaps: number; wins: number }>((resolve, reject) => {
			const worker = new Worker(RACER, { eval: true, workerData: { module, ...shared, rounds, racers, dir: path.join(dir, 'rounds') } });
			worker.once('message', resolve);
			worker.once('error', reject);
		})));
		// Never two holders at once, and someone held it in every round.
		expect(results.map((result) => result.overlaps)).toEqual([0, 0]);
		expect(results.reduce((sum, result) => sum + result.wins, 0)).toBeGreaterThanOrEqual(rounds);
	}, 60_000);

	it('takes over a lock whose process is gone, and one left empty by a crash', async () => {
		const lockFile = path.join(dir, 'cli.lock');
		await fs.writeFile(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, since: new Date().toISOString() }));
		const lock = new VaultLock(lockFile);
		await lock.acquire();
		expect(JSON.parse(await fs.readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
		await lock.release();
		await fs.writeFile(lockFile, '');
		await lock.acquire();
		await lock.release();
		expect(await fs.readdir(dir)).toEqual([]);
	});

	it('takes over a lock that holds this very process\'s pid but was not taken by it (a container: pid 1 on every run)', async () => {
		const lockFile = path.join(dir, 'cli.lock');
		// An older version's lock, and one whose recorded start is not this process's.
		for (const left of [{ pid: process.pid, since: new Date().toISOString() }, { pid: process.pid, since: new Date().toISOString(), started: 'boot:1', run: 'dead' }]) {
			await fs.writeFile(lockFile, JSON.stringify(left));
			const lock = new VaultLock(lockFile);
			expect(await lock.acquire()).toMatch(/^An earlier sync of this vault \(process \d+\) stopped without releasing its lock; this run took the lock over\.$/);
			await lock.release();
		}
		expect(await fs.readdir(dir)).toEqual([]);
	});
});
