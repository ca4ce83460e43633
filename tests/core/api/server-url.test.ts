import { describe, expect, it } from 'vitest';
import { resolveServerUrl } from '../../../src/core/api/server-url';
import { buildSyncUrl, SYNC_ENDPOINT_PATH } from '../../../src/core/api/sync-url';
import { decideCover } from '../../../src/core/covers/cover-policy';
import { coverUrl } from '../../../src/core/render/properties';
import { configError } from '../../sync-errors';

const ROOT = 'https://books.example.org';
const PREFIX = 'https://books.example.org/library';

describe('resolveServerUrl: the one resolver for server addresses', () => {
	it.each([
		// no prefix
		['/api/covers/bk_1.jpg', ROOT, 'https://books.example.org/api/covers/bk_1.jpg'],
		['api/covers/bk_1.jpg', ROOT, 'https://books.example.org/api/covers/bk_1.jpg'],
		// one prefix: a leading `/` is under it, like the server's own /api/library/sync
		['/api/covers/bk_1.jpg', PREFIX, 'https://books.example.org/library/api/covers/bk_1.jpg'],
		['covers/bk_1.jpg', PREFIX, 'https://books.example.org/library/covers/bk_1.jpg'],
		['  /covers/bk_1.jpg  ', PREFIX, 'https://books.example.org/library/covers/bk_1.jpg'],
		// a prefix with a trailing slash, or two levels, or a pasted feed URL
		['/covers/bk_1.jpg', `${PREFIX}/`, 'https://books.example.org/library/covers/bk_1.jpg'],
		['/covers/bk_1.jpg', `${PREFIX}//`, 'https://books.example.org/library/covers/bk_1.jpg'],
		['/covers/bk_1.jpg', 'https://books.example.org/a/b/', 'https://books.example.org/a/b/covers/bk_1.jpg'],
		['/covers/bk_1.jpg', `${PREFIX}/api/library/sync`, 'https://books.example.org/library/covers/bk_1.jpg'],
		// absolute, same origin: as it is (also outside the prefix)
		['https://books.example.org/library/covers/1.jpg', PREFIX, 'https://books.example.org/library/covers/1.jpg'],
		['https://books.example.org/elsewhere/1.jpg', PREFIX, 'https://books.example.org/elsewhere/1.jpg'],
		['HTTPS://Books.Example.org:443/x/1.png', PREFIX, 'https://books.example.org/x/1.png'],
		// absolute, another origin
		['https://cdn.example.net/covers/1.jpg', PREFIX, 'https://cdn.example.net/covers/1.jpg'],
		['http://books.example.org:8080/1.jpg', PREFIX, 'http://books.example.org:8080/1.jpg'],
		// protocol-relative: the server URL's scheme
		['//cdn.example.net/1.jpg', PREFIX, 'https://cdn.example.net/1.jpg'],
		['//cdn.example.net/1.jpg', 'http://127.0.0.1:8080/lib', 'http://cdn.example.net/1.jpg'],
		['\\\\cdn.example.net/1.jpg', PREFIX, 'https://cdn.example.net/1.jpg'],
		// `..` and `.` segments never climb above the prefix
		['/covers/../../../etc/passwd', PREFIX, 'https://books.example.org/library/etc/passwd'],
		['../../x.jpg', PREFIX, 'https://books.example.org/library/x.jpg'],
		['/a/./b/../c.jpg', PREFIX, 'https://books.example.org/library/a/c.jpg'],
		['/covers/%2e%2e/%2E%2E/%2e./.%2e/x.jpg', PREFIX, 'https://books.example.org/library/x.jpg'],
		['/covers\\..\\..\\x.jpg', PREFIX, 'https://books.example.org/library/x.jpg'],
		['/covers/..', PREFIX, 'https://books.example.org/library/'],
		['/covers/.\n./.\t./\r../x.jpg', PREFIX, 'https://books.example.org/library/x.jpg'],
		['/covers/..x/.y.jpg', PREFIX, 'https://books.example.org/library/covers/..x/.y.jpg'],
		// query strings (signed URLs) are kept, `..` in them is not a segment
		['/covers/1.jpg?v=3&sig=a%2Fb', PREFIX, 'https://books.example.org/library/covers/1.jpg?v=3&sig=a%2Fb'],
		['/covers/1.jpg?next=../../x', PREFIX, 'https://books.example.org/library/covers/1.jpg?next=../../x'],
		['?v=1', PREFIX, 'https://books.example.org/library/?v=1'],
		['/covers/1.jpg#frag', PREFIX, 'https://books.example.org/library/covers/1.jpg#frag'],
		// encoded characters stay encoded; raw ones are encoded
		['/covers/a%2Fb%20c.jpg', PREFIX, 'https://books.example.org/library/covers/a%2Fb%20c.jpg'],
		['/covers/Å b.jpg', PREFIX, 'https://books.example.org/library/covers/%C3%85%20b.jpg'],
		['/covers/1.jpg', 'https://books.example.org/B%C3%BCcher', 'https://books.example.org/B%C3%BCcher/covers/1.jpg'],
	])('%s against %s -> %s', (address, server, expected) => {
		expect(resolveServerUrl(address, server)?.href).toBe(expected);
	});

	it('gives nothing for blanks and invalid addresses, and throws for an unusable server URL', () => {
		expect(resolveServerUrl('   ', PREFIX)).toBeUndefined();
		expect(resolveServerUrl('http://[::1', PREFIX)).toBeUndefined();
		expect(configError(() => resolveServerUrl('/a.jpg', 'not a url')).message).toContain('not a valid address');
		expect(configError(() => resolveServerUrl('/a.jpg', '')).message).toContain('empty');
	});

	it('the feed URL, the cover download and the cover property agree on the prefix', () => {
		const feed = new URL(buildSyncUrl(PREFIX, { page: 1, limit: 10 }));
		expect(`${feed.origin}${feed.pathname}`).toBe(resolveServerUrl(SYNC_ENDPOINT_PATH, PREFIX)?.href);
		const expected = 'https://books.example.org/library/api/covers/bk_1.jpg';
		expect(decideCover('/api/covers/bk_1.jpg', PREFIX, false)).toEqual({ kind: 'fetch', url: expected, withToken: true });
		expect(coverUrl('/api/covers/bk_1.jpg', PREFIX)).toBe(expected);
	});
});
