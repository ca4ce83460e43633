import type { Breathe } from './ports';

/** Items sorted or merged between two breaths. */
export const SORT_SLICE = 2048;

/**
 * `[...items].sort()` (default string order, stable) in slices: runs of a
 * few thousand are sorted, then merged pairwise, with `breathe()` between
 * slices, so sorting the ids of a whole library is never one long task.
 */
export async function sortedInSlices(items: Iterable<string>, breathe: Breathe): Promise<string[]> {
	let runs: string[][] = [];
	let run: string[] = [];
	for (const item of items) {
		run.push(item);
		if (run.length === SORT_SLICE) {
			runs.push(run.sort());
			run = [];
			await breathe();
		}
	}
	if (run.length > 0 || runs.length === 0) runs.push(run.sort());
	while (runs.length > 1) {
		const merged: string[][] = [];
		for (let i = 0; i < runs.length; i += 2) {
			const left = runs[i] as string[];
			const right = runs[i + 1];
			merged.push(right === undefined ? left : await merge(left, right, breathe));
		}
		runs = merged;
	}
	return runs[0] as string[];
}

/** Two sorted lists as one; of equal items, the left one's first (as a stable sort keeps them). */
async function merge(left: readonly string[], right: readonly string[], breathe: Breathe): Promise<string[]> {
	const out: string[] = [];
	let i = 0;
	let j = 0;
	while (i < left.length && j < right.length) {
		out.push((left[i] as string) <= (right[j] as string) ? (left[i++] as string) : (right[j++] as string));
		if (out.length % SORT_SLICE === 0) await breathe();
	}
	while (i < left.length) out.push(left[i++] as string);
	while (j < right.length) out.push(right[j++] as string);
	return out;
}
