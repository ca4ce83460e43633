import { jsonPieces } from '../json-pieces';
import { noBreather, type Breathe, type SyncState } from '../ports';
import { SORT_SLICE, sortedInSlices } from '../sorted-in-slices';
import { FingerprintTable } from './fingerprint-table';

const TEXT_FIELDS = ['cursor', 'lastRunAt', 'lastSuccessAt', 'lastFullSyncAt', 'lastError'] as const;

/** A sync state as stored: JSON data, every list sorted. */
export interface StoredState {
	cursor?: string;
	lastRunAt?: string;
	lastSuccessAt?: string;
	lastFullSyncAt?: string;
	lastError?: string;
	pendingRemovals?: string[];
	knownIds?: string[];
	notePaths?: Record<string, string>;
	fingerprints?: Record<string, string>;
}

/**
 * The valid part of a stored sync state, whatever was stored (another
 * version's shape, hand edits, junk): unknown or mistyped fields are
 * dropped, never trusted. Both shells read their state through this.
 */
export function cleanState(raw: unknown): SyncState {
	const steps = cleaning(raw);
	for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
}

/** `cleanState` with `breathe()` every few thousand entries: the plugin's main thread loading the state of 30,000 books. */
export async function cleanStateInSlices(raw: unknown, breathe: Breathe): Promise<SyncState> {
	const steps = cleaning(raw);
	for (let step = steps.next(); ; step = steps.next()) {
		if (step.done === true) return step.value;
		await breathe();
	}
}

/** The work of `cleanState`, pausing (yield) after every slice of entries. */
function* cleaning(raw: unknown): Generator<void, SyncState> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
	const source = raw as Record<string, unknown>;
	const state: SyncState = {};
	for (const field of TEXT_FIELDS) {
		const value = source[field];
		if (typeof value === 'string' && value !== '') state[field] = value;
	}
	const pending = source.pendingRemovals;
	if (Array.isArray(pending)) state.pendingRemovals = pending.filter(isId);
	const known = source.knownIds;
	if (Array.isArray(known)) {
		const ids = new Set<string>();
		let seen = 0;
		for (const id of known) {
			if (isId(id)) ids.add(id);
			if (++seen % SORT_SLICE === 0) yield;
		}
		state.knownIds = ids;
	}
	const notePaths = yield* idMap(source.notePaths);
	if (notePaths !== undefined) state.notePaths = notePaths;
	const fingerprints = yield* fingerprintTable(source.fingerprints);
	if (fingerprints !== undefined) state.fingerprints = fingerprints;
	return state;
}

/** Stored fingerprints (id -> `<16 hex>.<16 hex>`) packed into a table; anything else dropped (that book just takes the full path). */
function* fingerprintTable(raw: unknown): Generator<void, FingerprintTable | undefined> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
	const table = new FingerprintTable();
	let seen = 0;
	for (const id of Object.keys(raw)) {
		const value = (raw as Record<string, unknown>)[id];
		if (typeof value === 'string') table.setText(id, value);
		if (++seen % SORT_SLICE === 0) yield;
	}
	return table;
}

/** A stored id -> text object as a Map: own keys only (an id such as `__proto__` stays a plain key), empty ids and values dropped. */
function* idMap(raw: unknown): Generator<void, Map<string, string> | undefined> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
	const map = new Map<string, string>();
	let seen = 0;
	for (const id of Object.keys(raw)) {
		const value = (raw as Record<string, unknown>)[id];
		if (id !== '' && typeof value === 'string' && value !== '') map.set(id, value);
		if (++seen % SORT_SLICE === 0) yield;
	}
	return map;
}

function isId(value: unknown): value is string {
	return typeof value === 'string' && value !== '';
}

/**
 * The state as JSON data: known fields only, ids sorted (a stable file from
 * run to run). A pass over the whole library, so it sorts and copies in
 * slices with `breathe()` between them (the plugin's main thread).
 */
export async function storedState(state: SyncState, breathe: Breathe = noBreather): Promise<StoredState> {
	const stored = smallFields(state);
	if (state.knownIds !== undefined && state.knownIds.size > 0) stored.knownIds = await sortedInSlices(state.knownIds, breathe);
	if (state.notePaths !== undefined && state.notePaths.size > 0) stored.notePaths = await sortedObject(state.notePaths, breathe);
	if (state.fingerprints !== undefined && state.fingerprints.size > 0) stored.fingerprints = await sortedObject(state.fingerprints, breathe);
	return stored;
}

/**
 * `JSON.stringify(storedState(state), null, '\t')` and a newline, in pieces
 * of a few hundred entries: a library of 50,000 books is never held as one
 * 4 MB string (nor its id -> path object) on the way to the disk.
 */
export function stateText(state: SyncState): Generator<string> {
	const { knownIds, notePaths, fingerprints } = state;
	return jsonPieces(
		{
			...smallFields(state),
			knownIds: knownIds !== undefined && knownIds.size > 0 ? [...knownIds].sort() : undefined,
			notePaths: notePaths !== undefined && notePaths.size > 0 ? notePaths : undefined,
			fingerprints: fingerprints !== undefined && fingerprints.size > 0 ? fingerprints : undefined,
		},
		'\t',
	);
}

/** An id -> text table (a Map, the fingerprints) as an object, keys sorted, in slices. No prototype: an id such as `__proto__` stays a plain key. */
async function sortedObject(map: { keys(): Iterable<string>; get(id: string): string | undefined }, breathe: Breathe): Promise<Record<string, string>> {
	const object = Object.create(null) as Record<string, string>;
	let copied = 0;
	for (const id of await sortedInSlices(map.keys(), breathe)) {
		object[id] = map.get(id) as string;
		if (++copied % SORT_SLICE === 0) await breathe();
	}
	return object;
}

function smallFields(state: SyncState): StoredState {
	const stored: StoredState = {};
	for (const field of TEXT_FIELDS) if (state[field] !== undefined) stored[field] = state[field];
	if (state.pendingRemovals !== undefined) stored.pendingRemovals = state.pendingRemovals;
	return stored;
}

/** What a run leaves for the next one. */
export interface RunOutcome {
	finishedAt: string;
	/** The walk was clean and every book applied. */
	clean: boolean;
	full: boolean;
	/** The cursor to commit (clean runs only; none: walk everything next time). */
	cursor: string | undefined;
	/** Taken over, not copied. */
	knownIds: Set<string>;
	/** Where each book's note is now; taken over, not copied. */
	paths: Map<string, string>;
	/** What decided each note's bytes (fingerprint.ts); taken over, not copied. */
	fingerprints?: FingerprintTable;
	/** Books awaiting a second walk's agreement; undefined when there was no removal pass. */
	pendingRemovals: string[] | undefined;
	/** Why the run failed, if it did. */
	error: string;
}

/** The state after a run: the previous one, updated by what the run did. */
export function nextState(previous: SyncState, run: RunOutcome): SyncState {
	const next: SyncState = { ...previous, lastRunAt: run.finishedAt };
	if (run.knownIds.size > 0) next.knownIds = run.knownIds;
	if (run.paths.size > 0) next.notePaths = run.paths;
	if (run.fingerprints !== undefined) {
		if (run.fingerprints.size > 0) next.fingerprints = run.fingerprints;
		else delete next.fingerprints;
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
