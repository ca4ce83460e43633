/**
 * The raw shape of one BookSyncRecord as the reference server sends it.
 *
 * Deliberately loose: the contract marks every field but `id` as possibly
 * missing or null, and real servers send numbers as strings, odd list items
 * and the like. The types name what a well-behaved server sends and widen
 * where the sample library needs to express a misbehaving one.
 */

/** A file attached to a book. */
export interface RawFile {
	id?: string | null;
	format?: string | null;
	originalName?: string | null;
	/** Byte count as a decimal string (may exceed 2^53); odd records may send a number. */
	fileSize?: string | number | null;
	[extra: string]: unknown;
}

/** Who uploaded the book. */
export interface RawUploader {
	id?: string | null;
	label?: string | null;
	[extra: string]: unknown;
}

/** The per-book reading progress aggregate. */
export interface RawProgress {
	/** 0..100, some servers 0..1; odd records may send a string. */
	percentage?: number | string | null;
	status?: string | null;
	lastDevice?: string | null;
	/** Epoch seconds or milliseconds; odd records may send a string. */
	lastTimestamp?: number | string | null;
	startedAt?: string | null;
	finishedAt?: string | null;
	pausedAt?: string | null;
	manuallySet?: boolean | null;
	externallySet?: boolean | null;
	[extra: string]: unknown;
}

/** One book record exactly as serialised into `data[]` of a sync page. */
export interface RawBook {
	/** The only field the contract requires; the server sorts and mutates by it. */
	id: string;
	status?: string | null;
	title?: string | null;
	author?: string | null;
	isbn10?: string | null;
	isbn13?: string | null;
	publisher?: string | null;
	publishedYear?: number | string | null;
	language?: string | null;
	/** May contain HTML (including hostile HTML in odd records). */
	description?: string | null;
	coverUrl?: string | null;
	coverPath?: string | null;
	pageCount?: number | string | null;
	series?: string | null;
	seriesIndex?: number | string | null;
	genres?: unknown[] | null;
	tags?: unknown[] | null;
	hardcoverBookId?: number | string | null;
	hardcoverEditionId?: number | string | null;
	createdBy?: string | null;
	possibleDuplicateOf?: string | null;
	approvedAt?: string | null;
	createdAt?: string | null;
	updatedAt?: string | null;
	files?: RawFile[] | null;
	uploader?: RawUploader | null;
	progress?: RawProgress | null;
	/** Servers add fields the contract does not list; clients must ignore them. */
	[extra: string]: unknown;
}

/** A deep copy of a record (records are plain JSON data). */
export function cloneBook(book: RawBook): RawBook {
	return structuredClone(book);
}
