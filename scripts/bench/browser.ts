/**
 * The built plugin (main.js) in headless Chromium with the CPU slowed down
 * (DevTools' `Emulation.setCPUThrottlingRate`, 4x by default, a mid-range
 * phone): a first sync, then two full walks of the same library (the
 * first checks every note against its file, the next can trust what the
 * files' sizes and times say), each timed and watched for long main-thread
 * tasks through a `longtask` PerformanceObserver registered before any
 * page script runs. The page is
 * the browser test's (tests/browser: harness.ts and the browser fake of
 * `obsidian`, an in-memory vault), covers off.
 *
 *   npx tsx scripts/bench/browser.ts [--books 10000] [--seed 1] [--throttle 4] [--json] [--trace] [--main <file>]
 *
 * Run on its own it starts a reference server with a synthetic library;
 * scripts/bench.ts calls `runInBrowser` with its own server (`--browser`).
 * Per phase it prints wall time, the longest task and how many tasks took
 * more than 50 ms and more than 100 ms, the page's main-thread time (the
 * DevTools Performance metrics), and the CPU of Chromium's renderer and of
 * all its processes (Linux: /proc).
 */
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { chromiumPath } from '../../tests/browser/chromium-path';
import type { Harness } from '../../tests/browser/harness';
import { CHROMIUM_ARGS, inPage, openPluginPage } from '../../tests/browser/plugin-page';
import { startReferenceServer } from '../../tests/server/reference-server';
import { syntheticLibrary } from '../../tests/server/synthetic';
import { longTasksIn, TRACE_CATEGORIES, type LongTask } from './busy-spans';
import { count, formatTable, ms } from './table';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN_JS = path.join(ROOT, 'main.js');
const HOUR = 3_600_000;
/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream build). */
const CLOCK_TICKS = 100;

export interface BrowserPhase {
	label: string;
	/** From the command to its report, measured in the page (wall clock). */
	wallMs: number;
	ok: boolean;
	counts: Record<string, number>;
	requests: number;
	/** Long tasks (over 50 ms) that started during the phase, longest first, in ms. */
	longTasksMs: number[];
	over50: number;
	over100: number;
	/** The page's main thread, from DevTools' Performance metrics: time in tasks, in script, and its CPU time. */
	taskMs: number;
	scriptMs: number;
	threadCpuMs: number;
	/** CPU (user + system) of the renderer process and of all Chromium's processes, from /proc; undefined elsewhere. */
	rendererCpuMs?: number;
	chromiumCpuMs?: number;
	/** The page's JavaScript heap in use after the phase (MiB): the vault fake's notes and metadata cache, and the plugin's tables. */
	heapMiB: number;
	/** With `trace`: the main thread's tasks over 100 ms and what they ran. */
	traced?: LongTask[];
}

export interface BrowserRun {
	books: number;
	throttle: number;
	chromium: string;
	onloadMs: number;
	/** Long tasks while main.js loaded and its onload ran. */
	loadLongTasksMs: number[];
	phases: BrowserPhase[];
	/** The heap after the plugin was unloaded and its last report dropped, collected (MiB): what the fake vault alone holds. */
	heapWithoutPluginMiB: number;
}

export interface BrowserOptions {
	serverUrl: string;
	books: number;
	/** The plugin bundle to run (default: the built main.js). */
	mainJs?: string;
	throttle: number;
	/** Called before each phase: the server's clock moves on (the cursor overlap stays clear of the previous phase). */
	tick?: () => void;
	/** Trace each phase (with the V8 sampler) and name what ran in its tasks over 100 ms; slows the page down. */
	trace?: boolean;
	log?: (line: string) => void;
}

/** Registered before any page script: every long task of the page, kept for the Node side. */
function observeLongTasks(): void {
	const tasks: Array<{ start: number; duration: number }> = [];
	Reflect.set(window, '__longTasks', tasks);
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
	}).observe({ type: 'longtask', buffered: true });
}

async function longTasksBetween(page: Page, start: number, end: number): Promise<number[]> {
	// The observer hears of a task after it ended: give it a moment.
	await page.waitForTimeout(200);
	const tasks = await page.evaluate(() => Reflect.get(window, '__longTasks') as Array<{ start: number; duration: number }>);
	return tasks
		.filter((task) => task.start >= start && task.start < end)
		.map((task) => task.duration)
		.sort((a, b) => b - a);
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
	const { metrics: list } = await cdp.send('Performance.getMetrics');
	return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
}

