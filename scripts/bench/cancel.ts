/**
 * How long the built CLI takes to stop after SIGTERM or Ctrl-C while it
 * waits: on a Retry-After of 120 s, on a request that never answers, on a
 * cover download that never ends. Prints one line per case: the time from
 * the signal to the process's exit, and its exit code.
 *
 *   npm run build && npx tsx scripts/bench/cancel.ts [--reps 5]
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envelope, startRawServer, type RawHandler } from '../../tests/adversarial/raw-server';

const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const repsAt = process.argv.indexOf('--reps');
const reps = repsAt > 0 ? Math.max(1, Number(process.argv[repsAt + 1])) : 5;
const never = (): Promise<never> => new Promise<never>(() => undefined);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const records = [{ id: 'c1', title: 'One' }, { id: 'c2', title: 'Two', coverUrl: '/covers/c2.jpg' }];

const cases: Array<{ name: string; args: string[]; requests: number; handler: RawHandler }> = [
	{ name: 'Retry-After: 120', args: ['--no-covers'], requests: 1, handler: () => ({ status: 429, headers: { 'retry-after': '120' }, body: '' }) },
	{ name: 'request never answers (--timeout 60)', args: ['--no-covers', '--timeout', '60'], requests: 1, handler: never },
	{ name: 'cover never ends', args: [], requests: 2, handler: (request) => (request.url.startsWith('/covers/') ? never() : { body: envelope(records, { page: 1, limit: 50, total: 2 }) }) },
];

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	for (const scenario of cases) {
		const times: number[] = [];
		const codes = new Set<number | null>();
		for (let rep = 0; rep < reps; rep++) {
			const server = await startRawServer(scenario.handler);
			const vault = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-cancel-'));
			const child = spawn(process.execPath, [CLI, 'sync', '--server', server.url, '--vault', vault, '--quiet', ...scenario.args], { stdio: 'ignore' });
			const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
			while (server.requests.length < scenario.requests) await sleep(5);
			await sleep(300);
			const sent = performance.now();
			child.kill(signal);
			codes.add(await exited);
			times.push(performance.now() - sent);
			await server.stop();
			await fs.rm(vault, { recursive: true, force: true });
		}
		times.sort((a, b) => a - b);
		const median = times[Math.floor(times.length / 2)] ?? 0;
		const max = times[times.length - 1] ?? 0;
		process.stdout.write(`${signal.padEnd(7)} ${scenario.name.padEnd(40)} median ${median.toFixed(0).padStart(4)} ms, max ${max.toFixed(0).padStart(4)} ms, exit ${[...codes].join('/')} (${reps} runs)\n`);
	}
}
