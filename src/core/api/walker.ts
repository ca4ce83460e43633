import { childController } from '../cancel';
import { SyncError } from '../errors';
import type { HttpTransport } from '../ports';
import { fetchPage, type FeedClientConfig, type FeedClientDeps } from './client';
import type { SyncPage } from './record';

/** Pages one walk will ever request, whatever the server announces (guards against loops). */
export const MAX_PAGES_PER_WALK = 10_000;

/** A walk over the feed: the request settings plus paging and re-walk bounds. */
export interface WalkConfig extends FeedClientConfig {
	/** Items per page to ask for (the server may use its own page size). */
	limit: number;
	/** Only books changed after this instant (ISO 8601); undefined walks everything. */
	since?: string;
	/** Walks after the first one when a walk is unclean (0 means give up at once). */
	maxRewalks: number;
	/** Hard cap of pages per walk; MAX_PAGES_PER_WALK when not given. */
	maxPages?: number;
}

/** Where a walk is, told with every page. */
export interface WalkProgress {
	/** 1 for the first walk, 2 for the first re-walk, ... */
	walk: number;
	/** 1-based page number of this page. */
	page: number;
	/** The last page this walk will request, as the server reports it. */
	totalPages: number;
	/** The server's `pagination.total` on this page. */
	total: number;
	/** Records received in this walk so far, this page's included. */
	received: number;
}

/** The outcome of a clean walk. */
export interface WalkResult {
	/**
	 * The `serverTime` of the first page of the clean walk: the next cursor.
	 * Undefined when that page had no usable `serverTime`: the books were
	 * still handed on, but there is no instant to continue from.
	 */
	cursor?: string;
	/** Books the server listed (`pagination.total`). */
	total: number;
	/** Every id the clean walk saw; with no `since`, the whole library. */
	ids: Set<string>;
	/** Pages of the clean walk. */
	pages: number;
	/** HTTP requests over all walks, retries and re-walks included. */
	requests: number;
	/** Walks repeated because an earlier one was unclean. */
	rewalks: number;
	/** Records of the clean walk that could not be decoded, by page and index. */
	skipped: Array<{ page: number; index: number; reason: string }>;
}

/** Called once per page, in order, never concurrently; the walk waits for it. */
export type PageHandler = (page: SyncPage, progress: WalkProgress) => Promise<void>;

interface WalkOutcome {
	clean: boolean;
	cursor: string | undefined;
	total: number;
	ids: Set<string>;
	pages: number;
	skipped: WalkResult['skipped'];
}

type Settled = { ok: true; page: SyncPage } | { ok: false; error: unknown };

/**
 * Walks every page of the feed (docs/api.md), handing each page to `onPage` as
 * it arrives; only the id set is kept. While `onPage` runs, the next page is
 * fetched (one page of prefetch at most). A walk is clean when
 * `pagination.total` (and the page size and page count) stay the same on
 * every page, no id repeats, and distinct ids plus skipped records equal
 * `total`. The walk follows the server's own `pagination.limit` and
 * `totalPages` and stops early, unclean, on a page that repeats the
 * previous page's ids, a page other than the one asked for, or an empty
 * page before the last. An unclean walk keeps what `onPage` applied and the
 * feed is walked again from page 1, at most `maxRewalks` times; then
 * SyncError 'protocol' is thrown and no cursor is returned. Errors from the
 * client (after its retries) and from `onPage` stop the walk and are
 * rethrown as they are; a prefetch still in flight is cancelled and its
 * outcome ignored. Records are passed through as decoded: a record seen
 * twice in one walk is applied twice, which idempotent rendering makes
 * harmless.
 */
