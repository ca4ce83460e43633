/**
 * The ports of the core: everything the pure core needs from the outside
 * world. Shells (the Obsidian plugin, the CLI, the tests) implement them.
 */

import type { FingerprintTable } from './sync/fingerprint-table';

export interface HttpRequest {
	url: string;
	/** Header names as they should be sent. */
	headers: Record<string, string>;
	/** The transport must give up after this many milliseconds (SyncError kind 'timeout'). */
	timeoutMs: number;
	/**
	 * The run's cancellation. The core stops waiting for the answer as soon
	 * as it fires (core/cancel.ts); a transport that can also abort the
	 * request (free the socket) should.
	 */
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	/** The body decoded as UTF-8 text. */
	body: string;
}

export interface HttpTransport {
	/**
	 * Performs a GET. Resolves with any status (4xx and 5xx included);
	 * rejects only with a SyncError of kind 'network', 'timeout' or
	 * 'protocol' (the decoded body, or its declared uncompressed length, is
	 * over MAX_FEED_BYTES: see src/core/api/limits.ts, whose tooLargeError
	 * gives the sentence). Redirects must not carry credentials to another
	 * origin.
	 */
	get(request: HttpRequest): Promise<HttpResponse>;
}

/** Milliseconds since the epoch. */
export interface Clock {
	now(): number;
}

/**
 * Resolves after `ms` milliseconds (instantly in tests), or as soon as
 * `signal` fires, its timer cleared; the caller then sees the signal.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Lets the host breathe during a long pass: resolves at once while the
 * current slice of work is short, and otherwise once the host has had a
 * turn (the plugin: one turn of Obsidian's event loop, so input and
 * rendering go on; the CLI has nothing to give and resolves at once).
 * `await breathe()` between items keeps every slice of a pass short,
 * however large the library.
 */
export type Breathe = () => Promise<void>;

/** The breather of a host with nothing to give: always at once. */
export const noBreather: Breathe = () => Promise.resolve();

/** A number in [0, 1): jitter for back-off. */
export type Random = () => number;

/** A note found by the id index. */
export interface IndexedNote {
	/** Vault-relative path with '/' separators, including the `.md` extension. */
	path: string;
}

/** What a file system says of a note without reading it. */
export interface NoteStat {
	/** In bytes. */
	size: number;
	/** Milliseconds since 1970, as precise as the file system keeps it. */
	mtime: number;
}

/**
 * Where notes live: the vault in Obsidian, a plain folder in the CLI.
 * Paths are vault-relative, '/'-separated, with the `.md` extension.
 */
export interface NoteStore {
	/**
	 * Every markdown note in the vault whose frontmatter carries `idProperty`,
	 * as id -> path (a user may have copied a note: of the copies, the first
	 * path in sort order; `addToIdIndex` keeps to that). Built once per run.
	 * `known` (path -> id) holds the notes this run has already read or
	 * written: their ids are taken from it, not read again. A scan over the
	 * whole library takes seconds: it gives the event loop a turn now and
	 * then, and rejects with SyncError 'cancelled' once `signal` has fired.
	 */
	buildIdIndex(idProperty: string, known?: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<Map<string, string>>;
	/** The note's text, or null when there is no file at that path. */
	read(path: string): Promise<string | null>;
	/**
	 * The size and modification time of the file at `path` itself (a link
	 * is not followed), or null when there is no plain file there. Optional:
	 * a store without it has every note read on every full walk.
	 */
	stat?(path: string): Promise<NoteStat | null>;
	/**
	 * True when a file or folder already occupies `path`, compared the way
	 * the strictest platform does (case-insensitive, Unicode-normalised).
	 */
	isTaken(path: string): Promise<boolean>;
	/** Creates the note (and its parent folders). Rejects if the path is taken. */
	create(path: string, content: string): Promise<void>;
	/**
	 * Atomic read-modify-write: `modify` receives the current text and returns
	 * the new text; returning the same text writes nothing.
	 */
	process(path: string, modify: (current: string) => string): Promise<void>;
	/** Moves a note, updating links where the platform can. Rejects if `to` is taken. */
	rename(from: string, to: string): Promise<void>;
}

/** Per-device sync bookkeeping. */
export interface SyncState {
	/** The `serverTime` of the first page of the last clean, fully applied walk. */
	cursor?: string;
	/** When the last run finished (ISO 8601, from the Clock), successful or not. */
	lastRunAt?: string;
	/** When the last successful run finished. */
	lastSuccessAt?: string;
	/** When the last clean full walk finished. */
	lastFullSyncAt?: string;
	/** One sentence saying why the last run failed, if it did. */
	lastError?: string;
	/**
	 * Ids of every book this device has seen a note for: a book in this set
	 * whose note is gone was deleted by the user and is not recreated. A run
	 * takes the loaded set over and adds to it.
	 */
	knownIds?: Set<string>;
	/** Books an automatic full walk found missing upstream; marked only when the next one agrees. */
	pendingRemovals?: string[];
	/**
	 * Where each book's note was after the last run (id -> path): hints that
	 * spare an incremental run a scan of the vault. Optional: a store may
	 * drop them (the plugin does; its metadata cache makes the scan cheap).
	 * A run takes the loaded map over.
	 */
	notePaths?: Map<string, string>;
	/**
	 * Per book, what decided its note's bytes when this device last wrote or
	 * checked it (sync/fingerprint.ts): an unchanged book is recognised
	 * without rendering. Optional, like the hints; a run takes it over.
	 */
	fingerprints?: FingerprintTable;
}

export interface StateStore {
	load(): Promise<SyncState>;
	save(state: SyncState): Promise<void>;
}
