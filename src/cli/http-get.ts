import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { clearTimeout, setTimeout } from 'node:timers';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { declaresOverCap } from '../core/api/limits';

/**
 * One GET over Node's own http and https modules, the CLI's only way onto
 * the network. (Node's `fetch` would do, but loading it costs a process
 * about 40 MB.) Redirects are never followed here; the callers decide about
 * every hop. The timeout covers the whole exchange, body included.
 */

export interface GetRequest {
	url: string;
	headers: Record<string, string>;
	timeoutMs: number;
	/** Give up once the (decoded) body passes this many bytes. */
	maxBytes?: number;
	/** Whether to read the body of an answer with this status (else the connection is closed, the body unread). */
	wantBody: (status: number) => boolean;
	/** Ask for a compressed body (gzip, deflate or Brotli) and decode it. */
	compressed?: boolean;
	/** Firing it destroys the request and frees its socket (the run was cancelled). */
	signal?: AbortSignal;
}

export interface GetResponse {
	status: number;
	/** Header names in lower case; repeated headers joined with ", ". */
	headers: Record<string, string>;
	body: Buffer;
}

/** The request took longer than its timeout. */
export class GetTimeout extends Error {}

/** The body was larger than `maxBytes`. */
export class GetTooLarge extends Error {}

/** The request's signal fired. */
class GetCancelled extends Error {}

export function httpGet(request: GetRequest): Promise<GetResponse> {
	return new Promise<GetResponse>((resolve, reject) => {
		let settled = false;
		const onAbort = (): void => fail(new GetCancelled());
		const fail = (error: Error): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			request.signal?.removeEventListener('abort', onAbort);
			req.destroy();
			reject(error);
		};
		const url = new URL(request.url);
		const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
		if (client === undefined) throw new Error(`unsupported protocol ${url.protocol}`);
		const headers = request.compressed ? { 'Accept-Encoding': 'gzip, deflate, br', ...request.headers } : request.headers;
		const req = client.get(url, { headers }, (res) => {
			const status = res.statusCode ?? 0;
			const answer = { status, headers: lowerCaseHeaders(res.headers) };
			if (!request.wantBody(status)) {
				// Not drained: a body that never ends would keep the socket, and the process, alive.
				finish({ ...answer, body: Buffer.alloc(0) });
				req.destroy();
				return;
			}
			if (request.maxBytes !== undefined && declaresOverCap(answer.headers, request.maxBytes)) {
				fail(new GetTooLarge());
				return;
			}
			const encoding = answer.headers['content-encoding']?.trim().toLowerCase();
			const body = request.compressed ? decoded(res, encoding) : res;
			const chunks: Buffer[] = [];
			let total = 0;
			body.on('data', (chunk: Buffer) => {
				total += chunk.length;
				if (request.maxBytes !== undefined && total > request.maxBytes) {
					fail(new GetTooLarge());
					body.destroy();
					return;
				}
				chunks.push(chunk);
			});
			body.on('end', () => finish({ ...answer, body: Buffer.concat(chunks, total) }));
			body.on('error', fail);
			res.on('aborted', () => fail(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })));
		});
		const finish = (response: GetResponse): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			request.signal?.removeEventListener('abort', onAbort);
			resolve(response);
		};
		const timer = setTimeout(() => fail(new GetTimeout()), request.timeoutMs);
		req.on('error', fail);
		if (request.signal?.aborted) onAbort();
		else request.signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** The body, decoded by its Content-Encoding when it is one we asked for. */
function decoded(res: http.IncomingMessage, encoding: string | undefined): Readable {
	switch (encoding) {
		case 'gzip':
		case 'x-gzip':
			return res.pipe(createGunzip());
		case 'deflate':
			return res.pipe(createInflate());
		case 'br':
			return res.pipe(createBrotliDecompress());
		default:
			return res;
	}
}

function lowerCaseHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

/** The origin of a URL for messages: never a path, a query or a header. */
export function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'the configured URL';
	}
}

/** A short cause from Node's network error codes (ECONNREFUSED, ENOTFOUND, ...). */
export function networkReason(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host not found';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'connection reset';
		case 'CERT_HAS_EXPIRED':
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
			return 'TLS certificate not trusted';
		default:
			return typeof code === 'string' ? code : 'network error';
	}
}
