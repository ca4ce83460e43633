/**
 * Node only: the fake `requestUrl`'s transport over node:http(s), which keeps
 * the server's header casing (iOS shows it) and maps socket errors to
 * Chromium's `net::ERR_...` messages. Redirects are followed with the same
 * headers, as Electron's net does.
 */
import { Buffer } from 'node:buffer';
import * as http from 'node:http';
import * as https from 'node:https';
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
		const lib = url.protocol === 'https:' ? https : http;
		const req = lib.request(url, { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', (error) => reject(netError(error)));
			res.on('end', () => {
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

export const nodeTransport: RequestTransport = (param, url) => send(param, url, 20);
