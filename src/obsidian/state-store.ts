import type { App } from 'obsidian';
import type { StateStore, SyncState } from '../core/ports';
import { cleanStateInSlices, storedState } from '../core/sync/state';
import { breather } from './breather';

/**
 * How much of local storage the fingerprints may take, in characters. Every
 * vault of the app shares one origin's quota (Chromium: 10 MiB, about five
 * million characters), and Obsidian keeps its own settings there. At about
 * 70 characters a book this is some 20,000 books; up to some 30,000 keep
 * them without the notes' sizes and times (about 50 characters a book); a
 * larger library keeps none, and its full walk renders every note again.
 */
const FINGERPRINT_BUDGET = 1_500_000;

/** `<16 hex>.<16 hex>`: a fingerprint without the note's size and time. */
const HASHES_LENGTH = 33;

/**
 * Per-device sync bookkeeping in Obsidian's vault-scoped local storage:
 * never synced between devices (unlike data.json), because each device's
 * view of the server is its own, and a note's modification time is this
 * device's. Junk (another version's shape, a string, hand edits) loads as
 * the empty state or keeps only the valid fields.
 *
 * The fingerprints (what decided each note's bytes, and the note's size
 * and time) sit under a key of their own, cut down to FINGERPRINT_BUDGET;
 * when local storage is full they are left out, and the rest of the state
 * is saved all the same.
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
		const raw = this.parsed(this.key);
		const fingerprints = this.parsed(this.fingerprintKey);
		const source = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw, fingerprints } : raw;
		// Read in slices: the ids of 30,000 books are no single long task on the main thread.
		return cleanStateInSlices(source, breather());
	}

	/** Without note path hints: the metadata cache finds notes cheaply. */
	async save(state: SyncState): Promise<void> {
		// Sorted in slices: the ids of 30,000 books are no single long task on the main thread.
		const { fingerprints, ...stored } = await storedState({ ...state, notePaths: undefined }, breather());
		this.app.saveLocalStorage(this.key, stored);
		const kept = fingerprints === undefined ? undefined : withinBudget(fingerprints);
		try {
			this.app.saveLocalStorage(this.fingerprintKey, kept ?? null);
		} catch {
			// Local storage is full (QuotaExceededError): the next full walk reads and compares every note instead.
			this.app.saveLocalStorage(this.fingerprintKey, null);
		}
	}

	/** What is stored under `key`; a string holding JSON (an older version's form) is parsed. */
	private parsed(key: string): unknown {
		const raw: unknown = this.app.loadLocalStorage(key);
		if (typeof raw !== 'string') return raw;
		try {
			return JSON.parse(raw) as unknown;
		} catch {
			return undefined;
		}
	}
}

/**
 * The fingerprints as they fit in FINGERPRINT_BUDGET: whole; else without
 * the notes' sizes and times (`<hash>.<hash>`: a full walk then reads each
 * note, but renders none that did not change); else none.
 */
function withinBudget(table: Record<string, string>): Record<string, string> | undefined {
	let whole = 2;
	let bare = 2;
	for (const id in table) {
		const text = table[id] as string;
		whole += id.length + text.length + 6;
		bare += id.length + Math.min(text.length, HASHES_LENGTH) + 6;
	}
	if (whole <= FINGERPRINT_BUDGET) return table;
	if (bare > FINGERPRINT_BUDGET) return undefined;
	const hashes: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const id in table) hashes[id] = (table[id] as string).slice(0, HASHES_LENGTH);
	return hashes;
}
