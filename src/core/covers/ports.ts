/**
 * The ports of cover downloading. Kept apart from src/core/ports.ts: only the
 * CoverFetcher and its adapters use them.
 */
import type { HttpRequest } from '../ports';

/** A GET for bytes, with a cap on how many the transport may read. */
export interface BinaryRequest extends HttpRequest {
	/** The body may not be larger: the transport stops reading (or, when it cannot stream, refuses the bytes) and rejects with tooLargeError('cover', ...) from src/core/api/limits.ts. */
	maxBytes: number;
}

/** The answer to a BinaryRequest. */
export interface BinaryResponse {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	/** The body of a 2xx answer; may be empty for any other status (it is not needed). */
	bytes: Uint8Array;
}

/** GETs bytes (covers) under a size cap; see getBytes for the contract. */
export interface BinaryTransport {
	/**
	 * Performs a GET. Resolves with any status; rejects only with a SyncError
	 * of kind 'network', 'timeout' (the whole request, body included, took
	 * longer than `timeoutMs`) or 'protocol' (the body, or its declared
	 * Content-Length, exceeds `maxBytes`).
	 *
	 * Redirects are NOT followed: a 3xx comes back as it is, with its
	 * `location` header, so that the CoverFetcher can apply its origin and
	 * private-address rules (and the token rule) to every hop. A transport
	 * whose platform follows redirects by itself must say so (see
	 * RequestUrlBinaryTransport).
	 */
	getBytes(request: BinaryRequest): Promise<BinaryResponse>;
}

/**
 * Which cover each book has on disk: book id -> `<ext>:<fingerprint>`, where
 * the fingerprint is the short hash of the resolved URL it was downloaded
 * from (see cover-index.ts). Opaque to the stores: they keep it as it is.
 */
export type CoverIndex = Record<string, string>;

/**
 * Where covers live: the vault in Obsidian, a plain folder in the CLI.
 * Paths are vault-relative and '/'-separated. The CoverFetcher only ever
 * passes paths directly inside the covers folder; stores refuse anything
 * outside the vault all the same.
 */
export interface CoverStore {
	/** True when a file exists at `path`. */
	exists(path: string): Promise<boolean>;
	/**
	 * Creates or replaces the file at `path` (creating its folders), so that a
	 * reader never sees half a file. Writes nothing when the file already
	 * holds exactly these bytes. Rejects with SyncError 'io'.
	 */
	writeBinary(path: string, bytes: Uint8Array): Promise<void>;
	/**
	 * The index kept for `coversFolder`; `{}` when there is none or it cannot
	 * be read (a damaged index only costs downloads, never a failed run).
	 */
	readIndex(coversFolder: string): Promise<CoverIndex>;
	/** Replaces the index kept for `coversFolder`; writes nothing when it is unchanged. Rejects with SyncError 'io'. */
	writeIndex(coversFolder: string, index: CoverIndex): Promise<void>;
}
