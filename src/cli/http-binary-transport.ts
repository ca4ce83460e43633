import { tooLargeError } from '../core/api/limits';
import { SyncError } from '../core/errors';
import type { BinaryRequest, BinaryResponse, BinaryTransport } from '../core/covers/ports';
import { GetTimeout, GetTooLarge, httpGet, originOf } from './http-get';

/**
 * BinaryTransport for covers, over Node's http and https. No compressed
 * body is asked for, so the bytes counted are the bytes kept. Redirects are not
 * followed: a 3xx comes back with its `location` so that the CoverFetcher
 * decides about every hop. The read stops as soon as the body exceeds
 * `maxBytes` (a declared Content-Length above it is refused before reading
 * anything); the body of a non-2xx answer is not read at all. The timeout
 * covers the whole request, body included.
 */
export class NodeHttpBinaryTransport implements BinaryTransport {
	async getBytes(request: BinaryRequest): Promise<BinaryResponse> {
		try {
			const response = await httpGet({
				url: request.url,
				headers: request.headers,
				timeoutMs: request.timeoutMs,
				maxBytes: request.maxBytes,
				wantBody: (status) => status >= 200 && status <= 299,
				signal: request.signal,
			});
			return { status: response.status, headers: response.headers, bytes: new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength) };
		} catch (error) {
			if (error instanceof GetTooLarge) throw tooLargeError('cover', request.url, request.maxBytes);
			if (error instanceof GetTimeout) {
				throw new SyncError('timeout', `The server at ${originOf(request.url)} did not send the cover within ${Math.round(request.timeoutMs / 1000)} s.`);
			}
			throw new SyncError('network', `Could not reach the server at ${originOf(request.url)} for a cover.`, { cause: error });
		}
	}
}
