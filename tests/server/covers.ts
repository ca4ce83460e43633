/**
 * Covers for the reference server: `GET {prefix}/covers/<id>.jpg` (a tiny
 * valid JPEG) and `.png` (a tiny valid PNG), both generated in code and
 * different per id, behind the same token check as the feed; plus faults a
 * cover endpoint (or whatever sits at a cover URL) can show: a wrong content
 * type, an SVG with a script, an HTML page, an oversized body, a slow answer,
 * an error status, a redirect.
 *
 * Plug it into a server with `startReferenceServer({ routes: [covers.route] })`.
 */
import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clearTimeout, setTimeout } from 'node:timers';
import { deflateSync } from 'node:zlib';
import type { ExtraRoute } from './reference-server';

/** Serve the real image with this Content-Type instead of the right one. */
export interface ContentTypeCoverFault {
	kind: 'content-type';
	contentType: string;
}

/** An SVG with a script in it, declared `image/svg+xml` unless told otherwise. */
export interface SvgCoverFault {
	kind: 'svg';
	contentType?: string;
}

/** An HTML page (a proxy's login page), declared `text/html` unless told otherwise. */
export interface HtmlCoverFault {
	kind: 'html';
	contentType?: string;
}

/** A JPEG header followed by `bytes` bytes of padding, sent in 64 KiB chunks; with or without Content-Length. */
export interface OversizeCoverFault {
	kind: 'oversize';
	bytes: number;
	declareLength?: boolean;
}

/** Send the headers at once, the body after `ms` (cancelled when the client goes away). */
export interface SlowCoverFault {
	kind: 'slow';
	ms: number;
}

export interface StatusCoverFault {
	kind: 'status';
	status: number;
	retryAfter?: string;
}

export interface RedirectCoverFault {
	kind: 'redirect';
	location: string;
	status?: number;
}

export type CoverFault =
	| ContentTypeCoverFault
	| SvgCoverFault
	| HtmlCoverFault
	| OversizeCoverFault
	| SlowCoverFault
	| StatusCoverFault
	| RedirectCoverFault;

export interface CoverRouteOptions {
	/** When set, every cover request must carry it (else 401), exactly like the feed. */
	token?: string;
	/** As for the feed: `Authorization` (default) expects `Bearer <token>`, any other header the bare token. */
	authHeader?: string;
	/** Mounted below this prefix (`/library/covers/...`), as behind a reverse proxy: nothing outside it answers. */
	pathPrefix?: string;
}

export interface CoverRequest {
	url: string;
	/** Names in lower case. */
	headers: Record<string, string | string[] | undefined>;
	status: number;
	fault?: CoverFault['kind'];
}

export interface CoverRoute {
	/** The hook for `startReferenceServer({ routes })`. */
	route: ExtraRoute;
	/** Cover requests, in arrival order. */
	requests: CoverRequest[];
	/** Faults for the next cover requests, one per request, in order. */
	faults: { push(...faults: CoverFault[]): void; clear(): void };
	/** Serve these bytes and type for a book from now on (a changed cover). */
	setImage(id: string, bytes: Uint8Array, contentType: string): void;
}

const COVER_PATH = /^\/covers\/([A-Za-z0-9_.~-]+)\.(jpg|png)$/;
const CHUNK = 64 * 1024;

export const EVIL_SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(1)</script></svg>\n';
export const LOGIN_HTML = '<!doctype html>\n<html><head><title>Sign in</title></head><body><form><input name="password"></form></body></html>\n';

/** Creates the cover route; see the module comment. */
export function createCoverRoute(options: CoverRouteOptions = {}): CoverRoute {
	const prefix = (options.pathPrefix ?? '').trim().replace(/\/+$/, '');
	const requests: CoverRequest[] = [];
	const queue: CoverFault[] = [];
	const images = new Map<string, { bytes: Uint8Array; contentType: string }>();

	const route: ExtraRoute = (req, res) => {
		const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
		if (prefix !== '' && !pathname.startsWith(`${prefix}/`)) return false;
		const match = COVER_PATH.exec(pathname.slice(prefix.length));
		if (!match) return false;
		const record: CoverRequest = { url: req.url ?? '', headers: { ...req.headers }, status: 0 };
		requests.push(record);
		res.once('finish', () => (record.status = res.statusCode));
		if (req.method !== 'GET') {
			reply(res, 405, { allow: 'GET' }, 'Only GET is supported');
			return true;
		}
		if (options.token !== undefined && !authorised(req, options.token, options.authHeader)) {
			reply(res, 401, { 'content-type': 'application/json; charset=utf-8' }, '{"error":"unauthorized"}');
			return true;
		}
		const id = match[1] ?? '';
		const image = images.get(id) ?? (match[2] === 'png' ? { bytes: tinyPng(id), contentType: 'image/png' } : { bytes: tinyJpeg(id), contentType: 'image/jpeg' });
		const fault = queue.shift();
		if (fault) record.fault = fault.kind;
		serve(res, image, fault);
		return true;
	};

	return {
		route,
		requests,
		faults: { push: (...faults) => void queue.push(...faults), clear: () => void queue.splice(0) },
		setImage: (id, bytes, contentType) => void images.set(id, { bytes, contentType }),
	};
}