export async function walkFeed(deps: FeedClientDeps, config: WalkConfig, onPage: PageHandler): Promise<WalkResult> {
	let requests = 0;
	const http: HttpTransport = {
		get: (request) => {
			requests += 1;
			return deps.http.get(request);
		},
	};
	const maxRewalks = Number.isFinite(config.maxRewalks) ? Math.max(0, Math.floor(config.maxRewalks)) : 0;
	for (let walk = 1; walk <= maxRewalks + 1; walk++) {
		const outcome = await walkOnce({ ...deps, http }, config, walk, onPage);
		if (outcome.clean) {
			return {
				cursor: outcome.cursor,
				total: outcome.total,
				ids: outcome.ids,
				pages: outcome.pages,
				requests,
				rewalks: walk - 1,
				skipped: outcome.skipped,
			};
		}
	}
	throw new SyncError('protocol', 'The library changed too much while syncing; try again.');
}

async function walkOnce(deps: FeedClientDeps, config: WalkConfig, walk: number, onPage: PageHandler): Promise<WalkOutcome> {
	// Fired when this walk ends, so that an orphaned prefetch stops waiting and retrying.
	const walkScope = childController(deps.signal);
	const pageDeps: FeedClientDeps = { ...deps, signal: walkScope.controller.signal };
	const fetch = (page: number): Promise<SyncPage> =>
		fetchPage(pageDeps, config, { page, limit: config.limit, since: config.since });
	const settle = (promise: Promise<SyncPage>): Promise<Settled> =>
		promise.then(
			(page): Settled => ({ ok: true, page }),
			(error: unknown): Settled => ({ ok: false, error }),
		);

	const maxPages = config.maxPages ?? MAX_PAGES_PER_WALK;
	try {
		let page = await fetch(1);
		const first = page.pagination;
		const cursor = page.serverTime;
		const total = first.total;
		const announcedPages = pageCount(first);
		if (announcedPages > maxPages) {
			throw new SyncError(
				'protocol',
				`The server announced ${announcedPages} pages, more than the ${maxPages} one sync may read; use a larger page size.`,
			);
		}

		const ids = new Set<string>();
		const skipped: WalkResult['skipped'] = [];
		let clean = true;
		let received = 0;
		let previousIds: string[] = [];
		let pages = 0;
		for (let pageNumber = 1; ; pageNumber++) {
			const pagination = page.pagination;
			let stop = false;
			if (pagination.total !== total || pagination.limit !== first.limit || pagination.totalPages !== first.totalPages) {
				clean = false;
			}
			if (pagination.page !== pageNumber) {
				clean = false;
				stop = true;
			}
			const pageIds = page.records.map((record) => record.id);
			if (pageNumber > 1 && pageIds.length > 0 && sameIds(pageIds, previousIds)) {
				clean = false;
				stop = true;
			}
			for (const id of pageIds) {
				if (ids.has(id)) clean = false;
				else ids.add(id);
			}
			for (const item of page.skipped) skipped.push({ page: pageNumber, index: item.index, reason: item.reason });
			received += page.records.length;

			const lastPage = Math.min(pageCount(pagination), announcedPages, maxPages);
			if (pageNumber < lastPage && page.records.length === 0 && page.skipped.length === 0) {
				// The list shrank under us: later pages would be empty too.
				clean = false;
				stop = true;
			}
			const hasNext = !stop && pageNumber < lastPage;
			const next = hasNext ? settle(fetch(pageNumber + 1)) : undefined;

			pages += 1;
			await onPage(page, { walk, page: pageNumber, totalPages: lastPage, total: pagination.total, received });
			if (next === undefined) break;
			const settled = await next;
			if (!settled.ok) throw settled.error;
			page = settled.page;
			previousIds = pageIds;
		}
		if (ids.size + skipped.length !== total) clean = false;
		return { clean, cursor, total, ids, pages, skipped };
	} finally {
		walkScope.release();
		walkScope.controller.abort();
	}
}

/**
 * The pages the server's pagination implies: its totalPages, or more when
 * total and limit say so (a server that miscounts pages must not make us skip).
 */
function pageCount(pagination: SyncPage['pagination']): number {
	return Math.max(pagination.totalPages, Math.ceil(pagination.total / Math.max(1, pagination.limit)));
}

function sameIds(a: string[], b: string[]): boolean {
	if (a.length !== b.length) return false;
	const set = new Set(b);
	return a.every((id) => set.has(id));
}
