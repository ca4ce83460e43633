import type { App } from 'obsidian';
import type { StateStore, SyncState } from '../core/ports';
import { cleanStateInSlices, storedState } from '../core/sync/state';
import { breather } from './breather';

/**
 * Per-device sync bookkeeping in Obsidian's vault-scoped local storage:
 * never synced between devices (unlike data.json), because each device's
 * view of the server is its own. Junk (another version's shape, a string,
 * hand edits) loads as the empty state or keeps only the valid fields.
 */
export class LocalStorageStateStore implements StateStore {
	constructor(
		private readonly app: App,
		private readonly key = 'library-sync-state',
	) {}

	async load(): Promise<SyncState> {
		let raw: unknown = this.app.loadLocalStorage(this.key);
		if (typeof raw === 'string') {
			try {
				raw = JSON.parse(raw) as unknown;
			} catch {
				return {};
			}
		}
		// Read in slices: the ids of 30,000 books are no single long task on the main thread.
		return cleanStateInSlices(raw, breather());
	}

	/** Without note path hints nor fingerprints: the metadata cache finds notes cheaply, and local storage is small. */
	async save(state: SyncState): Promise<void> {
		// Sorted in slices: the ids of 30,000 books are no single long task on the main thread.
		this.app.saveLocalStorage(this.key, await storedState({ ...state, notePaths: undefined, fingerprints: undefined }, breather()));
	}
}
