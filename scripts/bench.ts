/**
 * `npm run bench`: how fast Library Sync is at library scale, next to the
 * floor a sync cannot beat. docs/benchmark.md says what each figure means and how it is measured.
 *
 *   npm run bench -- [--books 10000] [--reps 5] [--json] [--no-plugin] [--no-browser] [--profile] [--seed 1]
 *
 * The reference server runs in this process with a synthetic library and a
 * virtual clock (one hour passes between phases, so the cursor overlap of a
 * phase never reaches into the previous one's changes). Every client (the
 * CLI, the floor loops, the plugin in the Obsidian fake) runs as a child
 * process (the plugin in headless Chromium runs in Chromium's), so each gets a core of its own next to the server. One
 * repetition measures everything in turn, and repetitions repeat the whole
 * sequence (interleaved, so drift affects every figure alike); the table
 * shows medians.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { startReferenceServer, type ReferenceServer } from '../tests/server/reference-server';
import { syntheticLibrary } from '../tests/server/synthetic';
import { runNode, type ChildResult } from './bench/child';
import { runInBrowser } from './bench/browser';
import { formatProfile, summariseProfile } from './bench/profile';
import { count, formatTable, median, ms } from './bench/table';
import { diffVault, snapshotVault, type VaultSnapshot } from './bench/vault-diff';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const MAIN_JS = path.join(ROOT, 'main.js');
const HELPERS = path.join(ROOT, 'scripts/bench');
const PAGE_SIZE = 100;
const HOUR = 3_600_000;
/** How much slower DevTools makes Chromium's CPU for the browser figures (a mid-range phone). */
const THROTTLE = 4;

const USAGE = `Usage: npm run bench -- [options]

  --books <n>    Synthetic books on the server (default 10000).
  --reps <n>     Repetitions; the table shows medians (default 5, at least 1).
  --seed <n>     Seed of the synthetic library (default 1).
  --json         Print the results as JSON instead of a table.
  --no-plugin    Leave out the full sync through the plugin in the Obsidian fake.
  --no-browser   Leave out the plugin in headless Chromium (CPU throttled 4x):
                 a first sync and a full walk, with the longest main-thread task.
  --profile      Afterwards, profile one CLI full sync into an empty vault and
                 two of a synced vault (node --cpu-prof) and print the top
                 functions by self time.
  -h, --help     Show this help.`;

interface Options {
	books: number;
	reps: number;
	seed: number;
	json: boolean;
	plugin: boolean;
	browser: boolean;
	profile: boolean;
}

