import type { RequestUrlParam, RequestUrlResponse } from 'obsidian';
import { cancelledError } from '../core/cancel';
import type { SyncError } from '../core/errors';

/** What the transports need from Obsidian; injectable for tests. */
export type RequestUrlFunction = (request: RequestUrlParam) => Promise<RequestUrlResponse>;

/**
 * A GET through `requestUrl` that gives up after `timeoutMs`: `requestUrl`
 * has no timeout and no abort, so the request races a window timer, which
 * is cleared as soon as either side settles, or when `request.signal` fires
 * (the run was cancelled); a late answer is ignored. Statuses are never
 * thrown (`throw: false`). Rejects with `onTimeout()`, with the cancelled
 * error, or with whatever `requestUrl` rejected with.
 */
export function requestWithTimeout(
	send: RequestUrlFunction,
	request: { url: string; headers: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
	onTimeout: () => SyncError,
): Promise<RequestUrlResponse> {
	return new Promise<RequestUrlResponse>((resolve, reject) => {
		let settled = false;
		const timer = window.setTimeout(() => {
			if (settled) return;
			settled = true;
			reject(onTimeout());
		}, request.timeoutMs);
		const onAbort = (): void => finish(() => reject(cancelledError()));
		const finish = (action: () => void): void => {
			if (settled) return;
			settled = true;
			window.clearTimeout(timer);
			request.signal?.removeEventListener('abort', onAbort);
			action();
		};
		if (request.signal?.aborted) onAbort();
		else request.signal?.addEventListener('abort', onAbort, { once: true });
		let pending: Promise<RequestUrlResponse>;
		try {
			pending = send({ url: request.url, method: 'GET', headers: request.headers, throw: false });
		} catch (error) {
			pending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
		}
		pending.then(
			(response) => finish(() => resolve(response)),
			(error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
		);
	});
}

/** Header names in lower case (iOS keeps the server's casing); repeated headers joined. */
export function lowerCaseHeaders(raw: Record<string, string> | undefined): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw ?? {})) {
		const key = name.toLowerCase();
		const text = String(value);
		headers[key] = headers[key] === undefined ? text : `${headers[key]}, ${text}`;
	}
	return headers;
}

/** "the server at https://host": the origin only, never a path, query or header. */
export function describeServer(url: string): string {
	try {
		return `the server at ${new URL(url).origin}`;
	} catch {
		return 'the server';
	}
}
