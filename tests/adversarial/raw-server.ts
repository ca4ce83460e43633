/**
 * A tiny HTTP server on 127.0.0.1 whose every answer a test writes by hand:
 * for what the reference server will not do on purpose (ignore the page
 * parameter, send ids twice, drop serverTime, serve raw JSON with
 * `__proto__` keys, play "another origin" for redirects). It records every
 * request with its headers.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

export interface RawRequest {
	page: number;
	limit: number;
	since: string | null;
	url: string;
	headers: IncomingHttpHeaders;
}

export interface RawReply {
	status?: number;
	headers?: Record<string, string>;
	/** A string or a Buffer is sent as is; anything else as JSON. */
	body: unknown;
	/** Instead of the body, chunks of spaces for ever (until the client goes away). */
	endless?: boolean;
}

export type RawHandler = (request: RawRequest, index: number) => RawReply | Promise<RawReply>;

export interface RawServer {
	url: string;
	port: number;
	requests: RawRequest[];
	handler: RawHandler;
	stop(): Promise<void>;
}

export async function startRawServer(handler: RawHandler): Promise<RawServer> {
	const sockets = new Set<Socket>();
	const requests: RawRequest[] = [];
	const state: { handler: RawHandler } = { handler };
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const request: RawRequest = {
			page: Number(url.searchParams.get('page') ?? '1'),
			limit: Number(url.searchParams.get('limit') ?? '20'),
			since: url.searchParams.get('since'),
			url: req.url ?? '',
			headers: { ...req.headers },
		};
		requests.push(request);
		Promise.resolve(state.handler(request, requests.length - 1)).then(
			(reply) => {
				const body = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
				res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
				if (!reply.endless) {
					res.end(body);
					return;
				}
				const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 0x20)), 5);
				res.on('close', () => clearInterval(timer));
			},
			(error: unknown) => {
				res.writeHead(500, { 'content-type': 'text/plain' });
				res.end(String(error));
			},
		);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no TCP address');
	return {
		url: `http://127.0.0.1:${address.port}`,
		port: address.port,
		requests,
		get handler() {
			return state.handler;
		},
		set handler(next: RawHandler) {
			state.handler = next;
		},
		stop() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			server.closeAllConnections();
			return closed;
		},
	};
}

/** A well-formed page envelope around raw records; a `serverTime` of null leaves the field out. */
export function envelope(
	data: unknown[],
	pagination: { page: number; limit: number; total: number; totalPages?: number },
	serverTime: unknown = '2025-06-01T12:00:00.000Z',
): Record<string, unknown> {
	const totalPages = pagination.totalPages ?? Math.ceil(pagination.total / pagination.limit);
	const body: Record<string, unknown> = { data, pagination: { ...pagination, totalPages } };
	if (serverTime !== null) body.serverTime = serverTime;
	return body;
}

/** Serves `books` honestly, paged by the request's page and limit. */
export function honestPages(books: unknown[], serverTime = '2025-06-01T12:00:00.000Z'): RawHandler {
	return ({ page, limit }) => {
		const start = (page - 1) * limit;
		return { body: envelope(books.slice(start, start + limit), { page, limit, total: books.length }, serverTime) };
	};
}
