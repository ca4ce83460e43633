import { requestUrl, type RequestUrlResponse } from 'obsidian';
import { SyncError } from '../core/errors';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/ports';
import { describeServer, lowerCaseHeaders, requestWithTimeout, type RequestUrlFunction } from './request-url-race';

export type { RequestUrlFunction } from './request-url-race';

/**
 * HttpTransport over Obsidian's `requestUrl` (no CORS limits, works on
 * mobile). `requestUrl` has no timeout and no abort: the request races a
 * timer, and an answer arriving after the timeout is ignored. Statuses are
 * never thrown (`throw: false`). Header names come back lower-case on every
 * platform (iOS keeps the server's casing).
 *
 * Known limit: `requestUrl` follows redirects itself, with the same headers;
 * it cannot be told not to carry the token to another origin.
 */
export class RequestUrlTransport implements HttpTransport {
	constructor(private readonly send: RequestUrlFunction = requestUrl) {}

	async get(request: HttpRequest): Promise<HttpResponse> {
		const timeout = (): SyncError => new SyncError('timeout', `No answer from ${describeServer(request.url)} within ${formatSeconds(request.timeoutMs)}.`);
		let response: RequestUrlResponse;
		try {
			response = await requestWithTimeout(this.send, request, timeout);
		} catch (error) {
			throw error instanceof SyncError ? error : networkError(request, error);
		}
		return { status: response.status, headers: lowerCaseHeaders(response.headers), body: readBody(response) };
	}
}

function readBody(response: RequestUrlResponse): string {
	try {
		return response.text;
	} catch {
		// Some platforms decode lazily and may throw on bytes that are not text.
		try {
			return new TextDecoder().decode(response.arrayBuffer);
		} catch {
			return '';
		}
	}
}

function formatSeconds(ms: number): string {
	const seconds = Math.round(ms / 100) / 10;
	return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** Error codes worth showing ("net::ERR_CONNECTION_REFUSED", "ECONNREFUSED"); nothing else of the message. */
const ERROR_CODE = /\b(net::ERR_[A-Z_]+|E[A-Z]{3,})\b/;

function networkError(request: HttpRequest, error: unknown): SyncError {
	const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
	const code = ERROR_CODE.exec(message)?.[1];
	// The code is a fixed pattern, but a header value (the token) must never get through.
	const safe = code !== undefined && !Object.values(request.headers).some((value) => value.includes(code));
	return new SyncError('network', `Could not reach ${describeServer(request.url)}${safe ? ` (${code})` : ''}.`);
}
