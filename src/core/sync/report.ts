import type { SyncErrorKind } from '../errors';

export type SyncMode = 'incremental' | 'full';

export type BookAction = 'created' | 'updated' | 'renamed' | 'unchanged';

/** One note the run created, changed or moved. */
export interface BookChange {
	id: string;
	title?: string;
	action: Exclude<BookAction, 'unchanged'>;
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
	failed: number;
}

/** What a run did. Only the shells turn it into words. */
export interface SyncReport {
	mode: SyncMode;
	dryRun: boolean;
	/** True when the walk was clean and every book applied: the cursor moved. */
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
	/** Why the run as a whole failed. */
	error?: { kind: SyncErrorKind; message: string };
}

export function emptyCounts(): SyncCounts {
	return { created: 0, updated: 0, renamed: 0, unchanged: 0, failed: 0 };
}
