/**
 * `requestUrl`: real HTTP (loopback only, so tests never leave the machine).
 * Like Obsidian's:
 * - rejects on status >= 400 unless `throw: false` (the error carries `status`);
 * - has no timeout and no abort;
 * - network failures reject with Chromium-style messages (`net::ERR_...`);
 * - response header names are lower-case on desktop, but keep the server's
 *   casing on iOS (`Platform.isIosApp`);
 * - `json` is a getter that throws on a non-JSON body;
 * - redirects are followed with the same headers (what Electron's net does).
 */
import { Buffer } from 'node:buffer';
import * as http from 'node:http';
import * as https from 'node:https';
import { Platform } from './platform';

export interface FakeRequestUrlParam {
	url: string;
	method?: string;
	contentType?: string;
	body?: string | ArrayBuffer;
	headers?: Record<string, string>;
	throw?: boolean;
}

export interface FakeRequestUrlResponse {
	status: number;
	headers: Record<string, string>;
	arrayBuffer: ArrayBuffer;
	json: unknown;
	text: string;
}

export interface FakeRequestUrlResponsePromise extends Promise<FakeRequestUrlResponse> {
	arrayBuffer: Promise<ArrayBuffer>;
	json: Promise<unknown>;
	text: Promise<string>;
}

export interface RequestLogEntry {
	url: string;
	method: string;
	headers: Record<string, string>;
}

/** Test helper: every request the fake performed, in order. */
export const requestLog: RequestLogEntry[] = [];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
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

interface RawResponse {
	status: number;
	rawHeaders: string[];
	body: Buffer;
}

function send(param: FakeRequestUrlParam, url: URL, redirectsLeft: number): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			reject(new Error('net::ERR_UNKNOWN_URL_SCHEME'));
			return;
		}
		if (!LOOPBACK.has(url.hostname)) {
			reject(new Error(`fake requestUrl: tests may only reach loopback, not ${url.hostname}`));
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

function toResponse(raw: RawResponse): FakeRequestUrlResponse {
	const headers: Record<string, string> = {};
	const keepCase = Platform.isIosApp;
	for (let i = 0; i + 1 < raw.rawHeaders.length; i += 2) {
		const name = keepCase ? (raw.rawHeaders[i] ?? '') : (raw.rawHeaders[i] ?? '').toLowerCase();
		const value = raw.rawHeaders[i + 1] ?? '';
		headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
	}
	const arrayBuffer = raw.body.buffer.slice(raw.body.byteOffset, raw.body.byteOffset + raw.body.byteLength) as ArrayBuffer;
	const text = new TextDecoder().decode(raw.body);
	return {
		status: raw.status,
		headers,
		arrayBuffer,
		text,
		get json(): unknown {
			return JSON.parse(text) as unknown;
		},
	};
}

export function requestUrl(request: FakeRequestUrlParam | string): FakeRequestUrlResponsePromise {
	const param: FakeRequestUrlParam = typeof request === 'string' ? { url: request } : request;
	const promise = (async () => {
		const raw = await send(param, new URL(param.url), 20);
		const response = toResponse(raw);
		if (response.status >= 400 && param.throw !== false) {
			const error = new Error(`Request failed, status ${response.status}`) as Error & { status: number; headers: Record<string, string> };
			error.status = response.status;
			error.headers = response.headers;
			throw error;
		}
		return response;
	})();
	const result = promise as FakeRequestUrlResponsePromise;
	result.arrayBuffer = promise.then((r) => r.arrayBuffer);
	result.text = promise.then((r) => r.text);
	result.json = promise.then((r) => r.json);
	// The derived promises must not turn a handled rejection into an unhandled one.
	result.arrayBuffer.catch(() => undefined);
	result.text.catch(() => undefined);
	result.json.catch(() => undefined);
	return result;
}

export async function request(param: FakeRequestUrlParam | string): Promise<string> {
	return (await requestUrl(param)).text;
}