function parseOptions(): Options {
	const { values } = parseArgs({
		args: process.argv.slice(2),
		options: {
			books: { type: 'string', default: '10000' },
			reps: { type: 'string', default: '5' },
			seed: { type: 'string', default: '1' },
			json: { type: 'boolean', default: false },
			'no-plugin': { type: 'boolean', default: false },
			'no-browser': { type: 'boolean', default: false },
			profile: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		process.exit(0);
	}
	const whole = (name: string, text: string, min: number): number => {
		const value = Number(text);
		if (!/^\d+$/.test(text) || value < min) {
			process.stderr.write(`--${name} takes a whole number of at least ${min}, not "${text}".\n`);
			process.exit(2);
		}
		return value;
	};
	return {
		books: whole('books', values.books, 1),
		reps: whole('reps', values.reps, 1),
		seed: whole('seed', values.seed, 0),
		json: values.json,
		plugin: !values['no-plugin'],
		browser: !values['no-browser'],
		profile: values.profile,
	};
}

/** One measured figure over the repetitions. */
interface Series {
	key: string;
	label: string;
	wallMs: number[];
	engineMs: number[];
	requests: number[];
	written: number[];
	peakRssKb: number[];
	/** The child's own CPU (user, system) per run, where it was measured. */
	userCpuMs: number[];
	sysCpuMs: number[];
	/** Chromium only: the longest main-thread task and the tasks over 100 ms, per run; the CPU of all Chromium's processes. */
	longestTaskMs: number[];
	over100: number[];
	chromiumCpuMs: number[];
	/** What the figure must show (a correctness check), if anything. */
	expectWritten?: number;
}

function series(key: string, label: string, expectWritten?: number): Series {
	return { key, label, wallMs: [], engineMs: [], requests: [], written: [], peakRssKb: [], userCpuMs: [], sysCpuMs: [], longestTaskMs: [], over100: [], chromiumCpuMs: [], expectWritten };
}

interface CliReport {
	ok: boolean;
	durationMs: number;
	requests: number;
	counts: Record<string, number>;
	error?: { message: string };
}

interface Machine {
	cores: number;
	cpu: string;
	memoryGiB: number;
	os: string;
	node: string;
	commit: string;
	/** 1-minute load average when the benchmark started and when it ended: other work on the machine skews every figure. */
	loadStart: number;
	loadEnd: number;
}

function machine(loadStart: number): Machine {
	const cpus = os.cpus();
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
		if (dirty) commit += ' (src has uncommitted changes)';
	} catch {
		// not a git checkout
	}
	return {
		cores: cpus.length,
		cpu: cpus[0]?.model.trim() ?? 'unknown',
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		commit,
		loadStart,
		loadEnd: round1(os.loadavg()[0] ?? 0),
	};
}

async function main(): Promise<void> {
	const options = parseOptions();
	const loadStart = round1(os.loadavg()[0] ?? 0);
	for (const file of [CLI, ...(options.plugin ? [MAIN_JS] : [])]) {
		if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run "npm run build" first (npm run bench does).`);
	}
	const log = (line: string): void => {
		if (!options.json) process.stderr.write(`${line}\n`);
	};

	// Two days in the past, an hour more per phase: never ahead of this machine's clock
	// (a server clock more than a day ahead makes the client walk everything, on purpose).
	let virtualNow = Date.now() - 2 * 24 * HOUR;
	const tick = (): void => {
		virtualNow += HOUR;
	};
	const books = syntheticLibrary(options.books, options.seed);
	// Notes only: covers are images the floor does not fetch (and a cost of their own, paid once per book).
	const server = await startReferenceServer({ books, now: () => virtualNow, covers: false });
	const work = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-bench-'));
	const changedCount = Math.max(1, Math.round(options.books / 100));

	const fetchFloor = series('floorFetch', `floor: fetch + parse ${Math.ceil(options.books / PAGE_SIZE)} pages`);
	const writeFloor = series('floorWrite', `floor: write ${count(options.books)} notes`);
	const floorSum = series('floorSum', 'floor: fetch + write (sum)');
	const floorMax = series('floorMax', 'floor: max(fetch, write)');
	const full = series('cliFull', 'CLI full sync, empty vault', options.books);
	const quiet = series('cliIncrementalNone', 'CLI incremental, nothing changed', 0);
	const onePercent = series('cliIncrementalOnePercent', `CLI incremental, 1% changed (${count(changedCount)})`, changedCount);
	const resync = series('cliFullSynced', 'CLI full sync, synced vault', 0);
	const rewalk = series('cliFullSyncedAgain', 'CLI full sync, synced vault, next walk', 0);
	const plugin = series('pluginFull', 'plugin full sync (Obsidian fake)', options.books);
	const browserFirst = series('browserFirst', `plugin first sync (Chromium, CPU ${THROTTLE}x slower)`, options.books);
	const browserFull = series('browserFull', `plugin full walk (Chromium, CPU ${THROTTLE}x slower)`, 0);
	const browserNext = series('browserNext', `plugin next full walk (Chromium, CPU ${THROTTLE}x slower)`, 0);
	const problems: string[] = [];
	let floorBytes = 0;

	const cli = async (target: Series, vault: string, before: VaultSnapshot, fullWalk: boolean): Promise<VaultSnapshot> => {
		const requestsBefore = server.requests.length;
		const result = await runNode([CLI, 'sync', '--server', server.url, '--vault', vault, '--json', '--no-covers', ...(fullWalk ? ['--full'] : [])]);
		const report = parseReport(result, target.label);
		const after = await snapshotVault(vault);
		record(target, result, server.requests.length - requestsBefore, diffVault(before, after).written, report.durationMs);
		return after;
	};
	const record = (target: Series, result: Pick<ChildResult, 'wallMs'> & Partial<ChildResult>, requests: number, written: number, engineMs?: number): void => {
		target.wallMs.push(result.wallMs);
		if (result.userCpuMs !== undefined) target.userCpuMs.push(result.userCpuMs);
		if (result.sysCpuMs !== undefined) target.sysCpuMs.push(result.sysCpuMs);
		target.requests.push(requests);
		target.written.push(written);
		if (engineMs !== undefined) target.engineMs.push(engineMs);
		if (result.peakRssKb !== undefined) target.peakRssKb.push(result.peakRssKb);
		if (target.expectWritten !== undefined && written !== target.expectWritten) {
			problems.push(`${target.label}: wrote ${written} notes, expected ${target.expectWritten}`);
		}
	};

	try {
		log(`Library Sync benchmark: ${count(options.books)} books, ${options.reps} repetitions, server at ${server.url}`);
		for (let rep = 1; rep <= options.reps; rep++) {
			const dir = path.join(work, `rep-${rep}`);
			const vault = path.join(dir, 'vault');
			await fs.mkdir(vault, { recursive: true });

			tick();
			let snapshot = await cli(full, vault, new Map(), false);

			const fetched = await runNode(['--import', 'tsx', path.join(HELPERS, 'floor.ts'), 'fetch', '--server', server.url, '--limit', String(PAGE_SIZE)]);
			const fetchResult = parseJson<{ ms: number; pages: number }>(fetched, 'fetch floor');
			const written = await runNode(['--import', 'tsx', path.join(HELPERS, 'floor.ts'), 'write', '--from', vault, '--to', path.join(dir, 'floor')]);
			const writeResult = parseJson<{ ms: number; files: number; bytes: number }>(written, 'write floor');
			floorBytes = writeResult.bytes;
			record(fetchFloor, { ...fetched, wallMs: fetchResult.ms }, fetchResult.pages, 0);
			record(writeFloor, { ...written, wallMs: writeResult.ms }, 0, writeResult.files);
			floorSum.wallMs.push(fetchResult.ms + writeResult.ms);
			floorMax.wallMs.push(Math.max(fetchResult.ms, writeResult.ms));
			// Nothing is deleted until the end: on ext4 without a journal, files
			// deleted within the last half minute or so make every new file in
			// their block group slower to create (the allocator skips their
			// inodes one by one), which would slow whatever is measured next.

			tick();
			snapshot = await cli(quiet, vault, snapshot, false);

			tick();
			for (let k = 0; k < changedCount; k++) {
				const book = books[(k * 100 + rep) % books.length];
				if (book) server.mutate.setProgress(book.id, { percentage: (rep * 13 + k) % 100, status: 'reading', lastDevice: 'Benchmark', lastTimestamp: virtualNow });
			}
			tick();
			snapshot = await cli(onePercent, vault, snapshot, false);

			tick();
			snapshot = await cli(resync, vault, snapshot, true);

			// The walk before read each note once and kept its size and time; this one reads only what changed since.
			tick();
			await cli(rewalk, vault, snapshot, true);

			if (options.plugin) {
				tick();
				const pluginVault = path.join(dir, 'plugin-vault');
				await fs.mkdir(pluginVault, { recursive: true });
				const requestsBefore = server.requests.length;
				const result = await runNode(['--import', 'tsx', path.join(HELPERS, 'plugin-run.ts'), '--main', MAIN_JS, '--server', server.url, '--vault', pluginVault]);
				const outcome = parseJson<{ ms: number; ok: boolean; error?: { message: string } }>(result, plugin.label);
				if (!outcome.ok) problems.push(`${plugin.label}: the sync failed: ${outcome.error?.message ?? 'no report'}`);
				const notes = diffVault(new Map(), await snapshotVault(pluginVault)).written;
				record(plugin, { ...result, wallMs: outcome.ms }, server.requests.length - requestsBefore, notes);
			}
			if (options.browser) {
				const run = await runInBrowser({ serverUrl: server.url, books: options.books, throttle: THROTTLE, tick });
				for (const [target, phase] of [
					[browserFirst, run.phases[0]],
					[browserFull, run.phases[1]],
					[browserNext, run.phases[2]],
				] as const) {
					if (phase === undefined) throw new Error(`${target.label}: no figures`);
					record(target, { wallMs: phase.wallMs }, phase.requests, (phase.counts.created ?? 0) + (phase.counts.updated ?? 0) + (phase.counts.renamed ?? 0));
					target.longestTaskMs.push(phase.longTasksMs[0] ?? 0);
					target.over100.push(phase.over100);
					if (phase.chromiumCpuMs !== undefined) target.chromiumCpuMs.push(phase.chromiumCpuMs);
				}
			}
			log(`  repetition ${rep}/${options.reps}: full ${ms(full.wallMs.at(-1))} ms, floor ${ms(floorSum.wallMs.at(-1))} ms, synced-vault full ${ms(resync.wallMs.at(-1))} ms, next walk ${ms(rewalk.wallMs.at(-1))} ms${options.plugin ? `, plugin ${ms(plugin.wallMs.at(-1))} ms` : ''}${options.browser ? `, Chromium first sync ${ms(browserFirst.wallMs.at(-1))} ms (longest task ${ms(browserFirst.longestTaskMs.at(-1))} ms)` : ''}`);
		}

		const floor = median(floorSum.wallMs);
		const all = [fetchFloor, writeFloor, floorSum, floorMax, full, quiet, onePercent, resync, rewalk, ...(options.plugin ? [plugin] : []), ...(options.browser ? [browserFirst, browserFull, browserNext] : [])];
		const results = all.map((entry) => ({
			key: entry.key,
			label: entry.label,
			medianMs: median(entry.wallMs),
			minMs: Math.min(...entry.wallMs),
			maxMs: Math.max(...entry.wallMs),
			ratioToFloor: median(entry.wallMs) / floor,
			engineMs: entry.engineMs.length > 0 ? median(entry.engineMs) : undefined,
			requests: entry.requests.length > 0 ? median(entry.requests) : undefined,
			notesWritten: entry.written.length > 0 ? median(entry.written) : undefined,
			peakRssMiB: entry.peakRssKb.length > 0 ? Math.max(...entry.peakRssKb) / 1024 : undefined,
			// CPU of the CLI's process per book: a slow disk shows in wall time and system CPU, a slow program in user CPU.
			userUsPerBook: entry.userCpuMs.length > 0 ? (median(entry.userCpuMs) * 1000) / options.books : undefined,
			sysUsPerBook: entry.sysCpuMs.length > 0 ? (median(entry.sysCpuMs) * 1000) / options.books : undefined,
			// Chromium: the longest main-thread task of any repetition, the median count of tasks over 100 ms, and the CPU of all its processes per book.
			longestTaskMs: entry.longestTaskMs.length > 0 ? Math.max(...entry.longestTaskMs) : undefined,
			tasksOver100: entry.over100.length > 0 ? median(entry.over100) : undefined,
			chromiumUsPerBook: entry.chromiumCpuMs.length > 0 ? (median(entry.chromiumCpuMs) * 1000) / options.books : undefined,
			samplesMs: entry.wallMs.map((value) => Math.round(value)),
		}));
		const info = { ...machine(loadStart), mainJsBytes: options.plugin ? (await fs.stat(MAIN_JS)).size : -1, cliJsBytes: (await fs.stat(CLI)).size };
		let profiles: Record<string, string[]> | undefined;
		if (options.profile) profiles = await profileRuns(server, work, () => tick());

		if (options.json) {
			process.stdout.write(`${JSON.stringify({ books: options.books, reps: options.reps, seed: options.seed, pageSize: PAGE_SIZE, noteBytes: floorBytes, machine: info, results, problems, profiles }, null, 2)}\n`);
		} else {
			const out: string[] = [
				'',
				`Library Sync benchmark: ${count(options.books)} books (synthetic, seed ${options.seed}), ${options.reps} repetitions, medians; page size ${PAGE_SIZE}; notes ${(floorBytes / 2 ** 20).toFixed(1)} MiB`,
				`Machine: ${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}; load average ${info.loadStart} at start, ${info.loadEnd} at end; commit ${info.commit}`,
				`Server in the benchmark's process; every client a child process. Wall time from spawn to exit for the CLI (start-up included); in-process time for the floor and the plugin.`,
				'',
				...formatTable(
					['measurement', 'median ms', 'min–max ms', '× floor', 'user µs/book', 'sys µs/book', 'engine ms', 'requests', 'notes written', 'peak RSS MiB', 'longest task ms', 'tasks >100 ms'],
					results.map((row) => [
						row.label,
						ms(row.medianMs),
						`${ms(row.minMs)}–${ms(row.maxMs)}`,
						`${row.ratioToFloor.toFixed(2)}`,
						row.userUsPerBook === undefined ? '' : row.userUsPerBook.toFixed(0),
						row.sysUsPerBook === undefined ? '' : row.sysUsPerBook.toFixed(0),
						ms(row.engineMs),
						count(row.requests),
						row.key === 'floorFetch' || row.key === 'floorSum' || row.key === 'floorMax' ? '' : count(row.notesWritten),
						row.peakRssMiB === undefined ? '' : row.peakRssMiB.toFixed(0),
						row.longestTaskMs === 0 ? 'none >50' : ms(row.longestTaskMs),
						row.tasksOver100 === undefined ? '' : row.tasksOver100.toFixed(0),
					]),
				),
				'',
				`× floor: median time over the median floor (fetch + write) of ${ms(floor)} ms. user/sys µs/book: the CLI process's own CPU (all threads, start-up included) per book, median; the floors' is their whole helper process. engine ms: the CLI's own report (durationMs). Peak RSS: the largest over the repetitions.`,
			];
			if (options.browser) {
				const cpu = results.filter((row) => row.chromiumUsPerBook !== undefined).map((row) => `${row.label}: ${row.chromiumUsPerBook?.toFixed(0)} µs/book`);
				out.push(
					`Chromium rows: the built main.js in headless Chromium (the browser test's page, an in-memory vault), CPU throttled ${THROTTLE}x through DevTools, in-page wall time of the command; longest task: the longest main-thread task a longtask PerformanceObserver saw in any repetition (tasks >100 ms: median count). CPU of all Chromium's processes (user + system): ${cpu.join('; ')}. Details per task: npx tsx scripts/bench/browser.ts --trace.`,
				);
			}
			if (profiles) for (const [name, lines] of Object.entries(profiles)) out.push('', `CPU profile, ${name}:`, ...lines);
			if (problems.length > 0) out.push('', 'PROBLEMS:', ...problems.map((problem) => `  ${problem}`));
			process.stdout.write(`${out.join('\n')}\n`);
		}
		if (problems.length > 0) process.exitCode = 1;
	} finally {
		await server.stop();
		await fs.rm(work, { recursive: true, force: true });
	}
}