function serve(res: ServerResponse, image: { bytes: Uint8Array; contentType: string }, fault: CoverFault | undefined): void {
	switch (fault?.kind) {
		case undefined:
			return reply(res, 200, { 'content-type': image.contentType }, image.bytes);
		case 'content-type':
			return reply(res, 200, { 'content-type': fault.contentType }, image.bytes);
		case 'svg':
			return reply(res, 200, { 'content-type': fault.contentType ?? 'image/svg+xml' }, EVIL_SVG);
		case 'html':
			return reply(res, 200, { 'content-type': fault.contentType ?? 'text/html; charset=utf-8' }, LOGIN_HTML);
		case 'status': {
			const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
			if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
			return reply(res, fault.status, headers, `Injected status ${fault.status}`);
		}
		case 'redirect':
			return reply(res, fault.status ?? 302, { location: fault.location, 'content-type': 'text/plain; charset=utf-8' }, 'Moved');
		case 'slow': {
			res.writeHead(200, { 'content-type': image.contentType, 'content-length': String(image.bytes.length) });
			res.flushHeaders();
			const timer = setTimeout(() => {
				if (!res.destroyed) res.end(Buffer.from(image.bytes));
			}, fault.ms);
			res.once('close', () => clearTimeout(timer));
			return;
		}
		case 'oversize': {
			const headers: Record<string, string> = { 'content-type': 'image/jpeg' };
			if (fault.declareLength !== false) headers['content-length'] = String(fault.bytes);
			res.writeHead(200, headers);
			streamPadding(res, tinyJpeg('oversize'), fault.bytes);
			return;
		}
	}
}

/** Writes `head` then zero padding up to `total` bytes, chunk by chunk, honouring back-pressure and a client that leaves. */
function streamPadding(res: ServerResponse, head: Uint8Array, total: number): void {
	let sent = 0;
	const next = (): void => {
		while (!res.destroyed && sent < total) {
			const size = Math.min(CHUNK, total - sent);
			const chunk = Buffer.alloc(size);
			if (sent === 0) Buffer.from(head.subarray(0, Math.min(head.length, size))).copy(chunk);
			sent += size;
			if (!res.write(chunk)) {
				res.once('drain', next);
				return;
			}
		}
		if (!res.destroyed) res.end();
	};
	next();
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Uint8Array): void {
	if (res.destroyed) return;
	const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
	res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
	res.end(bytes);
}

function authorised(req: IncomingMessage, token: string, headerName: string | undefined): boolean {
	const isAuthorization = headerName === undefined || headerName.toLowerCase() === 'authorization';
	const value = req.headers[(headerName ?? 'authorization').toLowerCase()];
	if (typeof value !== 'string') return false;
	if (!isAuthorization) return value === token;
	return /^Bearer +(.+)$/i.exec(value)?.[1] === token;
}

/**
 * A valid 8x8 grey baseline JPEG: one DC and one AC Huffman table with a
 * single one-bit code each, one block whose DC difference is 0 and whose AC
 * is an immediate end-of-block. The label goes into a comment segment, so
 * every book gets different bytes.
 */
export function tinyJpeg(label: string): Uint8Array {
	const comment = Buffer.from(label, 'utf8').subarray(0, 200);
	const segment = (marker: number, payload: number[] | Buffer): number[] => {
		const length = payload.length + 2;
		return [0xff, marker, length >> 8, length & 0xff, ...payload];
	};
	const singleCodeTable = (tableClass: number): number[] => [tableClass << 4, 1, ...new Array<number>(15).fill(0), 0x00];
	return Uint8Array.from([
		0xff, 0xd8, // SOI
		...segment(0xfe, comment), // COM
		...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT: table 0, all ones
		...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8 bits, 8x8, one component
		...segment(0xc4, singleCodeTable(0)), // DHT: DC table 0, symbol 0 (category 0)
		...segment(0xc4, singleCodeTable(1)), // DHT: AC table 0, symbol 0 (end of block)
		...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
		0x3f, // bits "0" (DC category 0) "0" (EOB), padded with ones
		0xff, 0xd9, // EOI
	]);
}

/** A valid 1x1 RGB PNG whose colour is derived from the label. */
export function tinyPng(label: string): Uint8Array {
	const seed = [...Buffer.from(label, 'utf8')].reduce((sum, byte) => (sum * 31 + byte) >>> 0, 7);
	const pixel = Buffer.from([0, seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff]);
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(1, 0);
	ihdr.writeUInt32BE(1, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	return Uint8Array.from(Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(pixel)),
		chunk('IEND', Buffer.alloc(0)),
	]));
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Buffer): number {
	if (!crcTable) {
		crcTable = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c >>> 0;
		}
	}
	let crc = 0xffffffff;
	for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}
