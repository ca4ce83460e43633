/**
 * An in-memory library server for the api tests: books sorted by title,
 * `since` filtering, pagination, scriptable faults, and a hook that runs
 * before every page request so a test can change the library mid-walk.
 */
import { SyncError } from '../../../src/core/errors';
import type { Clock, HttpRequest, HttpResponse, HttpTransport, Sleep } from '../../../src/core/ports';
import type { FeedClientDeps } from '../../../src/core/api/client';

export interface FakeBook {
	id: string;
	title: string;
	/** Epoch ms of the last change, compared with `since`. */
	updatedAt: number;
	/** Extra raw fields sent as they are. */
	extra?: Record<string, unknown>;
}

export type Fault =
	| { kind: 'status'; status: number; headers?: Record<string, string>; body?: string; contentType?: string }
	| { kind: 'body'; body: string; contentType?: string }
	| { kind: 'network' }
	| { kind: 'timeout' }
	| { kind: 'throw'; error: Error }
	| { kind: 'html' }
	| { kind: 'truncate' }
	| { kind: 'bom' };

export interface RequestInfo {
	page: number;
	limit: number;
	since?: string;
	/** 0-based index of this request among all requests the feed received. */
	index: number;
}

export const START_TIME = Date.UTC(2024, 2, 1, 12, 0, 0);

export class FakeFeed implements HttpTransport {
	books: FakeBook[] = [];
	/** The server's clock (ms); advances by `tickMs` on every request. */
	time = START_TIME;
	tickMs = 1000;
	/** When set, requests must carry it (as `Bearer` in Authorization, or raw in `authHeader`). */
	token?: string;
	authHeader = 'authorization';
	/** When set, the server ignores the requested limit and uses this page size. */
	pageSize?: number;
	/** Runs before each request is answered (after faults are checked). */
	beforePage?: (info: RequestInfo, feed: FakeFeed) => void;
	/** Maps the requested page to the page actually served (a buggy server). */
	servePage?: (requested: number) => number;
	/** Rewrites the reported total (a lying server). */
	reportTotal?: (real: number, info: RequestInfo) => number;
	readonly requests: HttpRequest[] = [];
	readonly faults: Fault[] = [];

	constructor(books: FakeBook[] = []) {
		this.books = books.map((book) => ({ ...book }));
	}

	/** Queues faults answered, one per request, before any page. */
	fail(...faults: Fault[]): this {
		this.faults.push(...faults);
		return this;
	}

	retitle(id: string, title: string): void {
		const book = this.find(id);
		book.title = title;
		book.updatedAt = this.time;
	}

	remove(id: string): void {
		this.books = this.books.filter((book) => book.id !== id);
	}

	add(id: string, title: string): void {
		this.books.push({ id, title, updatedAt: this.time });
	}

	/** The ids of the pages requested, in order. */
	get pagesRequested(): number[] {
		return this.requests.map((request) => Number(new URL(request.url).searchParams.get('page')));
	}

