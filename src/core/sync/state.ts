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
