import { throwIfCancelled, unlessCancelled } from '../cancel';
import { SyncError, isSyncError } from '../errors';
import type { Clock, HttpResponse, HttpTransport, Random, Sleep } from '../ports';
import { decodePage, type DecodeOptions } from './decode';
import type { SyncPage } from './record';
import { backoffDelay, isRetryable, parseRetryAfter, type RetryPolicy } from './retry';
import { buildSyncUrl, hostOf, type SyncUrlParams } from './sync-url';

/** What a feed request needs to be made and retried. */
export interface FeedClientConfig {
	/** Server URL, possibly with a path prefix. */
	baseUrl: string;
	/** API token; no auth header is sent when it is missing or blank. */
	token?: string;
	/** Header that carries the token; "Authorization" (any case) sends `Bearer <token>`. */
	authHeader: string;
	/** Per-request timeout, enforced by the transport. */
	timeoutMs: number;
	retry: RetryPolicy;
	/** Record decoding options (the progress percentage scale); defaults apply when absent. */
	decode?: DecodeOptions;
}

/** Told before each wait between attempts. */
export interface RetryInfo {
	/** The attempt that failed (1-based). */
	attempt: number;
	delayMs: number;
	error: SyncError;
}

/** The ports a feed request uses. */
export interface FeedClientDeps {
	http: HttpTransport;
	clock: Clock;
	sleep: Sleep;
	random: Random;
	/** The run's cancellation: every attempt and every wait ends with SyncError 'cancelled' the moment it fires. */
	signal?: AbortSignal;
	onRetry?: (info: RetryInfo) => void;
}

// RFC 9110 token characters: what a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII and spaces/tabs: what a header value may contain without being mangled.
const HEADER_VALUE = /^[\x20-\x7e\t]*$/;

/**
 * The request headers for the feed: `Accept: application/json` and, when a
 * token is set, `Authorization: Bearer <token>` (when `authHeader` is
 * "Authorization" in any case or blank; a pasted "Bearer " prefix is not
 * doubled) or the raw token in the named header. Throws SyncError 'config'
 * for a header name that is not a valid HTTP token or a token with characters
 * a header cannot carry; the message never contains the token.
 */
export function buildRequestHeaders(config: Pick<FeedClientConfig, 'token' | 'authHeader'>): Record<string, string> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	const token = config.token?.trim() ?? '';
	if (token === '') return headers;
	if (!HEADER_VALUE.test(token)) {
		throw new SyncError('config', 'The token contains characters that cannot be sent in an HTTP header; paste it again.');
	}
	const name = config.authHeader.trim();
	if (name === '' || name.toLowerCase() === 'authorization') {
		headers['Authorization'] = /^bearer\s+/i.test(token) ? `Bearer ${token.replace(/^bearer\s+/i, '')}` : `Bearer ${token}`;
		return headers;
	}
	if (!HEADER_NAME.test(name)) {
		throw new SyncError('config', 'The auth header name is not a valid HTTP header name; use letters, digits and dashes only.');
	}
	headers[name] = token;
	return headers;
}

/**
 * Fetches and decodes one page of the feed, retrying what may succeed on a
 * second try (see isRetryable) with exponential back-off and jitter through
 * the injected Sleep, honouring Retry-After (up to `retry.maxRetryAfterMs`),
 * for at most `retry.maxAttempts` attempts in total. Cancellation ends any
 * attempt or wait at once (SyncError 'cancelled'). Status mapping:
 * 401/403 'auth', 404 'http' (no endpoint), 429 'rate-limited' (with
 * retryAfterMs), 408 and 5xx 'http' (retried), other statuses 'http' (not
 * retried); a 2xx body cut off before the end of its JSON is 'incomplete'
 * (retried like a 5xx), one that is complete but not the feed's envelope
 * 'protocol' (not retried; decodePage draws the line). Every error
 * message is one sentence that may name the host but never contains the
 * token or the query string.
 */
