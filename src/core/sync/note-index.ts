import type { NoteStat, NoteStore } from '../ports';
import { isNotePathIn } from '../vault-path';
import { readNoteId } from './merge';

/**
 * The id -> note index of one run, built from the store at most once and
 * only when needed:
 * - an incremental run with nothing new never scans the vault;
 * - where the last run left each note (`hints`, from the state) is tried
 *   first, and trusted only when the note there still carries the id, so
 *   an incremental run over changed books reads just those notes;
 * - a book with no (valid) hint, a removal pass or a moved note builds the
 *   whole index, as before; the notes this run has already read or
 *   written are not read again for it.
 * Kept up to date as the run creates and renames.
 */
export class NoteIndex {
	private index: Map<string, string> | undefined;
	private building: Promise<Map<string, string>> | undefined;
	/**
	 * Before the index is built: where this run found each book's note (its
	 * hint checked) or put it (created, renamed). An entry moves here from
	 * `hints`, so the two together hold one entry per book.
	 */
	private readonly found = new Map<string, string>();
	/** Where this run created or moved notes before the index was built (undefined: a create that failed). */
	private readonly moved = new Map<string, string | undefined>();

	constructor(
		private readonly store: NoteStore,
		private readonly idProperty: string,
		/** Where the last run left each note, not yet checked. Taken over, not copied. */
		private readonly hints: Map<string, string> = new Map(),
		/** The run's cancellation: a scan of the vault under way stops (SyncError 'cancelled'). */
		private readonly signal?: AbortSignal,
		/** The run's clock: when a note's size and time were taken. */
		private readonly now: () => number = () => Number.NaN,
	) {}

	/**
	 * The book's note and its text, or undefined when it has none (or its
	 * file vanished). Each call reads the note once: a hint is trusted only
	 * when the note there still carries the id. Copies of a note: the first
	 * path in sort order.
	 */
	async locate(id: string): Promise<LocatedNote | undefined> {
		const hinted = this.index === undefined ? (this.found.get(id) ?? this.hints.get(id)) : undefined;
		if (hinted !== undefined) {
			const note = await this.readWithStat(hinted);
			if (note !== undefined && readNoteId(note.text, this.idProperty) === id) {
				if (this.index === undefined) this.confirm(id, hinted);
				return note;
			}
		}
		const path = (await this.load()).get(id);
		return path === undefined ? undefined : this.readWithStat(path);
	}

	/**
	 * The note's text, and its file's size and time taken just before the
	 * read: an edit saved meanwhile is newer than that time, so the next
	 * walk finds the file changed rather than trust the text read as the
	 * edited one.
	 */
	private async readWithStat(path: string): Promise<LocatedNote | undefined> {
		let stat: CheckedStat | null | undefined;
		if (this.store.stat !== undefined) {
			const checkedAt = this.now();
			const found = await this.store.stat(path);
			stat = found === null ? null : { size: found.size, mtime: found.mtime, checkedAt };
		}
		const text = await this.store.read(path);
		return text === null ? undefined : { path, text, stat };
	}

	/** Where the book's note should be, from the last run's hints or the index, unchecked; reads nothing. */
	expected(id: string): string | undefined {
		return this.index === undefined ? (this.found.get(id) ?? this.hints.get(id)) : this.index.get(id);
	}

	/** The book's note is at `path`, checked by the caller without `locate` (it still has the size and time it had). */
	trust(id: string, path: string): void {
		if (this.index === undefined) this.confirm(id, path);
	}

	/** Where the book's note is, or undefined; reads no note once the index is built. */
	async pathOf(id: string): Promise<string | undefined> {
		if (this.index === undefined && (this.found.has(id) || this.hints.has(id))) return (await this.locate(id))?.path;
		return (await this.load()).get(id);
	}

	/** Every indexed note, id -> its path; builds the index when needed. */
	async entries(): Promise<ReadonlyMap<string, string>> {
		return this.load();
	}

	/**
	 * Where every note is, as far as this run knows, for the next run's
	 * hints: the whole index when it was built, else the old hints with what
	 * this run found, created and renamed (folded into the hints). Not a copy.
	 */
	paths(): Map<string, string> {
		if (this.index !== undefined) return this.index;
		for (const [id, path] of this.found) this.hints.set(id, path);
		this.found.clear();
		return this.hints;
	}

	/** The book's note is now at `path` (created or renamed by this run). */
	set(id: string, path: string): void {
		if (this.index !== undefined) {
			this.index.set(id, path);
			return;
		}
		this.confirm(id, path);
		this.moved.set(id, path);
	}

	/** Forgets the book's note (its creation failed). */
	forget(id: string): void {
		if (this.index !== undefined) {
			this.index.delete(id);
			return;
		}
		this.hints.delete(id);
		this.found.delete(id);
		this.moved.set(id, undefined);
	}

	private confirm(id: string, path: string): void {
		this.hints.delete(id);
		this.found.set(id, path);
	}

	private load(): Promise<Map<string, string>> {
		if (this.index) return Promise.resolve(this.index);
		if (this.building === undefined) {
			const known = new Map<string, string>();
			for (const [id, path] of this.found) known.set(path, id);
			this.building = this.store.buildIdIndex(this.idProperty, known, this.signal).then((index) => {
				// A scan races this run's own writes: what the run did wins.
				for (const [id, path] of this.moved) {
					if (path === undefined) index.delete(id);
					else index.set(id, path);
				}
				this.moved.clear();
				// The index knows better from now on.
				this.hints.clear();
				this.found.clear();
				this.index = index;
				return index;
			});
		}
		return this.building;
	}
}

export interface LocatedNote {
	path: string;
	text: string;
	/** Its file's size and time, taken before the text was read; null: not a plain file; undefined: the store cannot tell. */
	stat?: CheckedStat | null;
}

/** A note's size and time, and when the run took them (its clock). */
export interface CheckedStat extends NoteStat {
	checkedAt: number;
}

/** Adds a note to an id index: of several copies of a note, the first path in sort order stays. */
export function addToIdIndex(index: Map<string, string>, id: string | undefined, path: string): void {
	if (id === undefined) return;
	const current = index.get(id);
	if (current === undefined || path < current) index.set(id, path);
}

/**
 * The state's note path hints worth trying: only note paths inside one of
 * `folders` (the library folder, the archive folder). Anything else (a path
 * out of the vault, into the config folder, a folder, a file that is not a
 * note) is dropped, so its book is found by its id and the next state is
 * healed. Taken over (entries deleted), not copied.
 */
export function usableHints(hints: Map<string, string> | undefined, folders: readonly string[]): Map<string, string> {
	if (hints === undefined) return new Map();
	for (const [id, path] of hints) if (!folders.some((folder) => isNotePathIn(path, folder))) hints.delete(id);
	return hints;
}
