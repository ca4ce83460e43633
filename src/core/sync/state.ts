import type { SyncState } from '../ports';

const TEXT_FIELDS = ['cursor', 'lastRunAt', 'lastSuccessAt', 'lastFullSyncAt', 'lastError'] as const;
const LIST_FIELDS = ['knownIds', 'pendingRemovals'] as const;

/**
 * The valid part of a stored sync state, whatever was stored (another
 * version's shape, hand edits, junk): unknown or mistyped fields are
 * dropped, never trusted. Both shells read their state through this.
 */
export function cleanState(raw: unknown): SyncState {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
	const source = raw as Record<string, unknown>;
	const state: SyncState = {};
	for (const field of TEXT_FIELDS) {
		const value = source[field];
		if (typeof value === 'string' && value !== '') state[field] = value;
	}
	for (const field of LIST_FIELDS) {
		const value = source[field];
		if (Array.isArray(value)) state[field] = value.filter((item): item is string => typeof item === 'string' && item !== '');
	}
	const paths = source.notePaths;
	if (typeof paths === 'object' && paths !== null && !Array.isArray(paths)) {
		// No prototype: an id such as `__proto__` from a hand-edited file stays a plain key.
		const notePaths = Object.create(null) as Record<string, string>;
		for (const [id, path] of Object.entries(paths as Record<string, unknown>)) {
			if (id !== '' && typeof path === 'string' && path !== '') notePaths[id] = path;
		}
		state.notePaths = notePaths;
	}
	return state;
}

/** What a run leaves for the next one. */
export interface RunOutcome {
	finishedAt: string;
	/** The walk was clean and every book applied. */
	clean: boolean;
	full: boolean;
	/** The cursor to commit (clean runs only; none: walk everything next time). */
	cursor: string | undefined;
	knownIds: ReadonlySet<string>;
	/** Where each book's note is now. */
	paths: ReadonlyMap<string, string>;
	/** Books awaiting a second walk's agreement; undefined when there was no removal pass. */
	pendingRemovals: string[] | undefined;
	/** Why the run failed, if it did. */
	error: string;
}

/** The state after a run: the previous one, updated by what the run did. */
export function nextState(previous: SyncState, run: RunOutcome): SyncState {
	const next: SyncState = { ...previous, lastRunAt: run.finishedAt };
	if (run.knownIds.size > 0) next.knownIds = [...run.knownIds].sort();
	if (run.paths.size > 0) {
		// No prototype: an id such as `__proto__` stays a plain key.
		const notePaths = Object.create(null) as Record<string, string>;
		for (const id of [...run.paths.keys()].sort()) notePaths[id] = run.paths.get(id) as string;
		next.notePaths = notePaths;
	}
	if (run.clean) {
		if (run.cursor === undefined) delete next.cursor;
		else next.cursor = run.cursor;
		next.lastSuccessAt = run.finishedAt;
		if (run.full) next.lastFullSyncAt = run.finishedAt;
		delete next.lastError;
	} else {
		next.lastError = run.error;
	}
	if (run.pendingRemovals !== undefined) {
		if (run.pendingRemovals.length > 0) next.pendingRemovals = run.pendingRemovals;
		else delete next.pendingRemovals;
	}
	return next;
}

/** The last run's note paths as the index's hints, without an array per entry. */
export function hintsFrom(notePaths: Record<string, string> | undefined): Map<string, string> {
	const hints = new Map<string, string>();
	for (const id in notePaths) hints.set(id, notePaths[id] as string);
	return hints;
}
