import { describe, expect, it } from 'vitest';
import { buildRequestHeaders, fetchPage, type FeedClientConfig } from '../../../src/core/api/client';
import { SyncError } from '../../../src/core/errors';
import type { HttpRequest, HttpResponse } from '../../../src/core/ports';
import { FakeFeed, makeBooks, makeDeps, type Fault } from './fake-feed';
import { syncRejection } from '../../sync-errors';

const TOKEN = 'tok_Secret-123';

function config(overrides: Partial<FeedClientConfig> = {}): FeedClientConfig {
	return {
		baseUrl: 'https://books.example.com/library',
		token: TOKEN,
		authHeader: 'Authorization',
		timeoutMs: 15_000,
		retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
		...overrides,
	};
}

function feedWith(...faults: Fault[]): FakeFeed {
	const feed = new FakeFeed(makeBooks(3));
	feed.token = TOKEN;
	feed.fail(...faults);
	return feed;
}

describe('buildRequestHeaders', () => {
	it('sends a bearer token in Authorization, whatever the case of the setting', () => {
		expect(buildRequestHeaders({ token: 'abc', authHeader: 'Authorization' })).toEqual({ Accept: 'application/json', Authorization: 'Bearer abc' });
		expect(buildRequestHeaders({ token: ' abc ', authHeader: 'authorization' })).toEqual({ Accept: 'application/json', Authorization: 'Bearer abc' });
		expect(buildRequestHeaders({ token: 'abc', authHeader: '' })).toEqual({ Accept: 'application/json', Authorization: 'Bearer abc' });
	});

	it('does not double a pasted Bearer prefix', () => {
		expect(buildRequestHeaders({ token: 'Bearer abc', authHeader: 'Authorization' }).Authorization).toBe('Bearer abc');
	});

	it('sends the raw token in a custom header', () => {
		expect(buildRequestHeaders({ token: 'abc', authHeader: 'X-Api-Key' })).toEqual({ Accept: 'application/json', 'X-Api-Key': 'abc' });
	});

	it('sends no auth header without a token', () => {
		expect(buildRequestHeaders({ authHeader: 'Authorization' })).toEqual({ Accept: 'application/json' });
		expect(buildRequestHeaders({ token: '  ', authHeader: 'Authorization' })).toEqual({ Accept: 'application/json' });
	});

	it('rejects unusable header names and tokens without echoing the token', () => {
		for (const [token, authHeader] of [
			['abc', 'X Api Key'],
			['abc', 'X-Key:'],
			['abc\r\nX-Evil: 1', 'Authorization'],
			['tök€n', 'X-Key'],
		] as const) {
			let caught: unknown;
			try {
				buildRequestHeaders({ token, authHeader });
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(SyncError);
			expect((caught as SyncError).kind).toBe('config');
			expect((caught as SyncError).message).not.toContain(token);
		}
	});
});

describe('fetchPage', () => {
	it('requests the right URL with the headers and timeout, and decodes the page', async () => {
		const feed = feedWith();
		const deps = makeDeps(feed);
		const page = await fetchPage(deps, config(), { page: 1, limit: 2, since: '2024-03-01T00:00:00+01:00' });
		expect(page.records.map((r) => r.id)).toEqual([]);
		const request = feed.requests[0];
		expect(request?.url).toBe('https://books.example.com/library/api/library/sync?page=1&limit=2&since=2024-02-29T23%3A00%3A00.000Z');
		expect(request?.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${TOKEN}` });
		expect(request?.timeoutMs).toBe(15_000);

		const all = await fetchPage(deps, config(), { page: 2, limit: 2 });
		expect(all.records.map((r) => r.id)).toEqual(['b003']);
		expect(all.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
	});

	it('passes decoding options through', async () => {
		const feed = feedWith();
		feed.books[0]!.extra = { progress: { percentage: 0.5 } };
		const auto = await fetchPage(makeDeps(feed), config(), { page: 1, limit: 1 });
		expect(auto.records[0]?.progress?.percentage).toBe(50);
		const percent = await fetchPage(makeDeps(feed), config({ decode: { percentageScale: 'percent' } }), { page: 1, limit: 1 });
		expect(percent.records[0]?.progress?.percentage).toBe(0.5);
	});

	it('uses a custom auth header', async () => {
		const feed = feedWith();
		feed.authHeader = 'x-api-key';
		const page = await fetchPage(makeDeps(feed), config({ authHeader: 'X-Api-Key' }), { page: 1, limit: 10 });
		expect(page.records).toHaveLength(3);
		expect(feed.requests[0]?.headers).toEqual({ Accept: 'application/json', 'X-Api-Key': TOKEN });
	});

	it('retries 5xx with back-off, then succeeds', async () => {
		const feed = feedWith({ kind: 'status', status: 503 }, { kind: 'status', status: 500 }, { kind: 'status', status: 502 });
		const deps = makeDeps(feed, { random: 0 });
		const page = await fetchPage(deps, config(), { page: 1, limit: 10 });
		expect(page.records).toHaveLength(3);
		expect(feed.requests).toHaveLength(4);
		expect(deps.sleeps).toEqual([50, 100, 200]);
		expect(deps.retries).toEqual([
			{ attempt: 1, delayMs: 50, kind: 'http' },
			{ attempt: 2, delayMs: 100, kind: 'http' },
			{ attempt: 3, delayMs: 200, kind: 'http' },
		]);
	});

	it('retries timeouts, network errors and 408', async () => {
		const feed = feedWith({ kind: 'timeout' }, { kind: 'network' }, { kind: 'status', status: 408 });
		const deps = makeDeps(feed);
		const page = await fetchPage(deps, config(), { page: 1, limit: 10 });
		expect(page.records).toHaveLength(3);
		expect(deps.retries.map((r) => r.kind)).toEqual(['timeout', 'network', 'http']);
	});

	it('wraps a transport that throws a foreign error as a network error and retries it', async () => {
		const feed = feedWith({ kind: 'throw', error: new TypeError(`fetch failed for https://books.example.com?token=${TOKEN}`) });
		const deps = makeDeps(feed);
		await fetchPage(deps, config(), { page: 1, limit: 10 });
		expect(deps.retries).toHaveLength(1);
		expect(deps.retries[0]?.kind).toBe('network');
	});

	it('honours Retry-After in seconds on 429', async () => {
		const feed = feedWith({ kind: 'status', status: 429, headers: { 'retry-after': '7' } });
		const deps = makeDeps(feed, { random: 0 });
		await fetchPage(deps, config(), { page: 1, limit: 10 });
		expect(deps.sleeps).toEqual([7000]);
		expect(deps.retries[0]?.kind).toBe('rate-limited');
	});

	it('honours Retry-After as an HTTP date on 429, against the injected clock', async () => {
		const feed = feedWith();
		const deps = makeDeps(feed, { random: 0 });
		const at = new Date(deps.clock.now() + 42_000).toUTCString();
		feed.fail({ kind: 'status', status: 429, headers: { 'retry-after': at } });
		await fetchPage(deps, config(), { page: 1, limit: 10 });
		expect(deps.sleeps).toEqual([42_000]);
	});

	it('honours Retry-After on 503 too, and caps it', async () => {
		const feed = feedWith({ kind: 'status', status: 503, headers: { 'retry-after': '3600' } });
		const deps = makeDeps(feed, { random: 0 });
		await fetchPage(deps, config(), { page: 1, limit: 10 });
		expect(deps.sleeps).toEqual([60_000]);
	});

	it('gives up after maxAttempts with the last error', async () => {
		const feed = feedWith(...Array.from({ length: 10 }, (): Fault => ({ kind: 'status', status: 500 })));
		const deps = makeDeps(feed);
		const error = await syncRejection(fetchPage(deps, config({ retry: { ...config().retry, maxAttempts: 3 } }), { page: 1, limit: 10 }));
		expect(error.kind).toBe('http');
		expect(error.status).toBe(500);
		expect(error.message).toBe('The server at books.example.com had a problem (HTTP 500); try again later.');
		expect(feed.requests).toHaveLength(3);
		expect(deps.sleeps).toHaveLength(2);
	});

	it('gives up on a persistent 429 as rate-limited', async () => {
		const feed = feedWith(...Array.from({ length: 5 }, (): Fault => ({ kind: 'status', status: 429, headers: { 'retry-after': '1' } })));
		const error = await syncRejection(fetchPage(makeDeps(feed), config(), { page: 1, limit: 10 }));
		expect(error.kind).toBe('rate-limited');
		expect(error.retryAfterMs).toBe(1000);
		expect(feed.requests).toHaveLength(5);
	});

	it.each([
		[401, 'auth', 'The server rejected the token (HTTP 401).'],
		[403, 'auth', 'The server rejected the token (HTTP 403).'],
		[404, 'http', 'No library sync endpoint at this URL (HTTP 404); check the server URL or update the server.'],
		[400, 'http', 'The server at books.example.com did not accept the request (HTTP 400); it may need an update.'],
		[410, 'http', 'The server at books.example.com refused the request (HTTP 410).'],
		[302, 'http', 'The server at books.example.com redirected the request (HTTP 302); use the final address (with https) as the server URL.'],
	])('does not retry HTTP %i', async (status, kind, message) => {
		const feed = feedWith({ kind: 'status', status });
		const deps = makeDeps(feed);
		const error = await syncRejection(fetchPage(deps, config(), { page: 1, limit: 10 }));
		expect(error.kind).toBe(kind);
		expect(error.status).toBe(status);
		expect(error.message).toBe(message);
		expect(feed.requests).toHaveLength(1);
		expect(deps.sleeps).toEqual([]);
	});

	it('maps a wrong token to auth without retrying', async () => {
		const feed = feedWith();
		const error = await syncRejection(fetchPage(makeDeps(feed), config({ token: 'wrong-token' }), { page: 1, limit: 10 }));
		expect(error.kind).toBe('auth');
		expect(error.tokenMissing).toBe(false);
		expect(feed.requests).toHaveLength(1);
	});

	it('says the server needs a token, not that it rejected one, when none was sent', async () => {
		const feed = feedWith({ kind: 'status', status: 401 });
		const error = await syncRejection(fetchPage(makeDeps(feed), config({ token: undefined }), { page: 1, limit: 10 }));
		expect(error.kind).toBe('auth');
		expect(error.tokenMissing).toBe(true);
		expect(error.message).toBe('The server at books.example.com needs a token (HTTP 401), and no token is set.');
	});

	it('treats an HTML 200 as a protocol error and does not retry', async () => {
		const feed = feedWith({ kind: 'html' });
		const deps = makeDeps(feed);
		const error = await syncRejection(fetchPage(deps, config(), { page: 1, limit: 10 }));
		expect(error.kind).toBe('protocol');
		expect(error.message).toMatch(/web page instead of library data/);
		expect(feed.requests).toHaveLength(1);
	});

	it('retries a 200 cut off before the end of its JSON like a 5xx, with the same back-off', async () => {
		const feed = feedWith({ kind: 'truncate' }, { kind: 'truncate' });
		const deps = makeDeps(feed);
		const retries: Array<{ attempt: number; kind: string; message: string }> = [];
		const page = await fetchPage({ ...deps, onRetry: ({ attempt, error }) => retries.push({ attempt, kind: error.kind, message: error.message }) }, config(), { page: 1, limit: 10 });
		expect(page.records).toHaveLength(3);
		expect(feed.requests).toHaveLength(3);
		expect(retries).toEqual([1, 2].map((attempt) => ({ attempt, kind: 'incomplete', message: 'The answer from books.example.com was cut off (incomplete JSON); try again later.' })));
		const fives = makeDeps(feedWith({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }));
		await fetchPage(fives, config(), { page: 1, limit: 10 });
		expect(deps.sleeps).toEqual(fives.sleeps);
	});

	it('gives up on a 200 cut off on every attempt after maxAttempts, in one sentence naming only the host', async () => {
		const feed = feedWith(...Array.from({ length: 5 }, (): Fault => ({ kind: 'truncate' })));
		const error = await syncRejection(fetchPage(makeDeps(feed), config(), { page: 1, limit: 10, since: '2024-01-01T00:00:00.000Z' }));
		expect(error.kind).toBe('incomplete');
		expect(error.message).toBe('The answer from books.example.com was cut off (incomplete JSON); try again later.');
		expect(feed.requests).toHaveLength(5);
	});

	it('does not retry a 200 that is complete JSON of the wrong shape, nor one damaged before its end', async () => {
		for (const body of ['{"error":"maintenance"}', '{"data":[1,]}', 'Service Unavailable']) {
			const feed = feedWith({ kind: 'body', body });
			const error = await syncRejection(fetchPage(makeDeps(feed), config(), { page: 1, limit: 10 }));
			expect(error.kind, body).toBe('protocol');
			expect(feed.requests, body).toHaveLength(1);
		}
	});

	it('treats an empty 204 as a protocol error and an empty 200 as a cut, never an empty library', async () => {
		const noContent = feedWith({ kind: 'status', status: 204, body: '' });
		expect((await syncRejection(fetchPage(makeDeps(noContent), config(), { page: 1, limit: 10 }))).kind).toBe('protocol');
		expect(noContent.requests).toHaveLength(1);
		const empty = feedWith(...Array.from({ length: 5 }, (): Fault => ({ kind: 'status', status: 200, body: '' })));
		expect((await syncRejection(fetchPage(makeDeps(empty), config(), { page: 1, limit: 10 }))).kind).toBe('incomplete');
		expect(empty.requests).toHaveLength(5);
	});

	it('accepts a body with a byte-order mark', async () => {
		const page = await fetchPage(makeDeps(feedWith({ kind: 'bom' })), config(), { page: 1, limit: 10 });
		expect(page.records).toHaveLength(3);
	});

	it('fails with config before any request for a bad base URL', async () => {
		const feed = feedWith();
		const error = await syncRejection(fetchPage(makeDeps(feed), config({ baseUrl: `https://books.example.com/?token=${TOKEN}` }), { page: 1, limit: 10 }));
		expect(error.kind).toBe('config');
		expect(error.message).not.toContain(TOKEN);
		expect(feed.requests).toHaveLength(0);
	});

	it('checks cancellation before the first attempt and before each wait', async () => {
		const feed = feedWith();
		const cancelledAtOnce = await syncRejection(fetchPage({ ...makeDeps(feed), signal: AbortSignal.abort() }, config(), { page: 1, limit: 10 }));
		expect(cancelledAtOnce.kind).toBe('cancelled');
		expect(feed.requests).toHaveLength(0);

		feed.fail({ kind: 'status', status: 503 });
		const deps = makeDeps(feed);
		const cancellation = new AbortController();
		const http = { get: (request: HttpRequest) => deps.http.get(request).finally(() => cancellation.abort()) };
		const cancelled = await syncRejection(fetchPage({ ...deps, http, signal: cancellation.signal }, config(), { page: 1, limit: 10 }));
		expect(cancelled.kind).toBe('cancelled');
		expect(feed.requests).toHaveLength(1);
		expect(deps.sleeps).toEqual([]);
	});

	it('checks cancellation after a wait, before the next attempt', async () => {
		const feed = feedWith({ kind: 'status', status: 503 });
		const deps = makeDeps(feed);
		const cancellation = new AbortController();
		const sleep = (ms: number): Promise<void> => deps.sleep(ms).finally(() => cancellation.abort());
		const error = await syncRejection(fetchPage({ ...deps, sleep, signal: cancellation.signal }, config(), { page: 1, limit: 10 }));
		expect(error.kind).toBe('cancelled');
		expect(feed.requests).toHaveLength(1);
	});

	it('ends a wait that would not end by itself (a Retry-After sleep, a request that never answers) as soon as it is cancelled', async () => {
		const never = (): Promise<never> => new Promise<never>(() => undefined);
		for (const stall of ['sleep', 'request'] as const) {
			const feed = feedWith({ kind: 'status', status: 429, headers: { 'retry-after': '120' } });
			const deps = makeDeps(feed);
			const cancellation = new AbortController();
			const seen: Array<AbortSignal | undefined> = [];
			const http = {
				get: (request: HttpRequest) => {
					seen.push(request.signal);
					return stall === 'request' ? never() : deps.http.get(request);
				},
			};
			const sleep = (_ms: number, signal?: AbortSignal): Promise<void> => {
				seen.push(signal);
				return never();
			};
			const pending = syncRejection(fetchPage({ ...deps, http, sleep, signal: cancellation.signal }, config(), { page: 1, limit: 10 }));
			await new Promise((resolve) => setTimeout(resolve, 5));
			cancellation.abort();
			expect((await pending).kind).toBe('cancelled');
			// The shells get the signal too, to free the socket or clear the timer.
			expect(seen.length).toBeGreaterThan(0);
			expect(seen.every((signal) => signal === cancellation.signal)).toBe(true);
		}
	});

	describe('never leaks the token', () => {
		const leaky = (status: number, headers: Record<string, string> = {}): Fault => ({
			kind: 'status',
			status,
			headers,
			body: `{"error":"bad token ${TOKEN}"}`,
		});
		const cases: Array<[string, Fault[]]> = [
			['401', [leaky(401)]],
			['403', [leaky(403)]],
			['404', [leaky(404)]],
			['400', [leaky(400)]],
			['500', Array.from({ length: 5 }, () => leaky(500))],
			['429', Array.from({ length: 5 }, () => leaky(429, { 'retry-after': TOKEN }))],
			['html', [{ kind: 'body', body: `<html>${TOKEN}</html>`, contentType: 'text/html' }]],
			['cut-off json', Array.from({ length: 5 }, (): Fault => ({ kind: 'body', body: `{"token":"${TOKEN}"` }))],
			['damaged json', [{ kind: 'body', body: `{"token":"${TOKEN}"}}` }]],
			['not the envelope', [{ kind: 'body', body: `{"error":"${TOKEN}"}` }]],
			['a transport echoing the token', Array.from({ length: 5 }, (): Fault => ({ kind: 'throw', error: new SyncError('network', `Failed with Authorization: Bearer ${TOKEN}.`) }))],
			['a foreign error', Array.from({ length: 5 }, (): Fault => ({ kind: 'throw', error: new Error(`socket hang up ${TOKEN}`) }))],
		];
		it.each(cases)('%s', async (_name, faults) => {
			const deps = makeDeps(feedWith(...faults));
			const seen: string[] = [];
			const error = await syncRejection(
				fetchPage({ ...deps, onRetry: (info) => seen.push(info.error.message) }, config(), { page: 1, limit: 10 }),
			);
			for (const message of [error.message, ...seen]) {
				expect(message).not.toContain(TOKEN);
				expect(message).not.toContain('?');
				expect(message).not.toMatch(/\n/);
			}
		});

		it('with a custom header and a Bearer-prefixed token', async () => {
			const feed = feedWith({ kind: 'throw', error: new SyncError('network', `echo ${TOKEN}`) }, leaky(401));
			const seen: string[] = [];
			const deps = { ...makeDeps(feed), onRetry: (info: { error: SyncError }) => seen.push(info.error.message) };
			const error = await syncRejection(fetchPage(deps, config({ token: `Bearer ${TOKEN}`, authHeader: 'X-Api-Key' }), { page: 1, limit: 10 }));
			expect(seen).toEqual(['echo [token]']);
			for (const message of [error.message, ...seen]) expect(message).not.toContain(TOKEN);
		});
	});

	it('reads headers as own properties only', async () => {
		const response: HttpResponse = { status: 429, headers: {}, body: '' };
		const deps = makeDeps({ get: () => Promise.resolve(response) }, { random: 0 });
		const error = await syncRejection(fetchPage(deps, config({ retry: { ...config().retry, maxAttempts: 2 } }), { page: 1, limit: 10 }));
		expect(error.retryAfterMs).toBeUndefined();
		expect(deps.sleeps).toEqual([50]);
	});
});
