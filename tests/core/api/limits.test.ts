import { describe, expect, it } from 'vitest';
import { MAX_COVER_BYTES, MAX_FEED_BYTES, declaresOverCap, formatBytes, tooLargeError } from '../../../src/core/api/limits';

describe('the byte caps both shells apply', () => {
	it('are 32 MB for a decoded feed answer and 10 MB for a cover', () => {
		expect(MAX_FEED_BYTES).toBe(32 * 1024 * 1024);
		expect(MAX_COVER_BYTES).toBe(10 * 1024 * 1024);
	});

	it('trust a declared Content-Length only for a body that is not compressed', () => {
		expect(declaresOverCap({ 'content-length': '1001' }, 1000)).toBe(true);
		expect(declaresOverCap({ 'content-length': '1001', 'content-encoding': 'identity' }, 1000)).toBe(true);
		expect(declaresOverCap({ 'content-length': '1000' }, 1000)).toBe(false);
		expect(declaresOverCap({ 'content-length': '1001', 'content-encoding': 'gzip' }, 1000)).toBe(false);
		expect(declaresOverCap({ 'content-length': 'lots' }, 1000)).toBe(false);
		expect(declaresOverCap({}, 1000)).toBe(false);
	});

	it('say "too large" in one sentence naming the origin only', () => {
		const feed = tooLargeError('feed', 'https://books.example.com/prefix/api/library/sync?page=2&token=secret', MAX_FEED_BYTES);
		expect([feed.kind, feed.message]).toEqual(['protocol', 'The answer from the server at https://books.example.com was too large (over 32 MB decoded); refused.']);
		expect(tooLargeError('cover', 'http://127.0.0.1:8080/covers/a.jpg', MAX_COVER_BYTES).message).toBe('The cover from the server at http://127.0.0.1:8080 was too large (over 10 MB); refused.');
		expect(tooLargeError('cover', 'not a url', 1024).message).toBe('The cover from the server was too large (over 1 KB); refused.');
	});

	it('write a cap as a person reads it', () => {
		expect([formatBytes(1024), formatBytes(100_000), formatBytes(1.5 * 1024 * 1024), formatBytes(32 * 1024 * 1024)]).toEqual(['1 KB', '98 KB', '1.5 MB', '32 MB']);
	});
});