interface ProcessCpu {
	renderer: number;
	all: number;
}

/** CPU ms of this process's descendants (Chromium's processes), and of the renderers among them; undefined off Linux. */
function chromiumCpu(): ProcessCpu | undefined {
	if (process.platform !== 'linux') return undefined;
	const parents = new Map<number, number>();
	const cpu = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// pid (comm) state ppid ... utime(14) stime(15): fields after the last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parents.set(Number(name), Number(fields[1]));
			cpu.set(Number(name), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
		} catch {
			// The process ended meanwhile.
		}
	}
	const descends = (pid: number): boolean => {
		for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) if (at === process.pid) return true;
		return false;
	};
	let renderer = 0;
	let all = 0;
	for (const [pid, used] of cpu) {
		if (!descends(pid)) continue;
		all += used;
		try {
			if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderer += used;
		} catch {
			// ended
		}
	}
	return { renderer, all };
}

export async function runInBrowser(options: BrowserOptions): Promise<BrowserRun> {
	const log = options.log ?? ((): void => undefined);
	const mainFile = options.mainJs ?? MAIN_JS;
	if (!existsSync(mainFile)) throw new Error(`${mainFile} is missing: run "npm run build" first.`);
	const mainJs = await fs.readFile(mainFile, 'utf8');
	const browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
	try {
		const context = await browser.newContext();
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.throttle });
		await page.addInitScript(observeLongTasks);
		const pageErrors: string[] = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await openPluginPage(page, options.serverUrl, mainJs);

		// Tasks that DevTools itself runs (page.evaluate) are not reported as long tasks: every
		// measured step starts from a timer of the page's own.
		const loaded = await inPage(page, async (harness: Harness) => {
			await new Promise((resolve) => window.setTimeout(resolve, 0));
			const start = performance.now();
			const result = await harness.load();
			return { start, end: performance.now(), onloadMs: result.onloadMs };
		});
		const loadLongTasksMs = await longTasksBetween(page, loaded.start, loaded.end);
		await inPage(page, (harness, arg) => harness.configure(arg), { serverUrl: options.serverUrl, token: 'bench', timeZone: 'UTC', downloadCovers: false });

		const phases: BrowserPhase[] = [];
		for (const [label, command] of [
			['first sync', 'library-sync:sync'],
			['full walk', 'library-sync:sync-full'],
			['next full walk', 'library-sync:sync-full'],
		] as const) {
			options.tick?.();
			const metricsBefore = await metrics(cdp);
			const cpuBefore = chromiumCpu();
			if (options.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
			const { start, end, ...report } = await inPage(page, (harness, arg) => harness.timedRun(arg.command, arg.timeoutMs), { command, timeoutMs: 3_600_000 });
			const cpuAfter = chromiumCpu();
			const traced = options.trace ? longTasksIn((await browser.stopTracing()).toString('utf8'), 100, 40) : undefined;
			const metricsAfter = await metrics(cdp);
			const delta = (name: string): number => ((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0)) * 1000;
			const longTasksMs = await longTasksBetween(page, start, end);
			if (!report.ok) throw new Error(`The plugin's ${label} in Chromium failed: ${report.error ?? 'no report'}`);
			const phase: BrowserPhase = {
				label,
				wallMs: end - start,
				ok: report.ok,
				counts: report.counts,
				requests: report.requests,
				longTasksMs,
				over50: longTasksMs.filter((duration) => duration > 50).length,
				over100: longTasksMs.filter((duration) => duration > 100).length,
				taskMs: delta('TaskDuration'),
				scriptMs: delta('ScriptDuration'),
				threadCpuMs: delta('ThreadTime'),
				rendererCpuMs: cpuBefore && cpuAfter ? cpuAfter.renderer - cpuBefore.renderer : undefined,
				chromiumCpuMs: cpuBefore && cpuAfter ? cpuAfter.all - cpuBefore.all : undefined,
				heapMiB: (metricsAfter.JSHeapUsedSize ?? 0) / 2 ** 20,
				traced,
			};
			phases.push(phase);
			log(`  Chromium ${label}: ${ms(phase.wallMs)} ms, longest task ${ms(longTasksMs[0] ?? 0)} ms, ${phase.over100} over 100 ms`);
		}
		if (pageErrors.length > 0) throw new Error(`The page saw errors: ${pageErrors.slice(0, 3).join('; ')}`);
		await inPage(page, (harness) => harness.unload());
		await cdp.send('HeapProfiler.collectGarbage');
		const heapWithoutPluginMiB = ((await metrics(cdp)).JSHeapUsedSize ?? 0) / 2 ** 20;
		return { books: options.books, throttle: options.throttle, chromium: browser.version(), onloadMs: loaded.onloadMs, loadLongTasksMs, phases, heapWithoutPluginMiB };
	} finally {
		await browser.close();
	}
}

