import type { SyncErrorKind } from '../errors';

export type SyncMode = 'incremental' | 'full';

/** `skipped`: the user deleted the book's note, and deleted notes are not recreated. */
export type BookAction = 'created' | 'updated' | 'renamed' | 'unchanged' | 'skipped';

/** One note the run created, changed or moved. */
export interface BookChange {
	id: string;
	title?: string;
	action: Exclude<BookAction, 'unchanged' | 'skipped'> | 'removed';
	/** Vault-relative path of the note after the run. */
	path: string;
	/** For renames: where the note was before. */
	from?: string;
}

/** A book (or a record) the run could not apply; the rest of the run went on. */
export interface BookFailure {
	id?: string;
	title?: string;
	path?: string;
	reason: string;
}

export interface SyncCounts {
	created: number;
	updated: number;
	renamed: number;
	unchanged: number;
	/** Books whose note the user deleted, not recreated. */
	skipped: number;
	/** Notes marked removed in this run (their books left the server). */
	removed: number;
	failed: number;
}

/** What a clean full walk found about books that left the server. */
export interface RemovalSummary {
	/** Notes whose books the server no longer lists (not yet marked before this run). */
	missing: number;
	/** Notes marked in this run. */
	marked: number;
	/**
	 * Why nothing was marked although books are missing: too many at once
	 * (the user must confirm), or an automatic walk waiting for the next one
	 * to agree.
	 */
	held?: 'too-many' | 'awaiting-second-walk';
	/** Titles or ids of the missing books (at most 50), for the message asking the user. */
	examples: string[];
	/**
	 * Notes of books the server no longer lists whose properties could not be
	 * read (invalid YAML): left unmarked. Their names, at most 50; absent when none.
	 */
	unreadable?: string[];
	/** How many such notes there were in all. */
	unreadableCount?: number;
}

/** What a run did. Only the shells turn it into words. */
export interface SyncReport {
	mode: SyncMode;
	dryRun: boolean;
	/**
	 * True when the walk was clean and every book applied. The cursor then
	 * moved, unless the server sent no usable `serverTime` or a clock far
	 * ahead (a warning says so; `cursor` is then absent).
	 */
	ok: boolean;
	/** The `since` sent to the server (after the overlap), when incremental. */
	since?: string;
	/** The cursor committed by this run, when it moved. */
	cursor?: string;
	startedAt: string;
	durationMs: number;
	/** Distinct books the server listed in this run. */
	books: number;
	counts: SyncCounts;
	changes: BookChange[];
	failures: BookFailure[];
	pages: number;
	requests: number;
	rewalks: number;
	/** Set after a clean full walk. */
	removals?: RemovalSummary;
	/**
	 * A full walk that was clean but left books failed does not look for
	 * books that left the server (a failed book may be one of them): set
	 * then, with the number of failed books, so the shells can say so.
	 */
	removalsSkipped?: { failed: number };
	/** True when this was this device's first successful sync (the shells then offer the library view). */
	firstSync?: boolean;
	/** Problems that did not fail a book (covers that could not be downloaded, a cursor that could not move). */
	warnings?: string[];
	/** How many covers could not be downloaded (failed or refused; the warnings say why), when any. */
	coversNotDownloaded?: number;
	/** Why the run as a whole failed. */
	error?: { kind: SyncErrorKind; message: string; tokenMissing?: true };
}

export function emptyCounts(): SyncCounts {
	return { created: 0, updated: 0, renamed: 0, unchanged: 0, skipped: 0, removed: 0, failed: 0 };
}
