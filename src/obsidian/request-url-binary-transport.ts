import { requestUrl, type RequestUrlResponse } from 'obsidian';
import { declaresOverCap, tooLargeError } from '../core/api/limits';
import { SyncError } from '../core/errors';
import type { BinaryRequest, BinaryResponse, BinaryTransport } from '../core/covers/ports';
import { describeServer, lowerCaseHeaders, requestWithTimeout, type RequestUrlFunction } from './request-url-race';

/**
 * BinaryTransport over Obsidian's `requestUrl`, for covers (no CORS limits,
 * works on mobile). Statuses are never thrown (`throw: false`); the request
 * races a window timer, which is cleared as soon as either side settles, and
 * an answer arriving after the timeout is ignored.
 *
 * Known limits of `requestUrl`, which cannot stream, abort or stop at a
 * redirect:
 * - the size cap (`maxBytes`, MAX_COVER_BYTES from src/core/api/limits.ts
 *   by default) is checked after the download, on the decoded bytes (a
 *   declared uncompressed Content-Length over it is refused without
 *   touching the body, but does not save the transfer either): an oversized
 *   cover is refused, but Obsidian has received its bytes; the timeout
 *   bounds how long that can take;
 * - redirects are followed by the platform with the same headers, so the
 *   CoverFetcher's per-hop checks only see the final answer. The token is
 *   only ever sent to the server's own origin, so only that server could
 *   redirect it elsewhere.
 */
export class RequestUrlBinaryTransport implements BinaryTransport {
	constructor(private readonly send: RequestUrlFunction = requestUrl) {}

	async getBytes(request: BinaryRequest): Promise<BinaryResponse> {
		const timeout = (): SyncError => new SyncError('timeout', `No cover from ${describeServer(request.url)} within ${Math.round(request.timeoutMs / 1000)} s.`);
		let response: RequestUrlResponse;
		try {
			response = await requestWithTimeout(this.send, request, timeout);
		} catch (error) {
			throw error instanceof SyncError ? error : new SyncError('network', `Could not reach ${describeServer(request.url)} for a cover.`);
		}
		try {
			return toBinaryResponse(response.status, lowerCaseHeaders(response.headers), () => response.arrayBuffer, request);
		} catch (error) {
			throw error instanceof SyncError ? error : new SyncError('network', `The cover from ${describeServer(request.url)} could not be read.`);
		}
	}
}

function toBinaryResponse(status: number, headers: Record<string, string>, body: () => ArrayBuffer, request: BinaryRequest): BinaryResponse {
	if (status < 200 || status > 299) return { status, headers, bytes: new Uint8Array(0) };
	if (declaresOverCap(headers, request.maxBytes)) throw tooLargeError('cover', request.url, request.maxBytes);
	const buffer = body();
	if (buffer.byteLength > request.maxBytes) throw tooLargeError('cover', request.url, request.maxBytes);
	return { status, headers, bytes: new Uint8Array(buffer) };
}

