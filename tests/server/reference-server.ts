/**
 * The reference server: a real HTTP server on 127.0.0.1 that implements the
 * library sync feed (`GET {prefix}/api/library/sync`) exactly as the feed
 * in docs/api.md describes it, plus the levers tests
 * need: a token check, injectable faults, mutations and page hooks.
 */
import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import type { Fault } from './faults';
import { FaultQueue, LOGIN_PAGE_HTML } from './faults';
import { LibraryState, type LibraryMutations } from './library-state';
import type { RawBook } from './raw-book';
import { parseSyncQuery } from './sync-query';
import { createCoverRoute, type CoverRoute } from './covers';

/** The feed's path below the base URL. */
export const SYNC_PATH = '/api/library/sync';

/** How to start a reference server; every field is optional. */
export interface ReferenceServerOptions {
	/** The library (deep-copied). Defaults to an empty library. */
	books?: RawBook[];
	/** When set, every request must carry it (else 401). */
	token?: string;
	/** Header carrying the token; `Authorization` (the default) expects `Bearer <token>`, any other header the bare token. */
	authHeader?: string;
	/** 0 (the default) picks a free port. */
	port?: number;
	/** Path prefix of the base URL, such as `/library`. */
	pathPrefix?: string;
	/** The server clock (epoch ms) for `serverTime` and change times. Defaults to Date.now. */
	now?: () => number;
	/** Serve this many books per page whatever `limit` the client asks for (and report it in `pagination.limit`). */
	ignoreLimit?: number;
	/** Extra routes tried before the feed, such as covers (covers.ts); the feed's faults and token check do not apply to them. */
	routes?: ExtraRoute[];
	/** Serve a small image at `/covers/<id>.jpg` for every book, with the same token check (default true). */
	covers?: boolean;
}

/** An extra route: answers the request itself and returns true, or returns false to leave it to the feed. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** One request the server received, in arrival order. */
export interface RecordedRequest {
	/** Path and query as sent. */
	url: string;
	/** Request headers, names in lower case. */
	headers: Record<string, string | string[] | undefined>;
	/** The status sent (0 while pending or if the connection was dropped before headers). */
	status: number;
	/** The fault applied to this request, if any. */
	fault?: Fault['kind'];
}

/** A running reference server. */
export interface ReferenceServer {
	/** Base URL including the path prefix, without a trailing slash; the client appends `/api/library/sync`. */
	url: string;
	port: number;
	/** Stops promptly: cancels delays and destroys open (keep-alive or pending) connections. */
	stop(): Promise<void>;
	/** Deep copies of the current library, in feed order. */
	books(): RawBook[];
	/** Every request received, in arrival order. */
	requests: RecordedRequest[];
	/** Change the library; each mutation bumps the right change time to `now()`. */
	mutate: LibraryMutations;
	/** Faults applied to the next requests, in order, one per request. */
	faults: { push(...faults: Fault[]): void; clear(): void };
	/** Runs `hook` once, the next time `page` is requested (after validation and the token check, before the page is built). */
	beforePage(page: number, hook: () => void | Promise<void>): void;
	/** The cover route (requests, faults, images), unless started with `covers: false`. */
	covers?: CoverRoute;
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Starts a reference server on 127.0.0.1 and resolves once it listens. */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
	const now = options.now ?? (() => Date.now());
	const prefix = normalisePrefix(options.pathPrefix ?? '');
	const library = new LibraryState(options.books ?? [], now);
	const faults = new FaultQueue();
	const hooks = new Map<number, Array<() => void | Promise<void>>>();
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const sleeps = new Set<() => void>();
	let stopped = false;
	const coverRoute = options.covers === false ? undefined : createCoverRoute({ token: options.token, authHeader: options.authHeader, pathPrefix: options.pathPrefix });
	const routes: ExtraRoute[] = [...(coverRoute ? [coverRoute.route] : []), ...(options.routes ?? [])];

