/**
 * Validation of the sync endpoint's query parameters (`page`, `limit`,
 * `since`), strictly by the contract: anything out of range, not an integer,
 * repeated, or not an ISO 8601 instant is a 400.
 */

/** A validated sync query. */
export interface SyncQuery {
	page: number;
	limit: number;
	/** Epoch milliseconds, or undefined when `since` was not sent. */
	since?: number;
}

/** The outcome of parsing: the query, or the reason for a 400. */
export type SyncQueryResult = { ok: true; query: SyncQuery } | { ok: false; error: string };

/** Defaults and bounds from the contract. */
export const DEFAULT_PAGE = 1;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const INTEGER = /^[0-9]+$/;
// Date, optional time with optional seconds and fraction, and a zone (Z or ±hh:mm) whenever a time is given.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

/** Parses and validates the query string of a sync request. */
export function parseSyncQuery(params: URLSearchParams): SyncQueryResult {
	const page = integerParam(params, 'page', DEFAULT_PAGE, 1, Number.MAX_SAFE_INTEGER);
	if (typeof page === 'string') return { ok: false, error: page };
	const limit = integerParam(params, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
	if (typeof limit === 'string') return { ok: false, error: limit };
	const sinceValues = params.getAll('since');
	if (sinceValues.length > 1) return { ok: false, error: '`since` must be given at most once' };
	const sinceText = sinceValues[0];
	if (sinceText === undefined) return { ok: true, query: { page, limit } };
	const since = parseIsoInstant(sinceText);
	if (since === undefined) return { ok: false, error: `\`since\` must be an ISO 8601 date-time, got ${JSON.stringify(sinceText)}` };
	return { ok: true, query: { page, limit, since } };
}

/** Parses an ISO 8601 date or date-time (a time needs a zone) to epoch milliseconds. */
export function parseIsoInstant(text: string): number | undefined {
	const match = ISO_8601.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second] = match;
	const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
	if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
	if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) return undefined;
	const ms = Date.parse(hour === undefined ? `${year}-${month}-${day}T00:00:00Z` : text);
	return Number.isNaN(ms) ? undefined : ms;
}

function integerParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number | string {
	const values = params.getAll(name);
	if (values.length > 1) return `\`${name}\` must be given at most once`;
	const text = values[0];
	if (text === undefined) return fallback;
	if (!INTEGER.test(text)) return `\`${name}\` must be an integer, got ${JSON.stringify(text)}`;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < min || value > max) return `\`${name}\` must be between ${min} and ${max}, got ${text}`;
	return value;
}
