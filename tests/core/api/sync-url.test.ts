import { describe, expect, it } from 'vitest';
import { buildSyncUrl, hostOf, normaliseBaseUrl } from '../../../src/core/api/sync-url';
import { configError } from '../../sync-errors';

describe('normaliseBaseUrl', () => {
	it.each([
		['https://books.example.com', 'https://books.example.com'],
		['https://books.example.com/', 'https://books.example.com'],
		['  https://books.example.com/library/  ', 'https://books.example.com/library'],
		['https://books.example.com/library//', 'https://books.example.com/library'],
		['http://192.168.1.10:8080', 'http://192.168.1.10:8080'],
		['HTTPS://Books.Example.COM/Library', 'https://books.example.com/Library'],
		['https://books.example.com/library/api/library/sync', 'https://books.example.com/library'],
		['https://books.example.com/api/library/sync/', 'https://books.example.com'],
	])('%s -> %s', (input, expected) => {
		expect(normaliseBaseUrl(input)).toBe(expected);
	});

	it.each([
		['', 'empty'],
		['books.example.com', 'not a valid address'],
		['ftp://books.example.com', 'http:// or https://'],
		['file:///etc/passwd', 'http:// or https://'],
		['javascript:alert(1)', 'http:// or https://'],
		['https://user:s3cret@books.example.com', 'user name or password'],
		['https://user@books.example.com', 'user name or password'],
		['https://books.example.com/?token=abc', 'query string'],
		['https://books.example.com/?', 'query string'],
		['https://books.example.com/#frag', 'fragment'],
		['https://books.example.com/#', 'fragment'],
	])('rejects %s', (input, fragment) => {
		const error = configError(() => normaliseBaseUrl(input));
		expect(error.message).toContain(fragment);
		// One sentence, and never an echo of the secrets in the URL.
		expect(error.message).not.toContain('s3cret');
		expect(error.message).not.toContain('token=abc');
		expect(error.message.trim().split(/[.;] [A-Z]/).length).toBe(1);
	});
});

describe('buildSyncUrl', () => {
	it('appends the endpoint, page and limit', () => {
		expect(buildSyncUrl('https://books.example.com', { page: 1, limit: 100 })).toBe(
			'https://books.example.com/api/library/sync?page=1&limit=100',
		);
	});

	it('keeps a path prefix, with or without trailing slash', () => {
		const expected = 'https://host.example/library/api/library/sync?page=3&limit=20';
		expect(buildSyncUrl('https://host.example/library', { page: 3, limit: 20 })).toBe(expected);
		expect(buildSyncUrl('https://host.example/library/', { page: 3, limit: 20 })).toBe(expected);
	});

	it('sends since as URL-encoded UTC', () => {
		const url = buildSyncUrl('https://h.example', { page: 2, limit: 100, since: '2024-03-01T12:00:00+02:00' });
		expect(url).toBe('https://h.example/api/library/sync?page=2&limit=100&since=2024-03-01T10%3A00%3A00.000Z');
		expect(new URL(url).searchParams.get('since')).toBe('2024-03-01T10:00:00.000Z');
	});

	it('reads a since without zone as UTC, and a date as midnight UTC', () => {
		expect(new URL(buildSyncUrl('https://h.example', { page: 1, limit: 1, since: '2024-03-01T10:00:00' })).searchParams.get('since')).toBe(
			'2024-03-01T10:00:00.000Z',
		);
		expect(new URL(buildSyncUrl('https://h.example', { page: 1, limit: 1, since: '2024-03-01' })).searchParams.get('since')).toBe(
			'2024-03-01T00:00:00.000Z',
		);
	});

	it('rejects bad pages, limits and cursors', () => {
		configError(() => buildSyncUrl('https://h.example', { page: 0, limit: 100 }));
		configError(() => buildSyncUrl('https://h.example', { page: 1.5, limit: 100 }));
		configError(() => buildSyncUrl('https://h.example', { page: 1, limit: 0 }));
		configError(() => buildSyncUrl('https://h.example', { page: 1, limit: Number.NaN }));
		configError(() => buildSyncUrl('https://h.example', { page: 1, limit: 10, since: 'yesterday' }));
		configError(() => buildSyncUrl('https://h.example', { page: 1, limit: 10, since: '2024-02-30T00:00:00Z' }));
		configError(() => buildSyncUrl('https://h.example?x=1', { page: 1, limit: 10 }));
	});
});

describe('hostOf', () => {
	it('gives the host and port only', () => {
		expect(hostOf('https://books.example.com:8443/library/api/library/sync?since=x')).toBe('books.example.com:8443');
		expect(hostOf('not a url')).toBe('the server');
	});
});
