import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../../src/core/ports';
import { FingerprintTable } from '../../../src/core/sync/fingerprint-table';
import { cleanState, cleanStateInSlices, stateText, storedState } from '../../../src/core/sync/state';

const whole = (state: SyncState): string => [...stateText(state)].join('');

/** A fingerprint for every known id, as a run leaves them. */
function fingerprinted(state: SyncState): FingerprintTable {
	const table = new FingerprintTable();
	let i = 0;
	for (const id of state.knownIds ?? []) table.set(id, i++, 0xdeadbeef, i * 31, 7);
	return table;
}

/** A state with its fingerprint table as plain entries, sorted: two tables with the same entries compare equal. */
const comparable = (state: SyncState): object => ({ ...state, fingerprints: [...(state.fingerprints ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)) });

function library(size: number): SyncState {
	const knownIds = new Set<string>();
	const notePaths = new Map<string, string>();
	for (let i = size; i > 0; i--) {
		const id = i % 7 === 0 ? `b "${i}" \\ é` : `b${i}`;
		knownIds.add(id);
		if (i % 5 !== 0) notePaths.set(id, `Books/Title ${i} — “quoted” \n.md`);
	}
	notePaths.set('__proto__', 'Books/Proto.md');
	return { cursor: '2026-01-01T00:00:00Z', lastRunAt: '2026-01-01T00:01:00Z', lastError: 'One "book" failed.', pendingRemovals: ['b3', 'b9'], knownIds, notePaths };
}

describe('the stored sync state', () => {
	it('is written in pieces that add up to the plain JSON text, byte for byte', async () => {
		const states: SyncState[] = [
			{},
			{ cursor: 'c' },
			{ knownIds: new Set(['b2', 'b1']) },
			{ notePaths: new Map([['b1', 'A.md']]) },
			{ knownIds: new Set(), notePaths: new Map(), lastRunAt: 'r' },
			library(1234),
		];
		for (const state of states) expect(whole(state)).toBe(`${JSON.stringify(await storedState(state), null, '\t')}\n`);
		expect([...stateText(library(1234))].length).toBeGreaterThan(5);
	});

	it('loads back as it was saved, ids sorted in the file', () => {
		const state = library(300);
		const text = whole(state);
		expect(cleanState(JSON.parse(text))).toEqual(state);
		const stored = JSON.parse(text) as { knownIds: string[] };
		expect(stored.knownIds).toEqual([...stored.knownIds].sort());
		expect(cleanState(JSON.parse(text)).notePaths?.get('__proto__')).toBe('Books/Proto.md');
	});

	it('keeps only the valid part of junk', () => {
		expect(cleanState('text')).toEqual({});
		expect(cleanState([1])).toEqual({});
		const loaded = cleanState({
			cursor: 5,
			lastError: '',
			lastRunAt: 'r',
			knownIds: ['a', '', 3, null, 'b'],
			pendingRemovals: 'a',
			notePaths: { a: 'A.md', b: '', c: 4, '': 'X.md' },
			token: 'secret',
		});
		expect(loaded).toEqual({ lastRunAt: 'r', knownIds: new Set(['a', 'b']), notePaths: new Map([['a', 'A.md']]) });
		expect(cleanState({ notePaths: ['A.md'] })).toEqual({});
	});

	it('stores known fields only', async () => {
		expect(await storedState({ cursor: 'c', ...({ token: 'secret' } as object) })).toEqual({ cursor: 'c' });
	});

	it("is built in slices, with a breath between them, however many books (turns of the plugin's main thread)", async () => {
		// 20,000 ids, notes and fingerprints: sorted and copied a few thousand at a time.
		const state = library(20_000);
		state.fingerprints = fingerprinted(state);
		let breaths = 0;
		const stored = await storedState(state, async () => {
			breaths++;
		});
		// Ids, paths and fingerprints: each sorted in ten runs of 2,048 and merged in four rounds, the paths and fingerprints then copied.
		expect(breaths).toBeGreaterThanOrEqual(30);
		expect(JSON.stringify(stored)).toBe(JSON.stringify(await storedState(state)));
		expect(stored.knownIds).toEqual([...(state.knownIds ?? [])].sort());
		expect(Object.keys(stored.notePaths ?? {})).toEqual([...(state.notePaths?.keys() ?? [])].sort());
		expect(Object.keys(stored.fingerprints ?? {})).toEqual([...(state.fingerprints?.keys() ?? [])].sort());
	});

	it('loads in slices, with a breath between them, to what cleanState gives', async () => {
		const state = library(20_000);
		state.fingerprints = fingerprinted(state);
		const raw = JSON.parse(whole(state)) as unknown;
		let breaths = 0;
		const loaded = await cleanStateInSlices(raw, async () => {
			breaths++;
		});
		expect(comparable(loaded)).toEqual(comparable(cleanState(raw)));
		expect(comparable(loaded)).toEqual(comparable(state));
		// 20,000 ids, 16,000 paths and 20,000 fingerprints, a breath every 2,048 entries.
		expect(breaths).toBeGreaterThanOrEqual(25);
		expect(await cleanStateInSlices('junk', async () => undefined)).toEqual({});
	});
});
