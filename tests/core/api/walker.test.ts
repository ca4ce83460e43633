import process from 'node:process';
import { setImmediate } from 'node:timers';
import { describe, expect, it } from 'vitest';
import type { SyncPage } from '../../../src/core/api/record';
import { walkFeed, type WalkConfig, type WalkProgress, type WalkResult } from '../../../src/core/api/walker';
import { FakeFeed, START_TIME, makeBooks, makeDeps, type Fault, type TestDeps } from './fake-feed';
import { syncRejection } from '../../sync-errors';

const CHANGED_TOO_MUCH = 'The library changed too much while syncing; try again.';

function walkConfig(overrides: Partial<WalkConfig> = {}): WalkConfig {
	return {
		baseUrl: 'https://books.example.com',
		authHeader: 'Authorization',
		timeoutMs: 10_000,
		retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 },
		limit: 3,
		maxRewalks: 2,
		...overrides,
	};
}

interface Run {
	/** The latest title applied per id, over every walk. */
	applied: Map<string, string | undefined>;
	/** The ids applied in each walk (index 0 = walk 1). */
	perWalk: string[][];
	progress: WalkProgress[];
	deps: TestDeps;
}

function run(feed: FakeFeed, overrides: Partial<WalkConfig> = {}): { promise: Promise<WalkResult>; state: Run } {
	const deps = makeDeps(feed);
	const state: Run = { applied: new Map(), perWalk: [], progress: [], deps };
	const promise = walkFeed(deps, walkConfig(overrides), (page: SyncPage, progress: WalkProgress) => {
		state.progress.push(progress);
		const ids = (state.perWalk[progress.walk - 1] ??= []);
		for (const record of page.records) {
			state.applied.set(record.id, record.title);
			ids.push(record.id);
		}
		return Promise.resolve();
	});
	return { promise, state };
}

const iso = (requestNumber: number) => new Date(START_TIME + requestNumber * 1000).toISOString();
const sorted = (ids: Iterable<string>) => [...ids].sort();
const allIds = (count: number) => makeBooks(count).map((book) => book.id);

/** Runs `change` once, just before the given request (1-based) is answered. */
function before(requestNumber: number, change: (feed: FakeFeed) => void): (info: { index: number }, feed: FakeFeed) => void {
	return (info, feed) => {
		if (info.index === requestNumber - 1) change(feed);
	};
}