	get(request: HttpRequest): Promise<HttpResponse> {
		const index = this.requests.length;
		this.requests.push({ ...request, headers: { ...request.headers } });
		this.time += this.tickMs;
		const fault = this.faults.shift();
		if (fault?.kind === 'network') return Promise.reject(new SyncError('network', 'Could not reach books.example.com.'));
		if (fault?.kind === 'timeout') return Promise.reject(new SyncError('timeout', 'The server did not answer in time.'));
		if (fault?.kind === 'throw') return Promise.reject(fault.error);
		if (fault?.kind === 'status') {
			return Promise.resolve(
				respond(fault.status, fault.body ?? '{"error":"fault"}', { 'content-type': fault.contentType ?? 'application/json', ...fault.headers }),
			);
		}
		if (fault?.kind === 'body') {
			return Promise.resolve(respond(200, fault.body, { 'content-type': fault.contentType ?? 'application/json' }));
		}
		if (fault?.kind === 'html') {
			return Promise.resolve(respond(200, '<!DOCTYPE html><html><body><form>Sign in</form></body></html>', { 'content-type': 'text/html' }));
		}
		if (!this.authorised(request)) return Promise.resolve(respond(401, '{"error":"unauthorized"}', {}));

		const url = new URL(request.url);
		const page = Number(url.searchParams.get('page') ?? '1');
		const limit = Number(url.searchParams.get('limit') ?? '20');
		const since = url.searchParams.get('since') ?? undefined;
		const info: RequestInfo = { page, limit, since, index };
		this.beforePage?.(info, this);

		const body = JSON.stringify(this.render(info));
		if (fault?.kind === 'truncate') return Promise.resolve(respond(200, body.slice(0, Math.floor(body.length / 2)), { 'content-type': 'application/json' }));
		if (fault?.kind === 'bom') return Promise.resolve(respond(200, `\uFEFF${body}`, { 'content-type': 'application/json' }));
		return Promise.resolve(respond(200, body, { 'content-type': 'application/json; charset=utf-8' }));
	}

	/** The JSON envelope for one request. */
	render(info: RequestInfo): unknown {
		const sinceMs = info.since === undefined ? undefined : Date.parse(info.since);
		const listed = this.books
			.filter((book) => sinceMs === undefined || book.updatedAt > sinceMs)
			.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		const size = this.pageSize ?? info.limit;
		const served = this.servePage?.(info.page) ?? info.page;
		const slice = listed.slice((served - 1) * size, served * size);
		const total = this.reportTotal?.(listed.length, info) ?? listed.length;
		return {
			data: slice.map((book) => ({ id: book.id, title: book.title, updatedAt: new Date(book.updatedAt).toISOString(), ...book.extra })),
			pagination: { page: info.page, limit: size, total, totalPages: Math.ceil(total / size) },
			serverTime: new Date(this.time).toISOString(),
		};
	}

	private authorised(request: HttpRequest): boolean {
		if (this.token === undefined) return true;
		const expected = this.authHeader === 'authorization' ? `Bearer ${this.token}` : this.token;
		return Object.entries(request.headers).some(([name, value]) => name.toLowerCase() === this.authHeader && value === expected);
	}

	private find(id: string): FakeBook {
		const book = this.books.find((candidate) => candidate.id === id);
		if (!book) throw new Error(`no book ${id}`);
		return book;
	}
}

export function respond(status: number, body: string, headers: Record<string, string>): HttpResponse {
	return { status, body, headers };
}

/** `count` books with ids b001.. and titles "Title 001".., all changed at `updatedAt`. */
export function makeBooks(count: number, updatedAt = START_TIME - 86_400_000): FakeBook[] {
	return Array.from({ length: count }, (_, i) => {
		const n = String(i + 1).padStart(3, '0');
		return { id: `b${n}`, title: `Title ${n}`, updatedAt };
	});
}

export interface TestDeps extends FeedClientDeps {
	/** Every wait requested through Sleep, in order. */
	sleeps: number[];
	retries: Array<{ attempt: number; delayMs: number; kind: string }>;
	clock: Clock & { time: number };
}

/** Ports over the feed: an instant Sleep that records its waits and moves the fake clock, and a fixed jitter. */
export function makeDeps(http: HttpTransport, options: { random?: number; now?: number } = {}): TestDeps {
	const clock = {
		time: options.now ?? START_TIME,
		now(): number {
			return this.time;
		},
	};
	const sleeps: number[] = [];
	const sleep: Sleep = (ms) => {
		sleeps.push(ms);
		clock.time += ms;
		return Promise.resolve();
	};
	const retries: TestDeps['retries'] = [];
	return {
		http,
		clock,
		sleep,
		random: () => options.random ?? 0.5,
		sleeps,
		retries,
		onRetry: ({ attempt, delayMs, error }) => retries.push({ attempt, delayMs, kind: error.kind }),
	};
}