export async function fetchPage(
	deps: FeedClientDeps,
	config: FeedClientConfig,
	params: SyncUrlParams,
): Promise<SyncPage> {
	const url = buildSyncUrl(config.baseUrl, params);
	const headers = buildRequestHeaders(config);
	const host = hostOf(url);
	const maxAttempts = Math.max(1, Math.floor(config.retry.maxAttempts));
	const secret = (config.token?.trim() ?? '').replace(/^bearer\s+/i, '');

	for (let attempt = 1; ; attempt++) {
		throwIfCancelled(deps.signal);
		let error: SyncError;
		try {
			const response = await unlessCancelled(deps.http.get({ url, headers: { ...headers }, timeoutMs: config.timeoutMs, signal: deps.signal }), deps.signal);
			if (response.status >= 200 && response.status <= 299) {
				return decodePage(response.body, headerOf(response, 'content-type'), config.decode, { host, status: response.status });
			}
			error = statusError(response, host, deps.clock.now(), config.retry.maxRetryAfterMs, secret !== '');
		} catch (caught) {
			error = transportError(caught, host);
		}
		error = redact(error, secret);
		if (!isRetryable(error) || attempt >= maxAttempts) throw error;
		const delayMs = backoffDelay(attempt, config.retry, deps.random, error.retryAfterMs);
		throwIfCancelled(deps.signal);
		deps.onRetry?.({ attempt, delayMs, error });
		await unlessCancelled(deps.sleep(delayMs, deps.signal), deps.signal);
	}
}

function headerOf(response: HttpResponse, name: string): string | undefined {
	const headers = response.headers;
	return Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
}

/** The SyncError for a non-2xx answer; classified by status only, never by body text. */
export function statusError(response: HttpResponse, host: string, nowMs: number, maxRetryAfterMs: number, tokenSent = true): SyncError {
	const status = response.status;
	if (status === 401 || status === 403) {
		// Each shell adds how to give or fix the token (the settings, --token).
		if (!tokenSent) return new SyncError('auth', `The server at ${host} needs a token (HTTP ${status}), and no token is set.`, { status, tokenMissing: true });
		return new SyncError('auth', `The server rejected the token (HTTP ${status}).`, { status });
	}
	if (status === 404) {
		return new SyncError('http', 'No library sync endpoint at this URL (HTTP 404); check the server URL or update the server.', { status });
	}
	if (status === 429) {
		const retryAfterMs = parseRetryAfter(headerOf(response, 'retry-after'), nowMs, maxRetryAfterMs);
		return new SyncError('rate-limited', `The server at ${host} is limiting requests (HTTP 429); try again later.`, { status, retryAfterMs });
	}
	if (status === 408) {
		return new SyncError('http', `The server at ${host} timed out waiting for the request (HTTP 408); try again later.`, { status });
	}
	if (status >= 500 && status <= 599) {
		const retryAfterMs = parseRetryAfter(headerOf(response, 'retry-after'), nowMs, maxRetryAfterMs);
		return new SyncError('http', `The server at ${host} had a problem (HTTP ${status}); try again later.`, { status, retryAfterMs });
	}
	if (status >= 300 && status <= 399) {
		return new SyncError('http', `The server at ${host} redirected the request (HTTP ${status}); use the final address (with https) as the server URL.`, { status });
	}
	if (status === 400) {
		return new SyncError('http', `The server at ${host} did not accept the request (HTTP 400); it may need an update.`, { status });
	}
	return new SyncError('http', `The server at ${host} refused the request (HTTP ${status}).`, { status });
}

function transportError(caught: unknown, host: string): SyncError {
	if (isSyncError(caught)) return caught;
	// The transport broke its contract; its message is not trusted (it may echo the request).
	return new SyncError('network', `Could not reach the server at ${host}; check the server URL and your connection.`, { cause: caught });
}

/** A copy of the error without the token in its message (defence in depth against chatty transports). */
function redact(error: SyncError, secret: string): SyncError {
	if (secret.length < 4 || !error.message.includes(secret)) return error;
	return new SyncError(error.kind, error.message.split(secret).join('[token]'), {
		status: error.status,
		retryAfterMs: error.retryAfterMs,
		tokenMissing: error.tokenMissing,
	});
}