describe('walkFeed: a quiet library', () => {
	it('walks every page once, in order, and returns the first page serverTime as the cursor', async () => {
		const feed = new FakeFeed(makeBooks(10));
		const { promise, state } = run(feed);
		const result = await promise;
		expect(feed.pagesRequested).toEqual([1, 2, 3, 4]);
		expect(result.cursor).toBe(iso(1));
		expect(result.total).toBe(10);
		expect(sorted(result.ids)).toEqual(allIds(10));
		expect(result).toMatchObject({ pages: 4, requests: 4, rewalks: 0, skipped: [] });
		expect(state.progress).toEqual([
			{ walk: 1, page: 1, totalPages: 4, total: 10, received: 3 },
			{ walk: 1, page: 2, totalPages: 4, total: 10, received: 6 },
			{ walk: 1, page: 3, totalPages: 4, total: 10, received: 9 },
			{ walk: 1, page: 4, totalPages: 4, total: 10, received: 10 },
		]);
	});

	it('sends the limit and since on every request', async () => {
		const feed = new FakeFeed(makeBooks(5));
		feed.books[1]!.updatedAt = START_TIME + 5000;
		feed.books[3]!.updatedAt = START_TIME + 5000;
		const result = await run(feed, { since: new Date(START_TIME).toISOString() }).promise;
		expect(sorted(result.ids)).toEqual(['b002', 'b004']);
		expect(result.total).toBe(2);
		for (const request of feed.requests) {
			const params = new URL(request.url).searchParams;
			expect(params.get('limit')).toBe('3');
			expect(params.get('since')).toBe(new Date(START_TIME).toISOString());
		}
	});

	it('handles an empty library: one empty page, a cursor, no ids', async () => {
		const feed = new FakeFeed([]);
		const { promise, state } = run(feed);
		const result = await promise;
		expect(result).toMatchObject({ cursor: iso(1), total: 0, pages: 1, requests: 1, rewalks: 0 });
		expect(result.ids.size).toBe(0);
		expect(state.progress).toHaveLength(1);
	});

	it('follows a server that ignores limit and uses its own page size', async () => {
		const feed = new FakeFeed(makeBooks(45));
		feed.pageSize = 20;
		const result = await run(feed, { limit: 100 }).promise;
		expect(feed.pagesRequested).toEqual([1, 2, 3]);
		expect(sorted(result.ids)).toEqual(allIds(45));
		expect(result.rewalks).toBe(0);
	});

	it('follows a server page size larger than asked', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.pageSize = 4;
		const result = await run(feed, { limit: 3 }).promise;
		expect(feed.pagesRequested).toEqual([1, 2, 3]);
		expect(result.ids.size).toBe(10);
	});

	it('counts records without an id toward the total, and reports them with their page', async () => {
		const feed = new FakeFeed([...makeBooks(5), { id: '', title: 'Title 004a', updatedAt: START_TIME }]);
		const result = await run(feed).promise;
		expect(result.rewalks).toBe(0);
		expect(result.ids.size).toBe(5);
		expect(result.skipped).toEqual([{ page: 2, index: 1, reason: 'the record has no id' }]);
	});

	it('counts retries in requests', async () => {
		const feed = new FakeFeed(makeBooks(7));
		feed.fail({ kind: 'status', status: 204, body: '' });
		const error = await syncRejection(run(feed).promise);
		expect(error.kind).toBe('protocol');

		const flaky = new FakeFeed(makeBooks(7));
		flaky.beforePage = before(2, (f) => f.fail({ kind: 'status', status: 503 }));
		const { promise, state } = run(flaky);
		const result = await promise;
		expect(result).toMatchObject({ pages: 3, requests: 4, rewalks: 0 });
		expect(state.deps.retries).toHaveLength(1);
	});
});

describe('walkFeed: damaged answers', () => {
	it('retries a page cut off before the end of its JSON and counts the retry in requests; the walk stays clean', async () => {
		const feed = new FakeFeed(makeBooks(7));
		feed.beforePage = before(1, (f) => f.fail({ kind: 'truncate' }));
		const { promise, state } = run(feed);
		const result = await promise;
		expect(result).toMatchObject({ pages: 3, requests: 4, rewalks: 0 });
		expect(state.deps.retries).toEqual([{ attempt: 1, delayMs: expect.any(Number) as number, kind: 'incomplete' }]);
		expect(sorted(result.ids)).toEqual(allIds(7));
	});

	it('stops with the cut-off error after maxAttempts when every attempt is cut off', async () => {
		const feed = new FakeFeed(makeBooks(7));
		feed.beforePage = before(1, (f) => f.fail(...Array.from({ length: 3 }, (): Fault => ({ kind: 'truncate' }))));
		const error = await syncRejection(run(feed).promise);
		expect(error.kind).toBe('incomplete');
		expect(error.message).toBe('The answer from books.example.com was cut off (incomplete JSON); try again later.');
		expect(feed.requests).toHaveLength(1 + 3);
	});

	it('hands on every page when the first has no usable serverTime, and returns no cursor', async () => {
		const feed = new (class extends FakeFeed {
			override render(info: Parameters<FakeFeed['render']>[0]): unknown {
				const body = super.render(info) as Record<string, unknown>;
				if (info.page === 1) delete body.serverTime;
				else body.serverTime = 'soon';
				return body;
			}
		})(makeBooks(7));
		const { promise, state } = run(feed);
		const result = await promise;
		expect(result.cursor).toBeUndefined();
		expect(result).toMatchObject({ pages: 3, requests: 3, rewalks: 0 });
		expect(sorted(state.applied.keys())).toEqual(allIds(7));
	});

	it('takes the cursor from the first page only: a later page without serverTime does not matter', async () => {
		const feed = new (class extends FakeFeed {
			override render(info: Parameters<FakeFeed['render']>[0]): unknown {
				const body = super.render(info) as Record<string, unknown>;
				if (info.page > 1) delete body.serverTime;
				return body;
			}
		})(makeBooks(7));
		expect((await run(feed).promise).cursor).toBe(iso(1));
	});
});

