import type { NoteStore } from '../ports';

/**
 * The id -> note index of one run, built from the store at most once and
 * only when a book actually arrives (an incremental run with nothing new
 * never scans the vault). Kept up to date as the run creates and renames.
 */
export class NoteIndex {
	private index: Map<string, string[]> | undefined;
	private building: Promise<Map<string, string[]>> | undefined;

	constructor(
		private readonly store: NoteStore,
		private readonly idProperty: string,
	) {}

	/** Where the book's note is, or undefined. Copies of a note: the first path in sort order. */
	async pathOf(id: string): Promise<string | undefined> {
		const paths = (await this.load()).get(id);
		if (!paths || paths.length === 0) return undefined;
		return [...paths].sort()[0];
	}

	/** Whether the index has been built in this run. */
	get built(): boolean {
		return this.index !== undefined;
	}

	/** Every indexed note, id -> its first path; builds the index when needed. */
	async entries(): Promise<Map<string, string>> {
		const entries = new Map<string, string>();
		for (const [id, paths] of await this.load()) {
			const first = [...paths].sort()[0];
			if (first !== undefined) entries.set(id, first);
		}
		return entries;
	}

	/** The ids of the notes seen in this run, or none when the index was never built. */
	knownIds(): string[] {
		return this.index === undefined ? [] : [...this.index.keys()];
	}

	async set(id: string, path: string): Promise<void> {
		(await this.load()).set(id, [path]);
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
