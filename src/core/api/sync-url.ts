import { SyncError } from '../errors';
import { parseIsoInstant } from './iso-date';

/** The path of the feed, appended to the base URL (which may carry a prefix). */
export const SYNC_ENDPOINT_PATH = '/api/library/sync';

/** Query parameters of one feed request. */
export interface SyncUrlParams {
	/** 1-based page number. */
	page: number;
	/** Items per page (the server may ignore it). */
	limit: number;
	/** Any ISO 8601 instant; sent as UTC (`2024-03-01T10:00:00.000Z`). */
	since?: string;
}

/**
 * Validates a server URL from the settings and returns it in canonical form:
 * `scheme://host[:port][/prefix]` with no trailing slash. A pasted endpoint
 * (`.../api/library/sync`) is reduced to its base. Throws SyncError 'config'
 * (one sentence, never echoing the URL, which might carry credentials) when
 * the URL is empty, not http(s), carries credentials, a query or a fragment.
 */
export function normaliseBaseUrl(url: string): string {
	const text = url.trim();
	if (text === '') throw configError('The server URL is empty; enter the address of your library server.');
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		throw configError('The server URL is not a valid address; enter it like https://books.example.com.');
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw configError('The server URL must start with http:// or https://.');
	}
	if (parsed.username !== '' || parsed.password !== '' || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(text)) {
		throw configError('The server URL must not contain a user name or password; put the token in the token setting instead.');
	}
	// Checked on the raw text too: `https://host/?` and `https://host/#` parse to an empty search and hash.
	if (parsed.search !== '' || text.includes('?')) {
		throw configError('The server URL must not contain a query string (the part after "?").');
	}
	if (parsed.hash !== '' || text.includes('#')) {
		throw configError('The server URL must not contain a fragment (the part after "#").');
	}
	let path = parsed.pathname.replace(/\/+$/, '');
	if (path.toLowerCase().endsWith(SYNC_ENDPOINT_PATH)) path = path.slice(0, -SYNC_ENDPOINT_PATH.length).replace(/\/+$/, '');
	return `${parsed.protocol}//${parsed.host}${path}`;
}

/**
 * The full feed URL for one request: the normalised base, the endpoint path,
 * then `page`, `limit` and, when given, `since` converted to UTC and
 * URL-encoded. Throws SyncError 'config' for an unusable base URL (see
 * normaliseBaseUrl), a page or limit that is not a positive integer, or a
 * `since` that is not an ISO 8601 instant.
 */
export function buildSyncUrl(baseUrl: string, params: SyncUrlParams): string {
	const base = normaliseBaseUrl(baseUrl);
	if (!Number.isSafeInteger(params.page) || params.page < 1) {
		throw configError('The page number must be a positive whole number.');
	}
	if (!Number.isSafeInteger(params.limit) || params.limit < 1) {
		throw configError('The page size must be a positive whole number.');
	}
	const query = new URLSearchParams();
	query.set('page', String(params.page));
	query.set('limit', String(params.limit));
	if (params.since !== undefined) {
		const since = parseIsoInstant(params.since);
		if (since === undefined) throw configError('The sync cursor is not a valid date and time; run a full sync.');
		query.set('since', new Date(since).toISOString());
	}
	return `${base}${SYNC_ENDPOINT_PATH}?${query.toString()}`;
}

/** The host (and port) of a URL, for messages; never its path or query. */
export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the server';
	}
}

function configError(message: string): SyncError {
	return new SyncError('config', message);
}