describe('walkFeed: a library changing under the walk', () => {
	it('does not skip a book when another is retitled across a page boundary (moves later)', async () => {
		const feed = new FakeFeed(makeBooks(10));
		// Before page 2: "Title 002" (seen on page 1) becomes "Title 009z"; b004 slides back onto page 1.
		feed.beforePage = before(2, (f) => f.retitle('b002', 'Title 009z'));
		const { promise, state } = run(feed);
		const result = await promise;
		// A naive walker misses b004 in the first pass.
		expect(state.perWalk[0]).not.toContain('b004');
		expect(result.rewalks).toBe(1);
		expect(sorted(result.ids)).toEqual(allIds(10));
		expect(sorted(state.applied.keys())).toEqual(allIds(10));
		expect(state.applied.get('b002')).toBe('Title 009z');
		// The cursor is the first page of the clean walk (request 5), not of the first walk.
		expect(result.cursor).toBe(iso(5));
		expect(result.pages).toBe(4);
		expect(result.requests).toBe(8);
	});

	it('does not skip a book that is retitled onto a page already walked (moves earlier)', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.beforePage = before(3, (f) => f.retitle('b009', 'Title 000'));
		const { promise, state } = run(feed);
		const result = await promise;
		expect(state.perWalk[0]).not.toContain('b009');
		expect(result.rewalks).toBe(1);
		expect(sorted(result.ids)).toEqual(allIds(10));
		expect(state.applied.get('b009')).toBe('Title 000');
	});

	it('re-walks when a book vanishes mid-walk and reports the library without it', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.beforePage = before(2, (f) => f.remove('b001'));
		const { promise, state } = run(feed);
		const result = await promise;
		expect(state.perWalk[0]).not.toContain('b004');
		expect(result.rewalks).toBe(1);
		expect(result.total).toBe(9);
		expect(sorted(result.ids)).toEqual(allIds(10).filter((id) => id !== 'b001'));
		// What the unclean walk applied is kept.
		expect(state.applied.has('b001')).toBe(true);
	});

	it('re-walks when a book is added mid-walk', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.beforePage = before(3, (f) => f.add('new', 'Title 000'));
		const { promise, state } = run(feed);
		const result = await promise;
		expect(result.rewalks).toBe(1);
		expect(result.total).toBe(11);
		expect(result.ids.has('new')).toBe(true);
		expect(state.applied.has('new')).toBe(true);
	});

	it('re-walks when the total changes mid-walk even if no item moved', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.reportTotal = (real, info) => (info.index === 2 ? real + 1 : real);
		const result = await run(feed).promise;
		expect(result.rewalks).toBe(1);
		expect(result.cursor).toBe(iso(5));
	});

	it('re-walks when the ids do not add up to the total', async () => {
		const feed = new FakeFeed(makeBooks(9));
		// The first walk reports one book too many on every page.
		feed.reportTotal = (real, info) => (info.index < 3 ? real + 1 : real);
		const result = await run(feed).promise;
		expect(result.rewalks).toBe(1);
		expect(result.total).toBe(9);
	});

	it('throws after bounded re-walks when the library never holds still, without a cursor', async () => {
		const feed = new FakeFeed(makeBooks(10));
		let added = 0;
		feed.beforePage = (_info, f) => f.add(`new${added++}`, `Title 000 ${added}`);
		const { promise, state } = run(feed, { maxRewalks: 2 });
		const error = await syncRejection(promise);
		expect(error.kind).toBe('protocol');
		expect(error.message).toBe(CHANGED_TOO_MUCH);
		expect(state.perWalk).toHaveLength(3);
		// Pages applied before giving up stay applied.
		expect(state.applied.size).toBeGreaterThan(10);
		// Each walk reads no more pages than its first page announced (4, 5, then 7),
		// although the library grows by a page's worth during each walk.
		expect(feed.pagesRequested).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('gives up after one walk when maxRewalks is 0', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.beforePage = before(2, (f) => f.remove('b001'));
		const { promise, state } = run(feed, { maxRewalks: 0 });
		expect((await syncRejection(promise)).message).toBe(CHANGED_TOO_MUCH);
		expect(state.perWalk).toHaveLength(1);
		// The list shrank to 3 pages: the walk follows the server and stops there.
		expect(feed.pagesRequested).toEqual([1, 2, 3]);
	});
});

