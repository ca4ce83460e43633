/**
 * Micro-benchmarks behind the optimisation notes in bench-README.md: each
 * compares what the engine does today with a cheaper way to get the same
 * result, on the same inputs (medians of 5 runs).
 *
 *   npx tsx scripts/bench/micro.ts [--files 10000]
 *
 * 1. Reading notes: fs.promises.readFile (the CLI today) against the
 *    callback fs.readFile, readFileSync, and 8 reads in flight.
 * 2. Creating notes: the CLI's create (mkdir -p, temp file with 'wx',
 *    link, rm) against a remembered mkdir and unlink, and 8 in flight.
 * 3. Datetimes in a zone: TZDate + date-fns format (the renderer today)
 *    against one cached Intl.DateTimeFormat per zone, and a UTC fast path.
 * 4. isTaken in a folder of n notes: a case-folded scan of the folder's
 *    children (the plugin's VaultNoteStore today) against a Set of folded names.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { randomBytes } from 'node:crypto';
import { readFile as readFileCallback, readFileSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { formatTable, median, ms } from './table';

const readFileCb = promisify(readFileCallback);

async function timeIt(runs: number, setup: () => Promise<void>, body: () => Promise<void> | void): Promise<number> {
	const samples: number[] = [];
	for (let run = 0; run < runs; run++) {
		await setup();
		const started = performance.now();
		await body();
		samples.push(performance.now() - started);
	}
	return median(samples);
}

async function inFlight<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({ length: limit }, async () => {
		while (next < items.length) await task(items[next++] as T);
	}));
}

const { values } = parseArgs({ args: process.argv.slice(2), options: { files: { type: 'string', default: '10000' } } });
const files = Number(values.files);
const rows: string[][] = [];
const add = (group: string, label: string, total: number, per: number, unit: string): void => {
	rows.push([group, label, ms(total), `${(per * 1000).toFixed(1)} µs/${unit}`]);
};

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-micro-'));
try {
	// A note's worth of text (the synthetic notes average about 1.8 KB).
	const text = `---\nbook_id: sy_000001\ntitle: The Silent Harbour\n---\n${'Lorem ipsum dolor sit amet. '.repeat(60)}\n`;
	const names = Array.from({ length: files }, (_, i) => `The Silent Harbour of Glass ${i + 1}.md`);
	const source = path.join(dir, 'source');
	await fs.mkdir(source);
	for (const name of names) await fs.writeFile(path.join(source, name), text);
	const none = async (): Promise<void> => undefined;

	const reads: Array<[string, () => Promise<void>]> = [
		['fs.promises.readFile, one at a time (today)', async () => { for (const name of names) await fs.readFile(path.join(source, name), 'utf8'); }],
		['fs.readFile (callback, promisified), one at a time', async () => { for (const name of names) await readFileCb(path.join(source, name), 'utf8'); }],
		['fs.readFileSync', async () => { for (const name of names) readFileSync(path.join(source, name), 'utf8'); }],
		['fs.promises.readFile, 8 in flight', () => inFlight(names, 8, async (name) => void (await fs.readFile(path.join(source, name), 'utf8')))],
		['fs.readFile (callback), 8 in flight', () => inFlight(names, 8, async (name) => void (await readFileCb(path.join(source, name), 'utf8')))],
	];
	for (const [label, body] of reads) {
		const total = await timeIt(5, none, body);
		add(`read ${files} notes`, label, total, total / files, 'note');
	}

	let target = '';
	const fresh = async (): Promise<void> => {
		target = path.join(dir, `out-${randomBytes(4).toString('hex')}`, 'Books');
	};
	const createToday = async (name: string): Promise<void> => {
		const file = path.join(target, name);
		await fs.mkdir(path.dirname(file), { recursive: true });
		const temp = path.join(path.dirname(file), `.library-sync-${randomBytes(6).toString('hex')}.tmp`);
		await fs.writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
		try {
			await fs.link(temp, file);
		} finally {
			await fs.rm(temp, { force: true });
		}
	};
	const made = new Set<string>();
	let counter = 0;
	const createLean = async (name: string): Promise<void> => {
		const file = path.join(target, name);
		const folder = path.dirname(file);
		if (!made.has(folder)) {
			await fs.mkdir(folder, { recursive: true });
			made.add(folder);
		}
		const temp = path.join(folder, `.library-sync-${process.pid}-${counter++}.tmp`);
		await fs.writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
		try {
			await fs.link(temp, file);
		} finally {
			await fs.unlink(temp);
		}
	};
	const writes: Array<[string, () => Promise<void>]> = [
		['plain fs.writeFile, one at a time (the floor)', async () => {
			await fs.mkdir(target, { recursive: true });
			for (const name of names) await fs.writeFile(path.join(target, name), text, 'utf8');
		}],
		['create as today: mkdir -p, temp wx, link, rm', async () => { for (const name of names) await createToday(name); }],
		['create: mkdir once, counter temp name, link, unlink', async () => { for (const name of names) await createLean(name); }],
		['create as today, 8 in flight', () => inFlight(names, 8, createToday)],
		['create lean, 8 in flight', () => inFlight(names, 8, createLean)],
	];
	for (const [label, body] of writes) {
		const total = await timeIt(5, fresh, body);
		add(`create ${files} notes`, label, total, total / files, 'note');
	}

	const instants = Array.from({ length: 100_000 }, (_, i) => Date.UTC(2023, 0, 1) + i * 7_919_000);
	const formatters = new Map<string, Intl.DateTimeFormat>();
	const cachedFormat = (instant: number, timeZone: string): string => {
		let formatter = formatters.get(timeZone);
		if (!formatter) {
			formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
			formatters.set(timeZone, formatter);
		}
		const parts: Record<string, string> = {};
		for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
		return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
	};
	for (const zone of ['UTC', 'Europe/Berlin']) {
		const today = (instant: number): string => format(new TZDate(instant, zone), "yyyy-MM-dd'T'HH:mm:ss");
		for (const instant of instants.slice(0, 2000)) {
			if (today(instant) !== cachedFormat(instant, zone)) throw new Error(`formatters disagree on ${instant} in ${zone}`);
		}
		const variants: Array<[string, () => void]> = [
			['TZDate + date-fns format (today)', () => { for (const instant of instants) today(instant); }],
			['cached Intl.DateTimeFormat.formatToParts', () => { for (const instant of instants) cachedFormat(instant, zone); }],
		];
		if (zone === 'UTC') variants.push(['UTC fast path: toISOString().slice(0, 19)', () => { for (const instant of instants) new Date(instant).toISOString().slice(0, 19); }]);
		for (const [label, body] of variants) {
			const total = await timeIt(5, none, body);
			add(`100,000 datetimes, ${zone}`, label, total, total / instants.length, 'datetime');
		}
	}

	const fold = (name: string): string => name.normalize('NFC').toLowerCase();
	const children = names.map((name) => ({ name }));
	const probes = names.slice(0, 2000).map((name) => fold(name.replace('.md', ' (2).md')));
	const folded = new Set(children.map((child) => fold(child.name)));
	const isTaken: Array<[string, () => void]> = [
		['scan children, fold each (plugin today)', () => { for (const probe of probes) children.some((child) => fold(child.name) === probe); }],
		['Set of folded names', () => { for (const probe of probes) folded.has(probe); }],
	];
	for (const [label, body] of isTaken) {
		const total = await timeIt(5, none, body);
		add(`2,000 isTaken, folder of ${files}`, label, total, total / probes.length, 'call');
	}
} finally {
	await fs.rm(dir, { recursive: true, force: true });
}

process.stdout.write(`${formatTable(['group', 'variant', 'median ms', 'per item'], rows).join('\n')}\n`);
