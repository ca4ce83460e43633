/**
 * A library server in memory, as an HttpTransport: the feed of the
 * contract over a mutable set of books, with its own clock (one second per
 * request), `since` filtering, pages sorted by title then id, scripted
 * faults and a hook before each request (to change the library mid-walk).
 * Fast and synchronous underneath, so thousands of runs fit in CI.
 */
import { SyncError } from '../../src/core/errors';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/core/ports';

export interface ModelBook {
	id: string;
	title: string;
	/** 0..100 whole numbers, or undefined for a book never opened. */
	progress?: number;
	/** Server-clock ms of the last change. */
	changedAt: number;
}

export type ModelFault = 'http-503' | 'network' | 'timeout' | 'html' | 'truncated' | 'http-500-forever';

export const MODEL_START = Date.UTC(2025, 0, 1);

export class ModelServer implements HttpTransport {
	readonly books = new Map<string, ModelBook>();
	time = MODEL_START;
	requests = 0;
	readonly faults: ModelFault[] = [];
	/** Runs before a request is answered, with the 1-based request count of the current sync. */
	beforeRequest?: (requestOfRun: number) => void;
	requestsThisRun = 0;

	add(id: string, title: string): void {
		this.books.set(id, { id, title, changedAt: this.time });
	}

	retitle(id: string, title: string): void {
		const book = this.books.get(id);
		if (book) Object.assign(book, { title, changedAt: this.time });
	}

	setProgress(id: string, progress: number): void {
		const book = this.books.get(id);
		if (book) Object.assign(book, { progress, changedAt: this.time });
	}

	remove(id: string): void {
		this.books.delete(id);
	}

	get(request: HttpRequest): Promise<HttpResponse> {
		this.requests += 1;
		this.requestsThisRun += 1;
		this.time += 1000;
		const fault = this.faults[0] === 'http-500-forever' ? this.faults[0] : this.faults.shift();
		if (fault === 'network') return Promise.reject(new SyncError('network', 'Could not reach the model server.'));
		if (fault === 'timeout') return Promise.reject(new SyncError('timeout', 'The model server did not answer in time.'));
		if (fault === 'http-503') return Promise.resolve({ status: 503, headers: { 'retry-after': '1' }, body: 'busy' });
		if (fault === 'http-500-forever') return Promise.resolve({ status: 500, headers: {}, body: 'broken' });
		if (fault === 'html') return Promise.resolve({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Sign in</body></html>' });
		this.beforeRequest?.(this.requestsThisRun);

		const url = new URL(request.url);
		const page = Number(url.searchParams.get('page'));
		const limit = Number(url.searchParams.get('limit'));
		const sinceText = url.searchParams.get('since');
		const since = sinceText === null ? undefined : Date.parse(sinceText);
		const listed = [...this.books.values()]
			.filter((book) => since === undefined || book.changedAt > since)
			.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		const body = JSON.stringify({
			data: listed.slice((page - 1) * limit, page * limit).map((book) => ({
				id: book.id,
				title: book.title,
				updatedAt: new Date(book.changedAt).toISOString(),
				progress: book.progress === undefined ? null : { percentage: book.progress, status: book.progress === 100 ? 'finished' : 'reading' },
			})),
			pagination: { page, limit, total: listed.length, totalPages: Math.ceil(listed.length / limit) },
			serverTime: new Date(this.time).toISOString(),
		});
		if (fault === 'truncated') return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: body.slice(0, body.length >> 1) });
		return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body });
	}
}
