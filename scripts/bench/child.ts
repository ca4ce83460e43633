/**
 * Runs a program as a child process and measures it from outside: wall time
 * and peak resident memory. The peak comes from the kernel's own account
 * (wait4's ru_maxrss, read through GNU time's `%M`), which covers the whole
 * life of the process, exit included; polling /proc/<pid>/status for VmHWM
 * is the fallback where /usr/bin/time is missing, and can miss a peak in
 * the last poll interval.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';

type Env = Record<string, string | undefined>;

const GNU_TIME = '/usr/bin/time';
const POLL_MS = 10;

export interface ChildResult {
	code: number;
	stdout: string;
	stderr: string;
	wallMs: number;
	/** Peak resident set size in KiB, or undefined when it could not be read. */
	peakRssKb: number | undefined;
	/** How the peak was read. */
	rssSource: 'wait4' | 'VmHWM' | 'none';
	/** User and system CPU time of the child (wait4's rusage, 10 ms resolution), when GNU time is there. */
	userMs?: number;
	sysMs?: number;
}

let gnuTime: boolean | undefined;

async function hasGnuTime(): Promise<boolean> {
	if (gnuTime !== undefined) return gnuTime;
	gnuTime = false;
	if (!existsSync(GNU_TIME)) return gnuTime;
	const probe = await runRaw(GNU_TIME, ['-f', '%M', 'true'], {});
	gnuTime = probe.code === 0 && /^\d+\s*$/.test(probe.stderr.trim().split('\n').pop() ?? '');
	return gnuTime;
}

function runRaw(command: string, args: string[], env: Env, onPid?: (pid: number) => () => void): Promise<{ code: number; stdout: string; stderr: string; wallMs: number }> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const stop = child.pid !== undefined && onPid ? onPid(child.pid) : undefined;
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			const wallMs = performance.now() - started;
			stop?.();
			resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs });
		});
	});
}

/** VmHWM of a live process in KiB, or undefined once it is gone. */
async function readHighWaterMark(pid: number): Promise<number | undefined> {
	try {
		const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
		const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Runs `node <args>` with `env` and measures it. */
export async function runNode(args: string[], env: Env = {}): Promise<ChildResult> {
	const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
	if (await hasGnuTime()) {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-bench-time-'));
		const report = path.join(dir, 'rss');
		try {
			const result = await runRaw(GNU_TIME, ['-f', '%M %U %S', '-o', report, process.execPath, ...args], fullEnv);
			const [peak, user, sys] = ((await fs.readFile(report, 'utf8')).trim().split('\n').pop() ?? '').split(' ').map(Number);
			const finite = (value: number | undefined): number | undefined => (value !== undefined && Number.isFinite(value) ? value : undefined);
			const seconds = (value: number | undefined): number | undefined => (finite(value) === undefined ? undefined : (value as number) * 1000);
			return { ...result, peakRssKb: finite(peak), rssSource: 'wait4', userMs: seconds(user), sysMs: seconds(sys) };
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	}
	let peak: number | undefined;
	let canPoll = process.platform === 'linux';
	const result = await runRaw(process.execPath, args, fullEnv, (pid) => {
		if (!canPoll) return () => undefined;
		const timer = setInterval(() => {
			void readHighWaterMark(pid).then((kb) => {
				if (kb !== undefined) peak = Math.max(peak ?? 0, kb);
			});
		}, POLL_MS);
		return () => clearInterval(timer);
	});
	canPoll = false;
	return { ...result, peakRssKb: peak, rssSource: peak === undefined ? 'none' : 'VmHWM' };
}
