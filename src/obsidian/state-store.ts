import type { App } from 'obsidian';
import type { StateStore, SyncState } from '../core/ports';
import { fingerprintLines, fingerprintsFromLines } from '../core/sync/fingerprint-lines';
import { cleanStateInSlices, storedState } from '../core/sync/state';
import { breather } from './breather';

/**
 * How much of local storage the fingerprints may take, in characters. Every
 * vault of the app shares one origin's quota (Chromium: 10 MiB, about five
 * million characters), and Obsidian keeps its own settings there. A book
 * takes 36 characters and its id, 56 with its note's size and time: with
 * ids of ten characters, some 23,000 books keep them whole, up to some
 * 34,000 without the sizes and times, and a larger library keeps none (its
 * full walk renders every note again).
 */
const FINGERPRINT_BUDGET = 1_500_000;

/**
 * Per-device sync bookkeeping in Obsidian's vault-scoped local storage:
 * never synced between devices (unlike data.json), because each device's
 * view of the server is its own, and a note's modification time is this
 * device's. Junk (another version's shape, a string, hand edits) loads as
 * the empty state or keeps only the valid fields.
 *
 * The fingerprints (what decided each note's bytes, and the note's size
 * and time) sit under a key of their own, as lines of text cut down to
 * FINGERPRINT_BUDGET; when local storage is full they are left out, and
 * the rest of the state is saved all the same. Every pass over the
 * library's ids runs in slices: the ids of 30,000 books are no single long
 * task on the main thread.
 */
export class LocalStorageStateStore implements StateStore {
	private readonly fingerprintKey: string;

	constructor(
		private readonly app: App,
		private readonly key = 'library-sync-state',
	) {
		this.fingerprintKey = key.replace(/-state$/, '') + '-fingerprints';
	}

	async load(): Promise<SyncState> {
		let raw: unknown = this.app.loadLocalStorage(this.key);
		if (typeof raw === 'string') {
			try {
				raw = JSON.parse(raw) as unknown;
			} catch {
				return {};
			}
		}
		const state = await cleanStateInSlices(raw, breather());
		const fingerprints = await fingerprintsFromLines(this.app.loadLocalStorage(this.fingerprintKey), breather());
		if (fingerprints !== undefined && fingerprints.size > 0) state.fingerprints = fingerprints;
		return state;
	}

	/** Without note path hints: the metadata cache finds notes cheaply. */
	async save(state: SyncState): Promise<void> {
		const stored = await storedState({ ...state, notePaths: undefined, fingerprints: undefined }, breather());
		const lines = state.fingerprints === undefined ? undefined : await fingerprintLines(state.fingerprints, FINGERPRINT_BUDGET, breather());
		// The last run's fingerprints make room first: the state is saved even when local storage is nearly full.
		this.app.saveLocalStorage(this.fingerprintKey, null);
		this.app.saveLocalStorage(this.key, stored);
		if (lines === undefined) return;
		try {
			this.app.saveLocalStorage(this.fingerprintKey, lines);
		} catch {
			// Local storage is full (QuotaExceededError), and nothing was stored: the next full walk reads and renders every note.
		}
	}
}