describe('walkFeed: loop guards', () => {
	it('stops a walk on a page that repeats the previous page, then re-walks', async () => {
		const feed = new FakeFeed(makeBooks(10));
		// During the first walk the server is stuck on page 1.
		feed.servePage = (page) => (feed.requests.length <= 2 ? 1 : page);
		const result = await run(feed).promise;
		expect(feed.pagesRequested).toEqual([1, 2, 1, 2, 3, 4]);
		expect(result.rewalks).toBe(1);
		expect(result.ids.size).toBe(10);
	});

	it('never loops on a server that ignores the page parameter', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.servePage = () => 1;
		const { promise } = run(feed, { maxRewalks: 2 });
		expect((await syncRejection(promise)).message).toBe(CHANGED_TOO_MUCH);
		expect(feed.pagesRequested).toEqual([1, 2, 1, 2, 1, 2]);
	});

	it('stops at an empty page before the last one', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.reportTotal = (real) => real + 10;
		const { promise } = run(feed, { maxRewalks: 1 });
		expect((await syncRejection(promise)).message).toBe(CHANGED_TOO_MUCH);
		// 20 announced = 7 pages of 3, but page 5 is empty: each walk stops there.
		expect(feed.pagesRequested).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
	});

	it('does not follow more pages than the first page announced', async () => {
		const feed = new FakeFeed(makeBooks(6));
		feed.reportTotal = (real, info) => (info.page === 1 ? real : real + 30);
		const { promise } = run(feed, { maxRewalks: 0 });
		await syncRejection(promise);
		expect(feed.pagesRequested).toEqual([1, 2]);
	});

	it('walks the pages that total and limit imply when totalPages is too small', async () => {
		const feed = new FakeFeed(makeBooks(10));
		const render = feed.render.bind(feed);
		feed.render = (info) => {
			const body = render(info) as { pagination: { totalPages: number } };
			body.pagination.totalPages = 1;
			return body;
		};
		const result = await run(feed).promise;
		expect(feed.pagesRequested).toEqual([1, 2, 3, 4]);
		expect(result.ids.size).toBe(10);
	});

	it('re-walks when a page holds the same id twice', async () => {
		const feed = new FakeFeed([...makeBooks(4), { id: 'b001', title: 'Title 001 again', updatedAt: START_TIME }]);
		const { promise } = run(feed, { maxRewalks: 1 });
		expect((await syncRejection(promise)).message).toBe(CHANGED_TOO_MUCH);
	});

	it('re-walks when the server answers a different page than asked', async () => {
		const feed = new FakeFeed(makeBooks(10));
		const render = feed.render.bind(feed);
		feed.render = (info) => {
			const body = render(info) as { pagination: { page: number } };
			if (info.index === 1) body.pagination.page = 7;
			return body;
		};
		const result = await run(feed).promise;
		expect(feed.pagesRequested).toEqual([1, 2, 1, 2, 3, 4]);
		expect(result.rewalks).toBe(1);
	});

	it('refuses a walk longer than the hard cap of pages', async () => {
		const feed = new FakeFeed(makeBooks(10));
		const error = await syncRejection(run(feed, { maxPages: 3 }).promise);
		expect(error.kind).toBe('protocol');
		expect(error.message).toMatch(/announced 4 pages/);
		expect(feed.requests).toHaveLength(1);
	});
});

