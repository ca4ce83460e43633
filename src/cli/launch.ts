import { Worker } from 'node:worker_threads';
import { answerWrites, type LaunchData, type ToWorker } from './launcher-link';

/**
 * The `library-sync` command as installed. It runs the command itself
 * (main.ts, bundled as cli-main.js) on a worker thread whose heap is sized
 * for the job, writes the notes that thread hands over, and passes Ctrl-C
 * on as a request to stop cleanly.
 *
 * Why a worker: V8's defaults suit a long-lived server. They let the young
 * generation grow to 32 MB, and the old one to several times the data it
 * holds before collecting it, which put a 50,000-book sync over 200 MB.
 * The engine keeps about 30 MB of data at that size (some 400 bytes a
 * book); with these limits the whole process peaks near 140 MiB, for
 * about the same CPU time (docs/benchmark.md, fourth round).
 */
const ENGINE_HEAP = {
	// Smaller than V8's default of up to 32 MB; 8 rather than 4 since the
	// sixth benchmark round: a feed page's records outlive a 4 MB young
	// generation and were promoted, to be marked and swept again. 8 MB
	// took 10-20% off the CPU of a sync at 50,000 books with the same peak
	// memory (docs/benchmark.md, sixth round).
	maxYoungGenerationSizeMb: 8,
	// Room for a library of about a million books (the most one walk reads
	// at the largest page size), and low enough that V8 collects the old
	// generation at about 1.4 times what it holds instead of 4.
	maxOldGenerationSizeMb: 512,
};

const worker = new Worker(new URL('./cli-main.js', import.meta.url), {
	argv: process.argv.slice(2),
	workerData: { launchedBy: 'library-sync', stderrIsTTY: process.stderr.isTTY === true } satisfies LaunchData,
	resourceLimits: ENGINE_HEAP,
});

answerWrites(worker);

// A reader that goes away (`library-sync sync --json | head`) must not stop
// the sync halfway: from then on, what the command prints there is dropped.
for (const [terminal, printed] of [
	[process.stdout, worker.stdout],
	[process.stderr, worker.stderr],
] as const) {
	terminal.on('error', () => {
		printed.unpipe(terminal);
		printed.resume();
	});
}

// The first Ctrl-C asks the sync to stop after the note it is writing; a second one ends the process.
const cancel = (): void => worker.postMessage({ type: 'cancel' } satisfies ToWorker);
process.once('SIGINT', cancel);
process.once('SIGTERM', cancel);

worker.on('error', (error: Error & { code?: unknown }) => {
	const reason =
		error.code === 'ERR_WORKER_OUT_OF_MEMORY'
			? `the sync ran out of memory (${ENGINE_HEAP.maxOldGenerationSizeMb} MB). No note was left half written, and the next run picks up from the same point.`
			: `unexpected error: ${error.message}`;
	process.stderr.write(`library-sync: ${reason}\n`);
	process.exitCode = 1;
});

worker.on('exit', (code) => {
	process.exitCode ??= code;
	process.off('SIGINT', cancel);
	process.off('SIGTERM', cancel);
});
