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
	return state;
}
