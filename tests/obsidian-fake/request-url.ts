/**
 * `requestUrl`: real HTTP (loopback only, so tests never leave the machine).
 * Like Obsidian's:
 * - rejects on status >= 400 unless `throw: false` (the error carries `status`);
 * - has no timeout and no abort;
 * - network failures reject with Chromium-style messages (`net::ERR_...`);
 * - response header names are lower-case on desktop, but keep the server's
 *   casing on iOS (`Platform.isIosApp`);
 * - `text` and `json` are getters, decoded from `arrayBuffer` on first use;
 *   `json` throws on a non-JSON body;
 * - the body comes whole and decoded (gzip, deflate, Brotli), as the
 *   platform's network stack hands it over: there is no way to stop a large
 *   body before it has all arrived;
 * - redirects are followed with the same headers (what Electron's net does).
 * The request itself goes through a transport: node:http in Node tests
 * (request-node.ts, set by index.ts), `fetch` in the browser test's page.
 */
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

/** A response as the wire gave it: header names in the server's casing, in order. */
export interface RawResponse {
	status: number;
	rawHeaders: string[];
	body: Uint8Array;
}

/** Sends one request to `url` (loopback, http or https, checked), following redirects. */
export type RequestTransport = (param: FakeRequestUrlParam, url: URL) => Promise<RawResponse>;

/** Fetch follows redirects itself (the page is same-origin with the loopback server); its header names come lower-case, so iOS casing is not modelled here. */
export const fetchTransport: RequestTransport = async (param, url) => {
	const headers: Record<string, string> = { ...(param.headers ?? {}) };
	if (param.contentType) headers['Content-Type'] = param.contentType;
	const method = (param.method ?? 'GET').toUpperCase();
	requestLog.push({ url: url.toString(), method, headers: { ...headers } });
	let response: Response;
	try {
		response = await fetch(url, { method, headers, body: param.body, redirect: 'follow' });
	} catch {
		throw new Error('net::ERR_FAILED');
	}
	const rawHeaders: string[] = [];
	response.headers.forEach((value, name) => rawHeaders.push(name, value));
	return { status: response.status, rawHeaders, body: new Uint8Array(await response.arrayBuffer()) };
};

let transport: RequestTransport = fetchTransport;

export function setRequestTransport(next: RequestTransport): void {
	transport = next;
}

/** Why the fake will not send to `url` (every redirect is checked too), or undefined. */
export function refusedTarget(url: URL): Error | undefined {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return new Error('net::ERR_UNKNOWN_URL_SCHEME');
	if (!LOOPBACK.has(url.hostname)) return new Error(`fake requestUrl: tests may only reach loopback, not ${url.hostname}`);
	return undefined;
}

function send(param: FakeRequestUrlParam, url: URL): Promise<RawResponse> {
	const refused = refusedTarget(url);
	return refused ? Promise.reject(refused) : transport(param, url);
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
	// Decoded on first use, as Obsidian does: reading `arrayBuffer` alone costs no text.
	let text: string | undefined;
	const textOf = (): string => (text ??= new TextDecoder().decode(arrayBuffer));
	return {
		status: raw.status,
		headers,
		arrayBuffer,
		get text(): string {
			return textOf();
		},
		get json(): unknown {
			return JSON.parse(textOf()) as unknown;
		},
	};
}

export function requestUrl(request: FakeRequestUrlParam | string): FakeRequestUrlResponsePromise {
	const param: FakeRequestUrlParam = typeof request === 'string' ? { url: request } : request;
	const promise = (async () => {
		const raw = await send(param, new URL(param.url));
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
