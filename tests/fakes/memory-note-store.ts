import { SyncError } from '../../src/core/errors';
import type { NoteStat, NoteStore, StateStore, SyncState } from '../../src/core/ports';
import { readNoteId } from '../../src/core/sync/merge';
import { addToIdIndex } from '../../src/core/sync/note-index';
import { cleanState, stateText } from '../../src/core/sync/state';

/** Case- and normalisation-insensitive key, like the file systems of macOS, Windows and phones. */
function key(path: string): string {
	return path.normalize('NFC').toLowerCase();
}

/**
 * Note texts by path that stamp each file with a modification time when it
 * is set, as a disk does, whoever sets it (the store or a test playing the
 * user): `now` is the disk's clock.
 */
class StampedFiles extends Map<string, string> {
	readonly modified = new Map<string, number>();
	now: () => number = () => Date.now();

	override set(path: string, text: string): this {
		this.modified.set(path, this.now());
		return super.set(path, text);
	}

	override delete(path: string): boolean {
		this.modified.delete(path);
		return super.delete(path);
	}
}

/**
 * A NoteStore in memory that behaves like a case-insensitive disk: create
 * refuses a taken path, rename refuses a taken target, and every write is
 * counted so tests can prove that nothing was written.
 */
export class MemoryNoteStore implements NoteStore {
	readonly files = new StampedFiles();
	writes = 0;
	/** Notes whose size and modification time were asked for. */
	stats = 0;
	/** Notes read, by `read` or by an index build. */
	reads = 0;
	indexBuilds = 0;
	/** Paths whose next write fails, as a full disk would. */
	readonly failWrites = new Set<string>();
	/** A slow disk: each create and update waits for this first (none: at once). */
	latency: ((path: string) => Promise<void>) | undefined;
	/** Creates and updates under way, and the most there ever were at once. */
	inFlight = 0;
	maxInFlight = 0;

	async buildIdIndex(idProperty: string, known: ReadonlyMap<string, string> = new Map()): Promise<Map<string, string>> {
		this.indexBuilds += 1;
		const index = new Map<string, string>();
		for (const [path, text] of this.files) {
			if (!known.has(path)) this.reads += 1;
			addToIdIndex(index, known.has(path) ? known.get(path) : readNoteId(text, idProperty), path);
		}
		return index;
	}

	async read(path: string): Promise<string | null> {
		this.reads += 1;
		return this.files.get(path) ?? null;
	}

	/** The disk's clock, which stamps every file set from now on. */
	set now(clock: () => number) {
		this.files.now = clock;
	}

	async stat(path: string): Promise<NoteStat | null> {
		this.stats += 1;
		const text = this.files.get(path);
		const mtime = this.files.modified.get(path);
		return text === undefined || mtime === undefined ? null : { size: Buffer.byteLength(text), mtime };
	}

	async isTaken(path: string): Promise<boolean> {
		const wanted = key(path);
		for (const existing of this.files.keys()) {
			if (key(existing) === wanted) return true;
			if (key(existing).startsWith(`${wanted}/`)) return true;
		}
		return false;
	}

	async create(path: string, content: string): Promise<void> {
		await this.slowly(path, async () => {
			if (await this.isTaken(path)) throw new SyncError('io', `A file already exists at "${path}".`);
			this.write(path, content);
		});
	}

	async process(path: string, modify: (current: string) => string): Promise<void> {
		await this.slowly(path, async () => {
			const current = this.files.get(path);
			if (current === undefined) throw new SyncError('io', `No note at "${path}".`);
			const next = modify(current);
			if (next !== current) this.write(path, next);
		});
	}

	private async slowly(path: string, write: () => Promise<void>): Promise<void> {
		this.inFlight += 1;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			await this.latency?.(path);
			await write();
		} finally {
			this.inFlight -= 1;
		}
	}

	async rename(from: string, to: string): Promise<void> {
		const text = this.files.get(from);
		if (text === undefined) throw new SyncError('io', `No note at "${from}".`);
		if (key(from) !== key(to) && (await this.isTaken(to))) throw new SyncError('io', `A file already exists at "${to}".`);
		this.files.delete(from);
		this.write(to, text);
	}

	private write(path: string, content: string): void {
		if (this.failWrites.has(path)) throw new SyncError('io', `Could not write "${path}": the disk is full.`);
		this.writes += 1;
		this.files.set(path, content);
	}
}

/** A StateStore that keeps the state as text, as the CLI's file does: what a run saves is never the object the next run loads. */
export class MemoryStateStore implements StateStore {
	text = '{}';
	saves = 0;

	/** The state as the next run will load it. */
	get state(): SyncState {
		return cleanState(JSON.parse(this.text));
	}

	async load(): Promise<SyncState> {
		return this.state;
	}

	async save(state: SyncState): Promise<void> {
		this.saves += 1;
		this.text = [...stateText(state)].join('');
	}
}