function round1(value: number): number {
	return Math.round(value * 10) / 10;
}

function parseJson<T>(result: ChildResult, what: string): T {
	if (result.code !== 0) throw new Error(`${what} exited with ${result.code}: ${result.stderr.trim().slice(0, 2000)}`);
	try {
		return JSON.parse(result.stdout) as T;
	} catch {
		throw new Error(`${what} printed no JSON: ${result.stdout.slice(0, 500)} ${result.stderr.slice(0, 500)}`);
	}
}

function parseReport(result: ChildResult, what: string): CliReport {
	const report = parseJson<CliReport>(result, what);
	if (!report.ok) throw new Error(`${what} failed: ${report.error?.message ?? 'see the report'}`);
	return report;
}

/** One CLI full sync into an empty vault and two of the synced vault (the first reads every note, the next does not), under --cpu-prof. */
async function profileRuns(server: ReferenceServer, work: string, tick: () => void): Promise<Record<string, string[]>> {
	const vault = path.join(work, 'profile-vault');
	await fs.mkdir(vault, { recursive: true });
	const profiles: Record<string, string[]> = {};
	for (const [name, extra] of [['full sync, empty vault', []], ['full sync, synced vault', ['--full']], ['full sync, synced vault, next walk', ['--full']]] as const) {
		tick();
		const dir = path.join(work, `profile-${Object.keys(profiles).length}`);
		const result = await runNode(['--cpu-prof', '--cpu-prof-dir', dir, CLI, 'sync', '--server', server.url, '--vault', vault, '--quiet', '--no-covers', ...extra]);
		if (result.code !== 0) throw new Error(`profiled run failed: ${result.stderr}`);
		// Each thread writes a profile of its own: the engine's (the launcher's worker) is the largest.
		const files = await Promise.all((await fs.readdir(dir)).map(async (file) => ({ file, size: (await fs.stat(path.join(dir, file))).size })));
		const main = files.sort((a, b) => b.size - a.size)[0];
		if (main === undefined) throw new Error('no CPU profile written');
		profiles[name] = formatProfile(summariseProfile(path.join(dir, main.file)), 15);
	}
	return profiles;
}

await main();