describe('walkFeed: errors and prefetch', () => {
	it('stops on a client error after applying the earlier pages', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.fail({ kind: 'bom' }, { kind: 'status', status: 401 });
		const { promise, state } = run(feed);
		const error = await syncRejection(promise);
		expect(error.kind).toBe('auth');
		expect(state.perWalk[0]).toEqual(['b001', 'b002', 'b003']);
		expect(feed.requests).toHaveLength(2);
	});

	it('fetches the next page while a page is applied, one page ahead at most, never applying concurrently', async () => {
		const feed = new FakeFeed(makeBooks(10));
		const deps = makeDeps(feed);
		let active = 0;
		let maxActive = 0;
		const requestsSeen: number[] = [];
		const order: number[] = [];
		await walkFeed(deps, walkConfig(), async (_page, progress) => {
			active += 1;
			maxActive = Math.max(maxActive, active);
			requestsSeen.push(feed.requests.length);
			order.push(progress.page);
			for (let i = 0; i < 20; i++) await Promise.resolve();
			requestsSeen.push(feed.requests.length);
			active -= 1;
		});
		expect(maxActive).toBe(1);
		expect(order).toEqual([1, 2, 3, 4]);
		// Page k+1 is requested before onPage(k) runs, page k+2 only after it returns.
		expect(requestsSeen).toEqual([2, 2, 3, 3, 4, 4, 4, 4]);
	});

	it('rethrows an onPage error and leaves no unhandled rejection from the prefetch', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.fail({ kind: 'bom' }, { kind: 'status', status: 401 });
		const unhandled: unknown[] = [];
		const listener = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', listener);
		try {
			const failure = new Error('disk full');
			let caught: unknown;
			try {
				await walkFeed(makeDeps(feed), walkConfig(), () => Promise.reject(failure));
			} catch (error) {
				caught = error;
			}
			expect(caught).toBe(failure);
			for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
			expect(unhandled).toEqual([]);
			expect(feed.requests).toHaveLength(2);
		} finally {
			process.off('unhandledRejection', listener);
		}
	});

	it('cancels a prefetch that is still retrying when onPage fails', async () => {
		const feed = new FakeFeed(makeBooks(10));
		feed.fail({ kind: 'bom' }, { kind: 'status', status: 503 });
		const deps = makeDeps(feed);
		let release: () => void = () => undefined;
		const sleeping = new Promise<void>((resolve) => {
			deps.sleep = () => {
				resolve();
				return new Promise<void>((wake) => (release = wake));
			};
		});
		const failure = new Error('disk full');
		const walk = walkFeed(deps, walkConfig(), async () => {
			await sleeping;
			throw failure;
		});
		await expect(walk).rejects.toBe(failure);
		release();
		for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
		expect(feed.requests).toHaveLength(2);
	});

	it('stops when cancelled between pages', async () => {
		const feed = new FakeFeed(makeBooks(10));
		const cancellation = new AbortController();
		const deps = { ...makeDeps(feed), signal: cancellation.signal };
		const walk = walkFeed(deps, walkConfig(), (_page, progress) => {
			if (progress.page === 2) cancellation.abort();
			return Promise.resolve();
		});
		const error = await syncRejection(walk);
		expect(error.kind).toBe('cancelled');
		// Page 3 was already prefetched; page 4 never requested.
		expect(feed.pagesRequested).toEqual([1, 2, 3]);
	});

	it('passes every fault kind of the client through unchanged', async () => {
		const faults: Array<[Fault, string]> = [
			[{ kind: 'html' }, 'protocol'],
			[{ kind: 'body', body: '{"data":[1,]}' }, 'protocol'],
			[{ kind: 'status', status: 404 }, 'http'],
		];
		for (const [fault, kind] of faults) {
			const feed = new FakeFeed(makeBooks(4));
			feed.fail(fault);
			expect((await syncRejection(run(feed).promise)).kind).toBe(kind);
			expect(feed.requests).toHaveLength(1);
		}
	});
});
