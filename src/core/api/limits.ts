/**
 * How large an answer may be, for both shells: the one place the byte caps
 * and the sentence for an answer over them are defined. The transports
 * apply them (the CLI while the body streams, the plugin as soon as
 * Obsidian's `requestUrl` hands over the body, before it becomes text);
 * this module only says what the limits are.
 */
import { SyncError } from '../errors';

const MB = 1024 * 1024;

/**
 * The most a feed answer (any status, on any redirect hop) may decode to.
 * A page of 100 books with long descriptions is well under 2 MB; 32 MB
 * does not hurt a phone.
 */
export const MAX_FEED_BYTES = 32 * MB;

/** The most a cover may be: far above any real cover, far below what hurts a phone. */
export const MAX_COVER_BYTES = 10 * MB;

/**
 * The most arrays and objects a feed answer may open inside one another.
 * The feed's envelope and records need four or five; the cap stops a body
 * of nothing but `[[[[...` before it is parsed (src/core/api/json-depth.ts).
 */
export const MAX_FEED_DEPTH = 64;

/** What an over-cap answer was, for its sentence. */
export type AnswerKind = 'feed' | 'cover';

/**
 * True when the headers already say the body is over `maxBytes`: a
 * Content-Length above it on a body that is not compressed. (A compressed
 * body declares its compressed size, which says nothing of what it
 * decodes to; its decoded bytes are counted instead.) Header names in lower
 * case.
 */
export function declaresOverCap(headers: Record<string, string>, maxBytes: number): boolean {
	const encoding = headers['content-encoding']?.trim().toLowerCase();
	if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return false;
	const declared = Number(headers['content-length']);
	return Number.isFinite(declared) && declared > maxBytes;
}

/**
 * The one sentence for an answer over its cap: "The answer from the server
 * at https://host was too large (over 32 MB decoded); refused." or "The
 * cover from the server at https://host was too large (over 10 MB);
 * refused." Names the origin only, never a path, a query or a header.
 */
export function tooLargeError(kind: AnswerKind, url: string, maxBytes: number): SyncError {
	const server = serverOf(url);
	const cap = formatBytes(maxBytes);
	const message = kind === 'feed' ? `The answer from ${server} was too large (over ${cap} decoded); refused.` : `The cover from ${server} was too large (over ${cap}); refused.`;
	return new SyncError('protocol', message);
}

/** "32 MB", "1.5 MB", "98 KB": a cap as a person reads it. */
export function formatBytes(bytes: number): string {
	if (bytes < MB) return `${Math.ceil(bytes / 1024)} KB`;
	const mb = Math.round((bytes / MB) * 10) / 10;
	return `${mb} MB`;
}

function serverOf(url: string): string {
	try {
		return `the server at ${new URL(url).origin}`;
	} catch {
		return 'the server';
	}
}