	async function route(req: IncomingMessage): Promise<Reply> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (url.pathname !== prefix + SYNC_PATH) return jsonError(404, 'not_found', `No route for ${url.pathname}`);
		if (req.method !== 'GET') return { ...jsonError(405, 'method_not_allowed', 'Only GET is supported'), headers: { 'content-type': JSON_TYPE, allow: 'GET' } };
		if (options.token !== undefined && !authorised(req, options.token, options.authHeader)) {
			const reply = jsonError(401, 'unauthorized', 'Missing or invalid API token');
			if (isAuthorizationHeader(options.authHeader)) reply.headers['www-authenticate'] = 'Bearer';
			return reply;
		}
		const parsed = parseSyncQuery(url.searchParams);
		if (!parsed.ok) return jsonError(400, 'bad_request', parsed.error);
		const pending = hooks.get(parsed.query.page);
		if (pending) {
			hooks.delete(parsed.query.page);
			for (const hook of pending) await hook();
		}
		// serverTime is read before the page is built, so a change made after it is always newer than the cursor.
		const serverTime = new Date(now()).toISOString();
		const page = library.page(parsed.query, options.ignoreLimit);
		const body = JSON.stringify({
			data: page.data,
			pagination: { page: page.page, limit: page.limit, total: page.total, totalPages: page.totalPages },
			serverTime,
		});
		return { status: 200, headers: { 'content-type': JSON_TYPE }, body };
	}

	async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
		const fault = faults.take();
		if (fault) record.fault = fault.kind;
		switch (fault?.kind) {
			case 'status': {
				const headers: Record<string, string> = { 'content-type': fault.contentType ?? JSON_TYPE };
				if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
				const body = fault.body ?? JSON.stringify({ error: 'injected', message: `Injected status ${fault.status}` });
				return send(res, record, { status: fault.status, headers, body });
			}
			case 'html':
				return send(res, record, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: LOGIN_PAGE_HTML });
			case 'redirect':
				return send(res, record, { status: fault.status ?? 302, headers: { location: fault.location, 'content-type': 'text/plain; charset=utf-8' }, body: `Redirecting to ${fault.location}` });
			case 'delay':
				if (!(await sleep(fault.ms)) || res.destroyed) return;
				return send(res, record, await route(req));
			case 'truncate': {
				const reply = await route(req);
				const bytes = Buffer.from(reply.body, 'utf8');
				return send(res, record, { ...reply, body: bytes.subarray(0, Math.floor(bytes.length / 2)).toString('latin1') }, 'latin1');
			}
			case 'bom': {
				const reply = await route(req);
				return send(res, record, { ...reply, body: '\uFEFF' + reply.body });
			}
			case 'reset': {
				const reply = await route(req);
				const bytes = Buffer.from(reply.body, 'utf8');
				record.status = reply.status;
				res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
				res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
				return;
			}
			case undefined:
				return send(res, record, await route(req));
		}
	}

	async function answerExtra(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<boolean> {
		for (const extra of routes) {
			if (!(await extra(req, res))) continue;
			if (res.headersSent) record.status = res.statusCode;
			else res.once('finish', () => (record.status = res.statusCode));
			return true;
		}
		return false;
	}

	function sleep(ms: number): Promise<boolean> {
		return new Promise((resolve) => {
			const cancel = (): void => {
				clearTimeout(timer);
				sleeps.delete(cancel);
				resolve(false);
			};
			const timer = setTimeout(() => {
				sleeps.delete(cancel);
				resolve(!stopped);
			}, ms);
			sleeps.add(cancel);
		});
	}

	const server = createServer((req, res) => {
		const record: RecordedRequest = { url: req.url ?? '', headers: { ...req.headers }, status: 0 };
		requests.push(record);
		// Without extra routes the feed is answered synchronously, as it always was.
		const answering = routes.length
			? answerExtra(req, res, record).then((answered) => (answered ? undefined : handle(req, res, record)))
			: handle(req, res, record);
		answering.catch((error: unknown) => {
			if (res.headersSent || res.destroyed) return;
			const message = error instanceof Error ? error.message : String(error);
			send(res, record, jsonError(500, 'internal', message));
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('The reference server has no TCP address');

	return {
		url: `http://127.0.0.1:${address.port}${prefix}`,
		port: address.port,
		requests,
		covers: coverRoute,
		mutate: {
			setProgress: (id, progress) => library.setProgress(id, progress),
			retitle: (id, title) => library.retitle(id, title),
			update: (id, patch) => library.update(id, patch),
			add: (book) => library.add(book),
			remove: (id) => library.remove(id),
		},
		faults: { push: (...queued) => faults.push(...queued), clear: () => faults.clear() },
		books: () => library.books(),
		beforePage(page, hook) {
			const list = hooks.get(page) ?? [];
			list.push(hook);
			hooks.set(page, list);
		},
		stop() {
			if (stopped) return Promise.resolve();
			stopped = true;
			for (const cancel of [...sleeps]) cancel();
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			server.closeAllConnections();
			return closed;
		},
	};
}

function send(res: ServerResponse, record: RecordedRequest, reply: Reply, encoding: 'utf8' | 'latin1' = 'utf8'): void {
	if (res.destroyed) return;
	const bytes = Buffer.from(reply.body, encoding);
	record.status = reply.status;
	res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
	res.end(bytes);
}

function jsonError(status: number, error: string, message: string): Reply {
	return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify({ error, message }) };
}

function isAuthorizationHeader(name: string | undefined): boolean {
	return name === undefined || name.toLowerCase() === 'authorization';
}

function authorised(req: IncomingMessage, token: string, headerName: string | undefined): boolean {
	const value = req.headers[(headerName ?? 'authorization').toLowerCase()];
	if (typeof value !== 'string') return false;
	if (!isAuthorizationHeader(headerName)) return value === token;
	const match = /^Bearer +(.+)$/i.exec(value);
	return match?.[1] === token;
}

function normalisePrefix(prefix: string): string {
	const trimmed = prefix.trim().replace(/\/+$/, '');
	if (trimmed === '') return '';
	return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
