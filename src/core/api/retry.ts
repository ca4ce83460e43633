import { isSyncError } from '../errors';
import type { Random } from '../ports';

/** How often and how patiently a failed request is retried. */
export interface RetryPolicy {
	/** Attempts in total, the first one included (1 means no retry). */
	maxAttempts: number;
	/** Back-off before the second attempt; doubles with each further attempt. */
	baseDelayMs: number;
	/** Upper bound of the exponential back-off. */
	maxDelayMs: number;
	/** Upper bound of a server-requested wait (Retry-After). */
	maxRetryAfterMs: number;
}

/** Five attempts over roughly 4-8 s of back-off; a Retry-After is honoured up to 5 minutes. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 300_000,
});

/**
 * True when trying the same request again may succeed: network errors,
 * timeouts, rate limiting (429), HTTP 408 and 5xx, and a 2xx answer cut off
 * before the end of its JSON ('incomplete'). Never for 400, 401,
 * 403, 404 or other 4xx, protocol, config, io or cancelled errors, nor for
 * anything that is not a SyncError.
 */
export function isRetryable(error: unknown): boolean {
	if (!isSyncError(error)) return false;
	switch (error.kind) {
		case 'network':
		case 'timeout':
		case 'rate-limited':
		case 'incomplete':
			return true;
		case 'http':
			return error.status === 408 || error.status === 429 || (error.status !== undefined && error.status >= 500 && error.status <= 599);
		default:
			return false;
	}
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/;
// RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = /^[a-z]+, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/;
// asctime: Sun Nov  6 08:49:37 1994
const ASCTIME = /^[a-z]{3} ([a-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * The wait a `Retry-After` header asks for, in milliseconds from `nowMs`:
 * delay-seconds (`120`; a decimal is tolerated) or an HTTP date (IMF-fixdate,
 * RFC 850 or asctime, all GMT). A date in the past gives 0. The result is
 * capped at `capMs`. Missing or unparsable values give undefined.
 */
export function parseRetryAfter(
	headerValue: string | undefined,
	nowMs: number,
	capMs: number = DEFAULT_RETRY_POLICY.maxRetryAfterMs,
): number | undefined {
	if (headerValue === undefined) return undefined;
	const text = headerValue.trim();
	if (text === '') return undefined;
	let ms: number | undefined;
	if (/^\d+(?:\.\d+)?$/.test(text)) {
		ms = Math.round(Number(text) * 1000);
	} else {
		const at = parseHttpDate(text.toLowerCase().replace(/\s+/g, ' '));
		if (at !== undefined) ms = Math.max(0, at - nowMs);
	}
	if (ms === undefined || !Number.isFinite(ms)) return undefined;
	return Math.min(ms, Math.max(0, capMs));
}

function parseHttpDate(text: string): number | undefined {
	let parts: { day: string; month: string; year: number; hh: string; mm: string; ss: string } | undefined;
	let match = IMF_FIXDATE.exec(text);
	if (match) {
		parts = { day: match[1] ?? '', month: match[2] ?? '', year: Number(match[3]), hh: match[4] ?? '', mm: match[5] ?? '', ss: match[6] ?? '' };
	} else if ((match = RFC_850.exec(text))) {
		// Two-digit years: 00-69 are read as 20xx, 70-99 as 19xx.
		const yy = Number(match[3]);
		parts = { day: match[1] ?? '', month: match[2] ?? '', year: yy < 70 ? 2000 + yy : 1900 + yy, hh: match[4] ?? '', mm: match[5] ?? '', ss: match[6] ?? '' };
	} else if ((match = ASCTIME.exec(text))) {
		parts = { day: match[2] ?? '', month: match[1] ?? '', year: Number(match[6]), hh: match[3] ?? '', mm: match[4] ?? '', ss: match[5] ?? '' };
	}
	if (parts === undefined) return undefined;
	const month = MONTHS.indexOf(parts.month);
	const day = Number(parts.day);
	const hh = Number(parts.hh);
	const mm = Number(parts.mm);
	const ss = Number(parts.ss);
	if (month < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
	const time = Date.UTC(parts.year, month, day, hh, mm, Math.min(ss, 59));
	// Reject dates that rolled over (31 Feb).
	return new Date(time).getUTCDate() === day ? time : undefined;
}

/**
 * The wait before the next attempt, after attempt number `attempt` (1-based)
 * failed: exponential back-off (`baseDelayMs * 2^(attempt-1)`, capped at
 * `maxDelayMs`) with equal jitter (half fixed, half random, so waits never
 * collapse to zero), never less than the server's `retryAfterMs` (itself
 * capped at `maxRetryAfterMs`). Whole milliseconds.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: Random, retryAfterMs?: number): number {
	const exponent = Math.max(0, Math.floor(attempt) - 1);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 52));
	const jitter = Math.min(Math.max(random(), 0), 1);
	let delay = ceiling / 2 + (ceiling / 2) * jitter;
	if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) {
		delay = Math.max(delay, Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs));
	}
	return Math.max(0, Math.round(delay));
}
