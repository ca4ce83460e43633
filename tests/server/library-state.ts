/**
 * The reference server's library: the books, when each one's metadata and
 * progress last changed, the feed's sort order, and the mutations tests use
 * to change the library between (or during) walks.
 */
import { cloneBook, type RawBook, type RawProgress } from './raw-book';
import type { SyncQuery } from './sync-query';

interface Entry {
	book: RawBook;
	/** Epoch ms of the last metadata change. */
	metadataChangedAt: number;
	/** Epoch ms of the last progress change. */
	progressChangedAt: number;
}

/** One page of the feed, before serialisation. */
export interface FeedPage {
	data: RawBook[];
	page: number;
	limit: number;
	total: number;
	totalPages: number;
}

/** Changes to the library; each bumps the matching change time to `now()`. */
export interface LibraryMutations {
	/** Merges `progress` into the book's progress (null clears it); bumps the progress change time. */
	setProgress(id: string, progress: Partial<RawProgress> | null): void;
	/** Changes the title (which moves the book in the sort order); bumps metadata time and `updatedAt`. */
	retitle(id: string, title: string): void;
	/** Merges `patch` into the record (`id` cannot change); bumps metadata time and `updatedAt`, and progress time when `progress` is in the patch. */
	update(id: string, patch: Partial<RawBook>): void;
	/** Adds a book (the id must be new); both change times become now and `updatedAt` is set to now. */
	add(book: RawBook): void;
	/** Removes a book; like real servers, the feed keeps no tombstone. */
	remove(id: string): void;
}

/** The mutable library behind the reference server. */
export class LibraryState implements LibraryMutations {
	private readonly entries = new Map<string, Entry>();
	private sorted: Entry[] | undefined;

	constructor(books: readonly RawBook[], private readonly now: () => number) {
		for (const book of books) {
			if (this.entries.has(book.id)) throw new Error(`Duplicate book id ${book.id}`);
			const copy = cloneBook(book);
			this.entries.set(book.id, { book: copy, metadataChangedAt: initialMetadataTime(copy), progressChangedAt: initialProgressTime(copy) });
		}
	}

	/** Deep copies of every book, in feed order. */
	books(): RawBook[] {
		return this.order().map((entry) => cloneBook(entry.book));
	}

	/** The page a query asks for; `forcedLimit` overrides the client's limit (a server that ignores it). */
	page(query: SyncQuery, forcedLimit?: number): FeedPage {
		const since = query.since;
		const matching = since === undefined
			? this.order()
			: this.order().filter((entry) => Math.max(entry.metadataChangedAt, entry.progressChangedAt) > since);
		const limit = forcedLimit ?? query.limit;
		const start = (query.page - 1) * limit;
		return {
			data: matching.slice(start, start + limit).map((entry) => entry.book),
			page: query.page,
			limit,
			total: matching.length,
			totalPages: Math.ceil(matching.length / limit),
		};
	}

	setProgress(id: string, progress: Partial<RawProgress> | null): void {
		const entry = this.entry(id);
		entry.book.progress = progress === null ? null : { ...(entry.book.progress ?? {}), ...structuredClone(progress) };
		entry.progressChangedAt = this.now();
	}

	retitle(id: string, title: string): void {
		this.update(id, { title });
	}

	update(id: string, patch: Partial<RawBook>): void {
		const entry = this.entry(id);
		const rest: Partial<RawBook> = structuredClone(patch);
		delete rest.id;
		Object.assign(entry.book, rest);
		const now = this.now();
		entry.book.updatedAt = new Date(now).toISOString();
		entry.metadataChangedAt = now;
		if ('progress' in rest) entry.progressChangedAt = now;
		this.sorted = undefined;
	}

	add(book: RawBook): void {
		if (this.entries.has(book.id)) throw new Error(`Book ${book.id} already exists`);
		const now = this.now();
		const copy = cloneBook(book);
		copy.updatedAt = new Date(now).toISOString();
		this.entries.set(copy.id, { book: copy, metadataChangedAt: now, progressChangedAt: now });
		this.sorted = undefined;
	}

	remove(id: string): void {
		this.entry(id);
		this.entries.delete(id);
		this.sorted = undefined;
	}

	private entry(id: string): Entry {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`No book with id ${id}`);
		return entry;
	}

	// Sorting 50,000 titles per request would dominate a benchmark, so the order is cached until a mutation.
	private order(): Entry[] {
		this.sorted ??= [...this.entries.values()].sort(compareEntries);
		return this.sorted;
	}
}

/** Feed order: by title (missing titles first, code-unit order so it never depends on locale), then by id. */
export function compareBooks(a: RawBook, b: RawBook): number {
	const titleA = sortTitle(a.title);
	const titleB = sortTitle(b.title);
	if (titleA !== titleB) return titleA < titleB ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function compareEntries(a: Entry, b: Entry): number {
	return compareBooks(a.book, b.book);
}

function sortTitle(title: unknown): string {
	return typeof title === 'string' ? title : typeof title === 'number' ? String(title) : '';
}

function initialMetadataTime(book: RawBook): number {
	return Math.max(instant(book.updatedAt), instant(book.createdAt), instant(book.approvedAt));
}

function initialProgressTime(book: RawBook): number {
	const progress = book.progress;
	if (!progress) return 0;
	const stamp = Number(progress.lastTimestamp);
	// Epoch seconds stay below 1e11 until the year 5138; larger values are milliseconds.
	const fromStamp = Number.isFinite(stamp) && stamp > 0 ? (stamp < 1e11 ? stamp * 1000 : stamp) : 0;
	return Math.max(fromStamp, instant(progress.startedAt), instant(progress.pausedAt), instant(progress.finishedAt));
}

function instant(value: unknown): number {
	if (typeof value !== 'string') return 0;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? 0 : ms;
}