/** The run as table rows: one per phase. */
export function browserTable(run: BrowserRun): string[] {
	return formatTable(
		['Chromium, CPU ' + `${run.throttle}x slower`, 'wall ms', 'longest task ms', 'tasks >50 ms', 'tasks >100 ms', 'main thread ms', 'script ms', 'thread CPU ms', 'renderer CPU ms', 'Chromium CPU ms', 'heap MiB', 'notes written'],
		run.phases.map((phase) => [
			`plugin ${phase.label}, ${count(run.books)} books`,
			ms(phase.wallMs),
			phase.longTasksMs[0] === undefined ? 'none >50' : ms(phase.longTasksMs[0]),
			count(phase.over50),
			count(phase.over100),
			ms(phase.taskMs),
			ms(phase.scriptMs),
			ms(phase.threadCpuMs),
			ms(phase.rendererCpuMs),
			ms(phase.chromiumCpuMs),
			phase.heapMiB.toFixed(0),
			count((phase.counts.created ?? 0) + (phase.counts.updated ?? 0) + (phase.counts.renamed ?? 0)),
		]),
	);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		args: process.argv.slice(2),
		options: {
			books: { type: 'string', default: '10000' },
			seed: { type: 'string', default: '1' },
			throttle: { type: 'string', default: '4' },
			json: { type: 'boolean', default: false },
			trace: { type: 'boolean', default: false },
			main: { type: 'string' },
		},
	});
	const books = Number(values.books);
	const throttle = Number(values.throttle);
	if (!Number.isInteger(books) || books < 1 || !(throttle >= 1)) {
		process.stderr.write('Usage: browser.ts [--books <n>] [--seed <n>] [--throttle <rate, at least 1>] [--json]\n');
		process.exit(2);
	}
	const loadStart = os.loadavg()[0] ?? 0;
	let virtualNow = Date.now() - 2 * 24 * HOUR;
	const server = await startReferenceServer({ books: syntheticLibrary(books, Number(values.seed)), now: () => virtualNow, covers: false });
	try {
		const run = await runInBrowser({
			serverUrl: server.url,
			books,
			throttle,
			trace: values.trace,
			mainJs: values.main === undefined ? undefined : path.resolve(values.main),
			tick: () => {
				virtualNow += HOUR;
			},
			log: (line) => {
				if (!values.json) process.stderr.write(`${line}\n`);
			},
		});
		const loadEnd = os.loadavg()[0] ?? 0;
		if (values.json) {
			process.stdout.write(`${JSON.stringify({ ...run, loadStart, loadEnd }, null, 2)}\n`);
			return;
		}
		const lines = [
			`The plugin (${values.main ?? 'main.js'}) in headless Chromium ${run.chromium}, ${count(books)} synthetic books (seed ${values.seed}), covers off, CPU throttled ${throttle}x; load average ${loadStart.toFixed(1)} at start, ${loadEnd.toFixed(1)} at end`,
			`main.js load and onload: ${ms(run.onloadMs)} ms, longest task ${ms(run.loadLongTasksMs[0] ?? 0)} ms; heap after unloading the plugin (the fake vault and its metadata cache): ${run.heapWithoutPluginMiB.toFixed(0)} MiB`,
			'',
			...browserTable(run),
			'',
			'Long tasks (ms, longest first): ' + run.phases.map((phase) => `${phase.label}: ${phase.longTasksMs.slice(0, 10).map((value) => Math.round(value)).join(', ') || 'none'}`).join('; '),
		];
		for (const phase of run.phases) {
			for (const task of phase.traced ?? []) {
				lines.push('', `${phase.label}: a task of ${ms(task.ms)} ms, ${ms(task.cpuMs)} ms CPU (${task.samples} samples)`);
				for (const entry of task.top) lines.push(`  ${(entry.share * 100).toFixed(0).padStart(3)}%  ${entry.name}`);
				for (const line of task.gc) lines.push(`  garbage collection: ${line}`);
			}
		}
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await server.stop();
	}
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
