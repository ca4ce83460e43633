import { SyncError } from '../core/errors';
import type { BinaryRequest, BinaryResponse, BinaryTransport } from '../core/covers/ports';
import { headersOf, originOf } from './fetch-transport';

/**
 * BinaryTransport over Node's fetch, for covers. Redirects are not followed
 * (`redirect: 'manual'`): a 3xx comes back with its `location` so that the
 * CoverFetcher decides about every hop. The body is streamed and the read
 * stops as soon as it exceeds `maxBytes` (a declared Content-Length above it
 * is refused before reading anything); the body of a non-2xx answer is not
 * read at all. The timeout covers the whole request, body included.
 */
export class FetchBinaryTransport implements BinaryTransport {
	async getBytes(request: BinaryRequest): Promise<BinaryResponse> {
		const signal = AbortSignal.timeout(request.timeoutMs);
		try {
			const response = await fetch(request.url, { headers: request.headers, redirect: 'manual', signal });
			const headers = headersOf(response);
			if (response.status < 200 || response.status > 299) {
				await response.body?.cancel().catch(() => undefined);
				return { status: response.status, headers, bytes: new Uint8Array(0) };
			}
			const declared = Number(headers['content-length']);
			if (Number.isFinite(declared) && declared > request.maxBytes) {
				await response.body?.cancel().catch(() => undefined);
				throw tooLarge(request);
			}
			const bytes = await readCapped(response, request);
			return { status: response.status, headers, bytes };
		} catch (error) {
			if (error instanceof SyncError) throw error;
			if (signal.aborted) {
				throw new SyncError('timeout', `The server at ${originOf(request.url)} did not send the cover within ${Math.round(request.timeoutMs / 1000)} s.`);
			}
			throw new SyncError('network', `Could not reach the server at ${originOf(request.url)} for a cover.`, { cause: error });
		}
	}
}

/** Reads the body chunk by chunk and gives up (cancelling the stream) once it passes the cap. */
async function readCapped(response: Response, request: BinaryRequest): Promise<Uint8Array> {
	if (response.body === null) return new Uint8Array(0);
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > request.maxBytes) {
			await reader.cancel().catch(() => undefined);
			throw tooLarge(request);
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

function tooLarge(request: BinaryRequest): SyncError {
	const mb = Math.round((request.maxBytes / (1024 * 1024)) * 10) / 10;
	return new SyncError('protocol', `The cover at ${originOf(request.url)} is larger than ${mb} MB.`);
}
