/**
 * The one error type of Library Sync. Callers branch on `kind` (and `status`),
 * never on the message text. Messages are one sentence a user can act on and
 * never contain the token.
 */
export type SyncErrorKind =
	| 'network'
	| 'timeout'
	| 'http'
	| 'auth'
	| 'rate-limited'
	| 'protocol'
	/** A 2xx answer whose JSON stopped before its end (a cut stream): retried like a 5xx. */
	| 'incomplete'
	| 'config'
	| 'io'
	| 'cancelled';

export class SyncError extends Error {
	readonly kind: SyncErrorKind;
	/** HTTP status, when the error came from a response. */
	readonly status: number | undefined;
	/** Milliseconds the server asked us to wait (Retry-After), when it said so. */
	readonly retryAfterMs: number | undefined;
	/** For 'auth': no token was sent at all (rather than one the server rejected). */
	readonly tokenMissing: boolean;

	constructor(
		kind: SyncErrorKind,
		message: string,
		extra: { status?: number; retryAfterMs?: number; tokenMissing?: boolean; cause?: unknown } = {},
	) {
		super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
		this.name = 'SyncError';
		this.kind = kind;
		this.status = extra.status;
		this.retryAfterMs = extra.retryAfterMs;
		this.tokenMissing = extra.tokenMissing ?? false;
	}
}

export function isSyncError(value: unknown): value is SyncError {
	return value instanceof SyncError;
}

/** Wraps anything thrown into a SyncError of the given kind, keeping SyncErrors as they are. */
export function toSyncError(value: unknown, fallbackKind: SyncErrorKind, context: string): SyncError {
	if (value instanceof SyncError) return value;
	const detail = value instanceof Error ? value.message : String(value);
	return new SyncError(fallbackKind, `${context}: ${detail}`, { cause: value });
}

/** A folder a run writes in (the library folder, the archive folder) that is a link out of the vault, in one sentence, the same in both shells. */
export function folderLinkedOut(kind: 'library' | 'archive', folder: string): SyncError {
	return new SyncError(
		'config',
		`The ${kind} folder "${folder}" leads outside the vault through a link; sync writes only inside the vault, so move that folder into the vault or choose another ${kind} folder.`,
	);
}
