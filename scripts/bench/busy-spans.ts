/**
 * What ran in a page's long tasks, from a Chromium trace (DevTools'
 * `devtools.timeline` categories with the V8 sampler on): each `RunTask` of
 * the renderer's main thread longer than a threshold, with the functions
 * whose frames the sampler saw most during it. Used by `browser.ts --trace`
 * to find what to split; not part of the figures.
 */

interface TraceEvent {
	name: string;
	ph: string;
	ts: number;
	dur?: number;
	/** Thread (CPU) time of the event, µs. */
	tdur?: number;
	pid: number;
	tid: number;
	id?: string;
	args?: {
		name?: string;
		usedHeapSizeBefore?: number;
		usedHeapSizeAfter?: number;
		type?: string;
		data?: {
			startTime?: number;
			cpuProfile?: { nodes?: ChunkNode[]; samples?: number[] };
			timeDeltas?: number[];
		};
	};
}

interface ChunkNode {
	id: number;
	parent?: number;
	callFrame: { functionName: string; url?: string; lineNumber?: number };
}

export interface LongTask {
	ms: number;
	/** The main thread's CPU time in the task (less than `ms` when the thread waited for a core or was throttled). */
	cpuMs: number;
	/** `name (file:line)` by the share of the task's samples whose stack holds it, most first. */
	top: Array<{ name: string; share: number }>;
	samples: number;
	/** Garbage collections in the task: kind, ms, and the heap before and after (MiB). */
	gc: string[];
}

/** The trace categories `longTasksIn` needs. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];

function label(frame: ChunkNode['callFrame']): string {
	const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
	const url = frame.url ?? '';
	const file = url.slice(url.lastIndexOf('/') + 1);
	return file === '' ? name : `${name} (${file}:${(frame.lineNumber ?? -1) + 1})`;
}

/**
 * The main thread's tasks longer than `minMs` (wall) or that used more than
 * `minCpuMs` of CPU, longest first, each with its `topN` functions.
 */
export function longTasksIn(traceJson: string, minMs: number, minCpuMs = minMs, topN = 14): LongTask[] {
	const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
	const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
	const main = events.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
	if (!main) return [];
	const onMain = (event: TraceEvent): boolean => event.pid === main.pid && event.tid === main.tid;

	// Samples of the main thread, in trace time.
	const nodes = new Map<number, ChunkNode>();
	const times: number[] = [];
	const leaves: number[] = [];
	let clock: number | undefined;
	for (const event of events) {
		if (event.pid !== main.pid) continue;
		if (event.name === 'Profile' && event.args?.data?.startTime !== undefined && onMain(event)) clock = event.args.data.startTime;
		if (event.name !== 'ProfileChunk' || clock === undefined) continue;
		const data = event.args?.data;
		for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
		const samples = data?.cpuProfile?.samples ?? [];
		const deltas = data?.timeDeltas ?? [];
		for (let i = 0; i < samples.length; i++) {
			clock += deltas[i] ?? 0;
			times.push(clock);
			leaves.push(samples[i] as number);
		}
	}

	const collections = events.filter((event) => onMain(event) && (event.name === 'MajorGC' || event.name === 'MinorGC') && event.ph === 'X');
	const tasks = events.filter((event) => onMain(event) && event.name === 'RunTask' && event.ph === 'X' && ((event.dur ?? 0) / 1000 > minMs || (event.tdur ?? 0) / 1000 > minCpuMs));
	return tasks
		.map((task) => {
			const start = task.ts;
			const end = task.ts + (task.dur ?? 0);
			const inclusive = new Map<string, number>();
			let samples = 0;
			for (let i = 0; i < times.length; i++) {
				const at = times[i] as number;
				if (at < start || at > end) continue;
				samples++;
				const seen = new Set<string>();
				for (let id: number | undefined = leaves[i]; id !== undefined; id = nodes.get(id)?.parent) {
					const node = nodes.get(id);
					if (!node) break;
					const name = label(node.callFrame);
					if (name === '(root)' || seen.has(name)) continue;
					seen.add(name);
					inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
				}
			}
			const top = [...inclusive]
				.sort((a, b) => b[1] - a[1])
				.slice(0, topN)
				.map(([name, n]) => ({ name, share: n / Math.max(1, samples) }));
			const mib = (bytes: number | undefined): string => ((bytes ?? 0) / 2 ** 20).toFixed(0);
			const gc = collections
				.filter((event) => event.ts >= start && event.ts <= end)
				.map((event) => `${event.name} ${((event.dur ?? 0) / 1000).toFixed(0)} ms, heap ${mib(event.args?.usedHeapSizeBefore)} -> ${mib(event.args?.usedHeapSizeAfter)} MiB`);
			return { ms: (task.dur ?? 0) / 1000, cpuMs: (task.tdur ?? 0) / 1000, top, samples, gc };
		})
		.sort((a, b) => b.ms - a.ms);
}
