import type { NoteStore } from '../ports';
import { readNoteId } from './merge';

/**
 * The id -> note index of one run, built from the store at most once and
 * only when needed:
 * - an incremental run with nothing new never scans the vault;
 * - where the last run left each note (`hints`, from the state) is tried
 *   first, and trusted only when the note there still carries the id, so
 *   an incremental run over changed books reads just those notes;
 * - a book with no (valid) hint, a removal pass or a moved note builds the
 *   whole index, as before.
 * Kept up to date as the run creates and renames.
 */
export class NoteIndex {
	private index: Map<string, string[]> | undefined;
	private building: Promise<Map<string, string[]>> | undefined;
	private readonly hints: Map<string, string>;

	constructor(
		private readonly store: NoteStore,
		private readonly idProperty: string,
		hints: ReadonlyMap<string, string> = new Map(),
	) {
		this.hints = new Map(hints);
	}

	/** Where the book's note is, or undefined. Copies of a note: the first path in sort order. */
	async pathOf(id: string): Promise<string | undefined> {
		const hinted = this.index === undefined ? this.hints.get(id) : undefined;
		if (hinted !== undefined) {
			const text = await this.store.read(hinted);
			if (text !== null && readNoteId(text, this.idProperty) === id) return hinted;
		}
		const paths = (await this.load()).get(id);
		if (!paths || paths.length === 0) return undefined;
		return [...paths].sort()[0];
	}

	/** Every indexed note, id -> its first path; builds the index when needed. */
	async entries(): Promise<Map<string, string>> {
		return firstPaths(await this.load());
	}

	/** The ids of the notes seen in this run, or none when the index was never built. */
	knownIds(): string[] {
		return this.index === undefined ? [] : [...this.index.keys()];
	}

	/**
	 * Where every note is, as far as this run knows, for the next run's
	 * hints: the whole index when it was built, else the old hints with this
	 * run's creates and renames.
	 */
	paths(): Map<string, string> {
		return this.index === undefined ? new Map(this.hints) : firstPaths(this.index);
	}

	async set(id: string, path: string): Promise<void> {
		this.hints.set(id, path);
		this.index?.set(id, [path]);
	}

	private load(): Promise<Map<string, string[]>> {
		if (this.index) return Promise.resolve(this.index);
		this.building ??= this.store.buildIdIndex(this.idProperty).then((index) => {
			this.index = index;
			return index;
		});
		return this.building;
	}
}

function firstPaths(index: Map<string, string[]>): Map<string, string> {
	const entries = new Map<string, string>();
	for (const [id, paths] of index) {
		const first = [...paths].sort()[0];
		if (first !== undefined) entries.set(id, first);
	}
	return entries;
}
