import { requestUrl, type RequestUrlParam, type RequestUrlResponse } from 'obsidian';
import { SyncError } from '../core/errors';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/ports';

/** What the transport needs from Obsidian; injectable for tests. */
export type RequestUrlFunction = (request: RequestUrlParam) => Promise<RequestUrlResponse>;

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

	get(request: HttpRequest): Promise<HttpResponse> {
		return new Promise<HttpResponse>((resolve, reject) => {
			let settled = false;
			const timer = window.setTimeout(() => {
				if (settled) return;
				settled = true;
				reject(new SyncError('timeout', `No answer from ${describeServer(request.url)} within ${formatSeconds(request.timeoutMs)}.`));
			}, request.timeoutMs);
			const finish = (action: () => void): void => {
				if (settled) return;
				settled = true;
				window.clearTimeout(timer);
				action();
			};
			let pending: Promise<RequestUrlResponse>;
			try {
				pending = this.send({ url: request.url, method: 'GET', headers: request.headers, throw: false });
			} catch (error) {
				pending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
			}
			pending.then(
				(response) => finish(() => resolve(toHttpResponse(response))),
				(error: unknown) => finish(() => reject(networkError(request, error))),
			);
		});
	}
}

function toHttpResponse(response: RequestUrlResponse): HttpResponse {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		const key = name.toLowerCase();
		const text = String(value);
		headers[key] = headers[key] === undefined ? text : `${headers[key]}, ${text}`;
	}
	return { status: response.status, headers, body: readBody(response) };
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

/** "the server at https://host": the origin only, never a path, query or header. */
function describeServer(url: string): string {
	try {
		return `the server at ${new URL(url).origin}`;
	} catch {
		return 'the server';
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
