import { requestUrl, type RequestUrlResponse } from 'obsidian';
import { MAX_FEED_BYTES, declaresOverCap, tooLargeError } from '../core/api/limits';
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
 * The body is capped at MAX_FEED_BYTES decoded, as in the CLI, but later:
 * `requestUrl` cannot stream and hands over the whole decoded body, so the
 * cap is checked as soon as it arrives, before it becomes text (a declared
 * uncompressed Content-Length over the cap is refused without touching the
 * body at all). What it bounds is the plugin's own copies; Obsidian has
 * received and buffered the body by then.
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
		const headers = lowerCaseHeaders(response.headers);
		return { status: response.status, headers, body: readBody(response, headers, request.url) };
	}
}

/**
 * The body as text, within the cap: the headers first, then the size of the
 * bytes, and only then the text (never `text` or `json` on an over-cap body).
 */
function readBody(response: RequestUrlResponse, headers: Record<string, string>, url: string): string {
	if (declaresOverCap(headers, MAX_FEED_BYTES)) throw tooLargeError('feed', url, MAX_FEED_BYTES);
	let bytes: ArrayBuffer | undefined;
	try {
		bytes = response.arrayBuffer;
	} catch {
		bytes = undefined;
	}
	// Not `instanceof`: the buffer may come from another realm (Electron hands it over).
	if (typeof bytes?.byteLength === 'number') {
		if (bytes.byteLength > MAX_FEED_BYTES) throw tooLargeError('feed', url, MAX_FEED_BYTES);
		return new TextDecoder().decode(bytes);
	}
	// No bytes to measure (not seen on any platform): the text, measured before it is used.
	let text: string;
	try {
		text = response.text;
	} catch {
		return '';
	}
	// Every UTF-16 code unit is at least one UTF-8 byte, so this never refuses a body within the cap.
	if (text.length > MAX_FEED_BYTES) throw tooLargeError('feed', url, MAX_FEED_BYTES);
	return text;
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
