/**
 * Node only: the fake `requestUrl`'s transport over node:http(s), which keeps
 * the server's header casing (iOS shows it) and maps socket errors to
 * Chromium's `net::ERR_...` messages. Redirects are followed with the same
 * headers, as Electron's net does. Like the platform's network stack, it
 * asks for a compressed body (unless the caller set Accept-Encoding) and
 * hands back the body decoded, whole, with the headers as the wire gave
 * them (Content-Encoding and the compressed Content-Length included).
 */
import { Buffer } from 'node:buffer';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { refusedTarget, requestLog, type FakeRequestUrlParam, type RawResponse, type RequestTransport } from './request-url';

const NET_ERRORS: Record<string, string> = {
	ECONNREFUSED: 'net::ERR_CONNECTION_REFUSED',
	ECONNRESET: 'net::ERR_CONNECTION_RESET',
	ENOTFOUND: 'net::ERR_NAME_NOT_RESOLVED',
	EAI_AGAIN: 'net::ERR_NAME_NOT_RESOLVED',
	ETIMEDOUT: 'net::ERR_CONNECTION_TIMED_OUT',
	EHOSTUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
};

function netError(error: unknown): Error {
	const code = (error as { code?: string }).code ?? '';
	return new Error(NET_ERRORS[code] ?? 'net::ERR_FAILED');
}

function send(param: FakeRequestUrlParam, url: URL, redirectsLeft: number): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const refused = refusedTarget(url);
		if (refused) {
			reject(refused);
			return;
		}
		const headers: Record<string, string> = { ...(param.headers ?? {}) };
		if (param.contentType) headers['Content-Type'] = param.contentType;
		const method = (param.method ?? 'GET').toUpperCase();
		requestLog.push({ url: url.toString(), method, headers: { ...headers } });
		const wire: Record<string, string> = Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding') ? headers : { 'Accept-Encoding': 'gzip, deflate, br', ...headers };
		const lib = url.protocol === 'https:' ? https : http;
		const req = lib.request(url, { method, headers: wire }, (res) => {
			const chunks: Buffer[] = [];
			const body = decoded(res);
			body.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', (error) => reject(netError(error)));
			if (body !== res) body.on('error', () => reject(new Error('net::ERR_CONTENT_DECODING_FAILED')));
			body.on('end', () => {
				const status = res.statusCode ?? 0;
				const location = res.headers.location;
				if ([301, 302, 303, 307, 308].includes(status) && location && redirectsLeft > 0) {
					const next = new URL(location, url);
					const nextParam = status === 303 ? { ...param, method: 'GET', body: undefined } : param;
					send(nextParam, next, redirectsLeft - 1).then(resolve, reject);
					return;
				}
				resolve({ status, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) });
			});
		});
		req.on('error', (error) => reject(netError(error)));
		if (param.body !== undefined) req.write(typeof param.body === 'string' ? param.body : Buffer.from(param.body));
		req.end();
	});
}

/** The body as the platform hands it over: decoded by its Content-Encoding. */
function decoded(res: http.IncomingMessage): Readable {
	switch (res.headers['content-encoding']?.trim().toLowerCase()) {
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

export const nodeTransport: RequestTransport = (param, url) => send(param, url, 20);
