/**
 * A book as the core sees it after decoding: every field of the server's
 * BookSyncRecord, normalised. Missing, null and unusable values are
 * `undefined`; lists are always arrays; instants are epoch milliseconds.
 */

/** Milliseconds since the epoch (UTC). */
export type Instant = number;

export interface BookFile {
	id?: string;
	format?: string;
	originalName?: string;
	/** Byte count as a decimal string of digits (may exceed 2^53). */
	fileSize?: string;
}

export interface BookUploader {
	id?: string;
	label?: string;
}

export interface BookProgress {
	/** 0..100 (a 0..1 fraction from the server is scaled up). */
	percentage?: number;
	status?: string;
	lastDevice?: string;
	/** Normalised to milliseconds whether the server sent seconds or milliseconds. */
	lastTimestamp?: Instant;
	startedAt?: Instant;
	finishedAt?: Instant;
	pausedAt?: Instant;
	manuallySet?: boolean;
	externallySet?: boolean;
}

export interface BookRecord {
	id: string;
	status?: string;
	title?: string;
	author?: string;
	isbn10?: string;
	isbn13?: string;
	publisher?: string;
	publishedYear?: number;
	language?: string;
	/** As sent: may contain HTML. The renderer converts and neutralises it. */
	description?: string;
	coverUrl?: string;
	coverPath?: string;
	pageCount?: number;
	series?: string;
	seriesIndex?: number;
	genres: string[];
	tags: string[];
	hardcoverBookId?: number;
	hardcoverEditionId?: number;
	createdBy?: string;
	possibleDuplicateOf?: string;
	approvedAt?: Instant;
	createdAt?: Instant;
	updatedAt?: Instant;
	files: BookFile[];
	uploader?: BookUploader;
	progress?: BookProgress;
}

/** One decoded page of the feed. */
export interface SyncPage {
	records: BookRecord[];
	/** Records that could not be used (no id, not an object), with the reason. */
	skipped: { index: number; reason: string }[];
	pagination: { page: number; limit: number; total: number; totalPages: number };
	/** The server's clock, as sent (ISO 8601); undefined when missing or not a date-time (the cursor then stays). */
	serverTime?: string;
}
