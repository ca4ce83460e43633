import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, backoffDelay, isRetryable, parseRetryAfter, type RetryPolicy } from '../../../src/core/api/retry';
import { SyncError } from '../../../src/core/errors';

const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);

describe('isRetryable', () => {
	it('retries network errors, timeouts, rate limits, 408 and 5xx', () => {
		expect(isRetryable(new SyncError('network', 'x'))).toBe(true);
		expect(isRetryable(new SyncError('timeout', 'x'))).toBe(true);
		expect(isRetryable(new SyncError('rate-limited', 'x', { status: 429 }))).toBe(true);
		expect(isRetryable(new SyncError('http', 'x', { status: 429 }))).toBe(true);
		for (const status of [408, 500, 502, 503, 504, 599]) expect(isRetryable(new SyncError('http', 'x', { status }))).toBe(true);
	});

	it('retries a 2xx answer cut off before the end of its JSON, but not a complete one of the wrong shape', () => {
		expect(isRetryable(new SyncError('incomplete', 'x'))).toBe(true);
		expect(isRetryable(new SyncError('protocol', 'x'))).toBe(false);
	});

	it('never retries client errors, protocol, auth, config, io, cancelled or foreign errors', () => {
		for (const status of [400, 401, 403, 404, 410, 422, 301]) expect(isRetryable(new SyncError('http', 'x', { status }))).toBe(false);
		expect(isRetryable(new SyncError('http', 'x'))).toBe(false);
		for (const kind of ['auth', 'protocol', 'config', 'io', 'cancelled'] as const) {
			expect(isRetryable(new SyncError(kind, 'x', { status: 503 }))).toBe(false);
		}
		expect(isRetryable(new Error('boom'))).toBe(false);
		expect(isRetryable('network')).toBe(false);
		expect(isRetryable(undefined)).toBe(false);
	});
});

describe('parseRetryAfter', () => {
	it('reads delay-seconds', () => {
		expect(parseRetryAfter('120', NOW)).toBe(120_000);
		expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
		expect(parseRetryAfter('1.5', NOW)).toBe(1500);
	});

	it('reads HTTP dates in all three formats', () => {
		expect(parseRetryAfter('Fri, 01 Mar 2024 12:00:30 GMT', NOW)).toBe(30_000);
		expect(parseRetryAfter('Friday, 01-Mar-24 12:01:00 GMT', NOW)).toBe(60_000);
		expect(parseRetryAfter('Fri Mar  1 12:00:10 2024', NOW)).toBe(10_000);
	});

	it('gives 0 for a date in the past', () => {
		expect(parseRetryAfter('Thu, 29 Feb 2024 12:00:00 GMT', NOW)).toBe(0);
	});

	it('caps long waits', () => {
		expect(parseRetryAfter('86400', NOW)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
		expect(parseRetryAfter('86400', NOW, 10_000)).toBe(10_000);
		expect(parseRetryAfter('Sat, 02 Mar 2024 12:00:00 GMT', NOW, 60_000)).toBe(60_000);
	});

	it('gives undefined for anything else', () => {
		for (const value of [undefined, '', '  ', '-5', 'soon', '10s', 'Fri, 31 Feb 2024 12:00:00 GMT', 'Fri, 01 Mar 2024 25:00:00 GMT', '2024-03-01T12:00:30Z', 'Infinity']) {
			expect(parseRetryAfter(value, NOW)).toBeUndefined();
		}
	});
});

describe('backoffDelay', () => {
	const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

	it('grows exponentially with equal jitter', () => {
		expect(backoffDelay(1, policy, () => 0)).toBe(500);
		expect(backoffDelay(1, policy, () => 0.999_999)).toBe(1000);
		expect(backoffDelay(2, policy, () => 0)).toBe(1000);
		expect(backoffDelay(3, policy, () => 0.5)).toBe(3000);
		expect(backoffDelay(4, policy, () => 0)).toBe(4000);
	});

	it('is capped at maxDelayMs, even for huge attempt numbers', () => {
		expect(backoffDelay(10, policy, () => 0.999_999)).toBe(10_000);
		expect(backoffDelay(10_000, policy, () => 0.5)).toBe(7500);
	});

	it('honours Retry-After as a minimum, itself capped', () => {
		expect(backoffDelay(1, policy, () => 0.5, 7000)).toBe(7000);
		expect(backoffDelay(4, policy, () => 0.999_999, 100)).toBe(8000);
		expect(backoffDelay(1, policy, () => 0, 3_600_000)).toBe(60_000);
		expect(backoffDelay(1, policy, () => 0, 0)).toBe(500);
	});

	it('stays in range for a misbehaving random source', () => {
		expect(backoffDelay(1, policy, () => -1)).toBe(500);
		expect(backoffDelay(1, policy, () => 7)).toBe(1000);
	});
});
