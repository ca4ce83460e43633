import { describe, expect, it } from 'vitest';
import { decodePage, decodeRecord } from '../../../src/core/api/decode';
import { parseIsoInstant } from '../../../src/core/api/iso-date';
import type { BookRecord } from '../../../src/core/api/record';
import { SyncError } from '../../../src/core/errors';
import { thrownSyncError } from '../../sync-errors';

const envelope = (data: unknown[], pagination: Record<string, unknown> = { page: 1, limit: 100, total: data.length, totalPages: 1 }) =>
	JSON.stringify({ data, pagination, serverTime: '2024-03-01T12:00:00.000Z' });

const protocolError = (run: () => unknown): SyncError => thrownSyncError('protocol', run);

function record(raw: Record<string, unknown>): BookRecord {
	const result = decodeRecord({ id: 'b1', ...raw });
	if (!result.ok) throw new Error(result.reason);
	return result.record;
}

describe('decodePage', () => {
	it('decodes the envelope and its records', () => {
		const page = decodePage(envelope([{ id: 'a', title: 'Dune' }, { id: 'b' }]));
		expect(page.records.map((r) => r.id)).toEqual(['a', 'b']);
		expect(page.records[0]?.title).toBe('Dune');
		expect(page.pagination).toEqual({ page: 1, limit: 100, total: 2, totalPages: 1 });
		expect(page.serverTime).toBe('2024-03-01T12:00:00.000Z');
		expect(page.skipped).toEqual([]);
	});

	it('accepts pagination numbers sent as strings', () => {
		const page = decodePage(envelope([], { page: '2', limit: '20', total: '40', totalPages: '2' }));
		expect(page.pagination).toEqual({ page: 2, limit: 20, total: 40, totalPages: 2 });
	});

	it('accepts an empty library with zero pages', () => {
		const page = decodePage(envelope([], { page: 1, limit: 100, total: 0, totalPages: 0 }));
		expect(page.records).toEqual([]);
		expect(page.pagination.total).toBe(0);
	});

	it('tolerates a UTF-8 byte-order mark and surrounding whitespace', () => {
		const page = decodePage(`\uFEFF\n ${envelope([{ id: 'a' }])}\n`);
		expect(page.records).toHaveLength(1);
	});

	it('accepts valid JSON even when mislabelled as HTML', () => {
		expect(decodePage(envelope([{ id: 'a' }]), 'text/html').records).toHaveLength(1);
	});

	it('lists unusable records as skipped with their index', () => {
		const page = decodePage(envelope([{ id: 'a' }, null, { title: 'no id' }, 'text', [1], { id: '   ' }, { id: 7 }]));
		expect(page.records.map((r) => r.id)).toEqual(['a', '7']);
		expect(page.skipped.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
		for (const item of page.skipped) expect(item.reason).toMatch(/^the record /);
	});

	it.each([
		['<!DOCTYPE html><html><body>Sign in</body></html>', 'text/html'],
		['<html><body>502 Bad Gateway</body></html>', undefined],
		['\uFEFF  <html></html>', 'application/json'],
		['Please log in', 'text/html; charset=utf-8'],
		['<?xml version="1.0"?><error/>', 'application/xml'],
	])('rejects a web page %#', (body, contentType) => {
		const error = protocolError(() => decodePage(body, contentType));
		expect(error.message).toBe(
			'The server answered with a web page instead of library data; check the server URL (a proxy or login page may be in the way).',
		);
	});

	it('tells a body cut off before the end of its JSON (retried) from one that is damaged or complete (not retried)', () => {
		const body = envelope([{ id: 'a', title: 'Dune', description: 'Arrakis \\u00e9 "spice"' }, { id: 'b', pageCount: 412, rating: -1.5e3, owned: true, lost: null }]);
		// Every proper prefix that opens the object is a cut, whatever the content type.
		for (let end = 1; end < body.length; end++) {
			const error = thrownSyncError('incomplete', () => decodePage(body.slice(0, end), end % 2 === 0 ? 'application/json' : 'text/html', {}, { host: 'books.example.com', status: 200 }));
			expect(error.message).toBe('The answer from books.example.com was cut off (incomplete JSON); try again later.');
		}
		for (const damaged of [`${body}x`, `${body}{`, body.replace('"Dune"', 'Dune'), body.replace('"title"', "'title'"), `{"data":[1,]`, `{"data":[01`, '{"a":"\\x"', '{"a":"\\u12g', '{"a":tru,', '{,', '{"a" 1', '{"a":1}}', 'Service Unavailable', '[{"id":"a"}']) {
			const error = protocolError(() => decodePage(damaged, 'application/json', {}, { host: 'books.example.com', status: 200 }));
			expect(error.message, damaged).toBe('The server sent a response that is not valid JSON; check the server URL or update the server.');
		}
	});

	it('takes an empty 2xx for a cut, except a deliberate 204 or 205 (no content)', () => {
		for (const empty of ['', '   \n', '\uFEFF']) {
			expect(thrownSyncError('incomplete', () => decodePage(empty, 'application/json', {}, { host: 'books.example.com', status: 200 })).message).toMatch(/books\.example\.com was cut off/);
		}
		for (const status of [204, 205]) expect(protocolError(() => decodePage('', undefined, {}, { host: 'books.example.com', status })).message).toMatch(/empty response/);
	});

	it('refuses a body nested deeper than the feed ever is before parsing it, cut off or not, and does not retry it', () => {
		const deep = 'The server\'s answer is nested too deeply to be library sync data (over 64 levels); check the server URL or update the server.';
		for (const body of [`{"data":${'['.repeat(100_000)}`, `{"data":${'[{"a":'.repeat(50_000)}`, `{"data":[],"x":${'['.repeat(65)}${']'.repeat(65)}}`]) {
			expect(protocolError(() => decodePage(body, 'application/json', {}, { host: 'books.example.com', status: 200 })).message).toBe(deep);
		}
		// Brackets inside strings are text, not levels; a record with a few nested fields is fine.
		const page = decodePage(envelope([{ id: 'a', title: '['.repeat(1000), extra: { a: [{ b: [{ c: [1] }] }] } }]));
		expect(page.records.map((r) => r.title)).toEqual(['['.repeat(1000)]);
		expect(thrownSyncError('incomplete', () => decodePage(`{"data":${'['.repeat(60)}`)).kind).toBe('incomplete');
	});

	it('names "the server" in a cut-off message when it does not know the host', () => {
		expect(thrownSyncError('incomplete', () => decodePage('{"data":[')).message).toBe('The answer from the server was cut off (incomplete JSON); try again later.');
	});

	it('decodes a page without a usable serverTime: its records are kept, serverTime is undefined', () => {
		for (const serverTime of [undefined, null, '', 'now', 1709294400, '2024-13-01T00:00:00Z']) {
			const page = decodePage(JSON.stringify({ data: [{ id: 'a' }], pagination: { page: 1, limit: 1, total: 1, totalPages: 1 }, serverTime }));
			expect(page.records.map((r) => r.id), String(serverTime)).toEqual(['a']);
			expect(page.serverTime, String(serverTime)).toBeUndefined();
		}
	});

	it.each([
		['null', /not a JSON object/],
		['[]', /not a JSON object/],
		['"ok"', /not a JSON object/],
		['{}', /"data"/],
		[JSON.stringify({ data: {}, pagination: { page: 1, limit: 1, total: 0, totalPages: 0 }, serverTime: '2024-03-01T00:00:00Z' }), /"data"/],
		[JSON.stringify({ data: [], serverTime: '2024-03-01T00:00:00Z' }), /"pagination"/],
		[JSON.stringify({ data: [], pagination: [], serverTime: '2024-03-01T00:00:00Z' }), /"pagination"/],
		[JSON.stringify({ data: [], pagination: { page: 1, limit: 1, total: 0 }, serverTime: '2024-03-01T00:00:00Z' }), /totalPages/],
		[JSON.stringify({ data: [], pagination: { page: 0, limit: 1, total: 0, totalPages: 0 }, serverTime: '2024-03-01T00:00:00Z' }), /page/],
		[JSON.stringify({ data: [], pagination: { page: 1, limit: 0, total: 0, totalPages: 0 }, serverTime: '2024-03-01T00:00:00Z' }), /limit/],
		[JSON.stringify({ data: [], pagination: { page: 1, limit: 1, total: -1, totalPages: 0 }, serverTime: '2024-03-01T00:00:00Z' }), /total/],
		[JSON.stringify({ data: [], pagination: { page: 1, limit: 1, total: 1.5, totalPages: 1 }, serverTime: '2024-03-01T00:00:00Z' }), /total/],
		[JSON.stringify({ data: [], pagination: { page: 1, limit: 1, total: 'many', totalPages: 1 }, serverTime: '2024-03-01T00:00:00Z' }), /total/],
		[JSON.stringify({ error: 'Unauthorized' }), /"data"/],
	])('rejects a body that is not the envelope %#', (body, pattern) => {
		const error = protocolError(() => decodePage(body));
		expect(error.message).toMatch(pattern);
		expect(error.message).not.toMatch(/\n/);
	});

	it('does not read the envelope from the prototype chain', () => {
		const body = '{"__proto__":{"data":[],"pagination":{"page":1,"limit":1,"total":0,"totalPages":0},"serverTime":"2024-03-01T00:00:00Z"}}';
		protocolError(() => decodePage(body));
		expect(({} as Record<string, unknown>)['data']).toBeUndefined();
	});
});

describe('decodeRecord', () => {
	it('rejects non-objects and records without a usable id', () => {
		for (const raw of [null, undefined, 'b1', 42, true, [{ id: 'x' }]]) {
			const result = decodeRecord(raw);
			expect(result.ok).toBe(false);
		}
		for (const raw of [{}, { id: null }, { id: '' }, { id: '  ' }, { id: {} }, { id: [] }, { id: true }, { id: Number.NaN }, { id: Infinity }]) {
			expect(decodeRecord(raw)).toEqual({ ok: false, reason: 'the record has no id' });
		}
	});

	it('accepts ids as trimmed strings or finite numbers', () => {
		expect(record({ id: '  abc ' }).id).toBe('abc');
		expect(record({ id: 42 }).id).toBe('42');
		expect(record({ id: 0 }).id).toBe('0');
	});

	it('gives a minimal record for a bare id, with empty lists and nothing else', () => {
		expect(record({})).toEqual({ id: 'b1', genres: [], tags: [], files: [] });
		const defined = Object.entries(record({})).filter(([, value]) => value !== undefined);
		expect(defined.map(([key]) => key)).toEqual(['id', 'genres', 'tags', 'files']);
	});

	// One shape for every record (and every file, progress and uploader), so
	// the renderer's many reads of a record's fields stay monomorphic.
	it('gives every record the same keys in the same order, however many fields the server sent', () => {
		const bare = record({});
		const full = record({
			title: 'Dune', author: 'Frank Herbert', files: [{ format: 'epub' }, { id: 7, originalName: 'dune.pdf', fileSize: '12' }],
			progress: { percentage: 40 }, uploader: { label: 'Ann' },
		});
		const other = record({ progress: { status: 'finished', finishedAt: '2024-01-02T00:00:00Z', manuallySet: true }, uploader: 'Bob' });
		expect(Object.keys(full)).toEqual(Object.keys(bare));
		expect(Object.keys(other)).toEqual(Object.keys(bare));
		expect(Object.keys(full.files[0] ?? {})).toEqual(Object.keys(full.files[1] ?? {}));
		expect(Object.keys(full.progress ?? {})).toEqual(Object.keys(other.progress ?? {}));
		expect(Object.keys(full.uploader ?? {})).toEqual(['id', 'label']);
		expect(Object.keys(other.uploader ?? {})).toEqual(['id', 'label']);
	});

	it('turns missing and null fields into undefined, and trims strings', () => {
		const r = record({ title: '  Dune  ', author: null, publisher: '   ', description: '<p>Spice</p>', series: 'Dune ' });
		expect(r.title).toBe('Dune');
		expect(r.author).toBeUndefined();
		expect(r.publisher).toBeUndefined();
		expect(r.description).toBe('<p>Spice</p>');
		expect(r.series).toBe('Dune');
	});

	it('decodes a complete record', () => {
		const r = record({
			status: 'approved',
			title: 'Dune',
			author: 'Frank Herbert',
			isbn10: '0441013597',
			isbn13: 9780441013593,
			publisher: 'Ace',
			publishedYear: 1965,
			language: 'en',
			coverUrl: '/covers/b1.jpg',
			coverPath: 'covers/b1.jpg',
			pageCount: '896',
			series: 'Dune',
			seriesIndex: '1.5',
			genres: ['SF', ' Classic ', 'SF', '', null, 7],
			tags: 'favourite',
			hardcoverBookId: '312',
			hardcoverEditionId: 31_415,
			createdBy: 'u1',
			possibleDuplicateOf: 99,
			approvedAt: '2024-01-02T03:04:05Z',
			createdAt: '2024-01-01',
			updatedAt: '2024-01-03T10:00:00+02:00',
			files: [{ id: 'f1', format: 'EPUB', originalName: 'dune.epub', fileSize: '12345678901234567890' }],
			uploader: { id: 'u1', label: 'Alice' },
			progress: {
				percentage: 42.5,
				status: 'reading',
				lastDevice: 'Kobo',
				lastTimestamp: 1_709_294_400,
				startedAt: '2024-02-01',
				manuallySet: 'false',
				externallySet: true,
			},
		});
		expect(r).toEqual({
			id: 'b1',
			status: 'approved',
			title: 'Dune',
			author: 'Frank Herbert',
			isbn10: '0441013597',
			isbn13: '9780441013593',
			publisher: 'Ace',
			publishedYear: 1965,
			language: 'en',
			coverUrl: '/covers/b1.jpg',
			coverPath: 'covers/b1.jpg',
			pageCount: 896,
			series: 'Dune',
			seriesIndex: 1.5,
			genres: ['SF', 'Classic', '7'],
			tags: ['favourite'],
			hardcoverBookId: 312,
			hardcoverEditionId: 31_415,
			createdBy: 'u1',
			possibleDuplicateOf: '99',
			approvedAt: Date.UTC(2024, 0, 2, 3, 4, 5),
			createdAt: Date.UTC(2024, 0, 1),
			updatedAt: Date.UTC(2024, 0, 3, 8, 0, 0),
			files: [{ id: 'f1', format: 'EPUB', originalName: 'dune.epub', fileSize: '12345678901234567890' }],
			uploader: { id: 'u1', label: 'Alice' },
			progress: {
				percentage: 42.5,
				status: 'reading',
				lastDevice: 'Kobo',
				lastTimestamp: 1_709_294_400_000,
				startedAt: Date.UTC(2024, 1, 1),
				manuallySet: false,
				externallySet: true,
			},
		});
	});

	describe('integers', () => {
		it('accepts whole numbers and numeric strings', () => {
			expect(record({ publishedYear: '1965', pageCount: 300.0, hardcoverBookId: ' 12 ' })).toMatchObject({
				publishedYear: 1965,
				pageCount: 300,
				hardcoverBookId: 12,
			});
		});
		it('rejects fractions, junk, and non-positive counts and ids', () => {
			const r = record({ publishedYear: 1965.5, pageCount: 0, hardcoverBookId: -3, hardcoverEditionId: 'abc' });
			expect(r.publishedYear).toBeUndefined();
			expect(r.pageCount).toBeUndefined();
			expect(r.hardcoverBookId).toBeUndefined();
			expect(r.hardcoverEditionId).toBeUndefined();
			expect(record({ pageCount: '12 pages' }).pageCount).toBeUndefined();
			expect(record({ pageCount: 2 ** 60 }).pageCount).toBeUndefined();
		});
		it('takes the year of a date for publishedYear', () => {
			expect(record({ publishedYear: '1965-08-01' }).publishedYear).toBe(1965);
			expect(record({ publishedYear: '1965-08-01T00:00:00Z' }).publishedYear).toBe(1965);
			expect(record({ publishedYear: 'sixties' }).publishedYear).toBeUndefined();
		});
	});

	it('accepts a fractional seriesIndex from a number or a string', () => {
		expect(record({ seriesIndex: 2.5 }).seriesIndex).toBe(2.5);
		expect(record({ seriesIndex: '0.5' }).seriesIndex).toBe(0.5);
		expect(record({ seriesIndex: 0 }).seriesIndex).toBe(0);
		expect(record({ seriesIndex: 'one' }).seriesIndex).toBeUndefined();
		expect(record({ seriesIndex: true }).seriesIndex).toBeUndefined();
	});

	it('reads booleans from booleans, "true"/"false" and 1/0', () => {
		const read = (value: unknown) => record({ progress: { manuallySet: value } }).progress?.manuallySet;
		expect(read(true)).toBe(true);
		expect(read(false)).toBe(false);
		expect(read('true')).toBe(true);
		expect(read(' FALSE ')).toBe(false);
		expect(read(1)).toBe(true);
		expect(read('0')).toBe(false);
		expect(read('yes')).toBeUndefined();
		expect(read(2)).toBeUndefined();
		expect(read(null)).toBeUndefined();
	});

	describe('percentage', () => {
		const pct = (percentage: unknown, extra: Record<string, unknown> = {}) =>
			record({ progress: { percentage, ...extra } }).progress?.percentage;

		it('keeps 0..100 values, rounded to two decimals', () => {
			expect(pct(0)).toBe(0);
			expect(pct(42)).toBe(42);
			expect(pct(42.123456)).toBe(42.12);
			expect(pct(100)).toBe(100);
			expect(pct('57.5')).toBe(57.5);
			expect(pct(1.5)).toBe(1.5);
		});
		it('scales fractions strictly between 0 and 1', () => {
			expect(pct(0.5)).toBe(50);
			expect(pct(0.29)).toBe(29);
			expect(pct(0.285)).toBe(28.5);
			expect(pct(0.123456)).toBe(12.35);
			expect(pct('0.75')).toBe(75);
			expect(pct(0.999)).toBe(99.9);
		});
		it('reads exactly 1 as 100 only when the book is evidently finished', () => {
			expect(pct(1)).toBe(1);
			expect(pct(1, { status: 'reading' })).toBe(1);
			expect(pct(1, { status: 'finished' })).toBe(100);
			expect(pct(1, { status: 'Completed' })).toBe(100);
			expect(pct(1, { finishedAt: '2024-02-01T00:00:00Z' })).toBe(100);
			expect(pct(1, { finishedAt: 'not a date' })).toBe(1);
		});
		it('clamps to 0..100', () => {
			expect(pct(-5)).toBe(0);
			expect(pct(250)).toBe(100);
			expect(pct(100.0001)).toBe(100);
		});
		it('ignores non-numbers', () => {
			expect(pct('half')).toBeUndefined();
			expect(pct(null)).toBeUndefined();
			expect(pct(Number.NaN)).toBeUndefined();
		});
		it('honours an explicit scale', () => {
			const decode = (percentage: unknown, percentageScale: 'fraction' | 'percent') => {
				const result = decodeRecord({ id: 'x', progress: { percentage } }, { percentageScale });
				return result.ok ? result.record.progress?.percentage : undefined;
			};
			expect(decode(1, 'fraction')).toBe(100);
			expect(decode(0.005, 'fraction')).toBe(0.5);
			expect(decode(0.5, 'percent')).toBe(0.5);
			expect(decode(1, 'percent')).toBe(1);
		});
	});

	describe('lastTimestamp', () => {
		const ts = (value: unknown) => record({ progress: { lastTimestamp: value } }).progress?.lastTimestamp;
		it('reads seconds (below 1e11) and milliseconds', () => {
			expect(ts(1_709_294_400)).toBe(1_709_294_400_000);
			expect(ts(1_709_294_400_123)).toBe(1_709_294_400_123);
			expect(ts(1_709_294_400.5)).toBe(1_709_294_400_500);
			expect(ts('1709294400')).toBe(1_709_294_400_000);
			expect(ts(99_999_999_999)).toBe(99_999_999_999_000);
			expect(ts(100_000_000_000)).toBe(100_000_000_000);
		});
		it('accepts an ISO string and rejects junk, zero and negatives', () => {
			expect(ts('2024-03-01T12:00:00Z')).toBe(Date.UTC(2024, 2, 1, 12));
			expect(ts(0)).toBeUndefined();
			expect(ts(-1)).toBeUndefined();
			expect(ts('soon')).toBeUndefined();
			expect(ts(1e20)).toBeUndefined();
		});
	});

	describe('instants', () => {
		const at = (value: unknown) => record({ createdAt: value }).createdAt;
		it('reads every ISO form, no zone meaning UTC', () => {
			expect(at('2024-03-01T12:34:56Z')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56));
			expect(at('2024-03-01T12:34:56.789Z')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56, 789));
			expect(at('2024-03-01T12:34:56.789123456Z')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56, 789));
			expect(at('2024-03-01T12:34:56')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56));
			expect(at('2024-03-01 12:34:56')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56));
			expect(at('2024-03-01T12:34')).toBe(Date.UTC(2024, 2, 1, 12, 34));
			expect(at('2024-03-01T12:34:56+02:00')).toBe(Date.UTC(2024, 2, 1, 10, 34, 56));
			expect(at('2024-03-01T12:34:56-0530')).toBe(Date.UTC(2024, 2, 1, 18, 4, 56));
			expect(at('2024-03-01T12:34:56+02')).toBe(Date.UTC(2024, 2, 1, 10, 34, 56));
			expect(at('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
			expect(at('20240301T123456Z')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56));
			expect(at('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
			expect(at('2024-03-01T24:00:00Z')).toBe(Date.UTC(2024, 2, 2));
		});
		it('reads epoch numbers too', () => {
			expect(at(1_709_294_400)).toBe(1_709_294_400_000);
			expect(at(1_709_294_400_000)).toBe(1_709_294_400_000);
			expect(at('1709294400')).toBe(1_709_294_400_000);
		});
		it('gives undefined for invalid dates', () => {
			for (const value of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-03-01T25:00:00Z', '2024-03-01T12:60:00Z', 'March 1, 2024', 'yesterday', '', 'Invalid Date', true, {}, null]) {
				expect(at(value)).toBeUndefined();
			}
		});
		it('never depends on the local time zone', () => {
			expect(parseIsoInstant('2024-07-01T00:00:00')).toBe(Date.UTC(2024, 6, 1));
			expect(parseIsoInstant('0050-01-01')).toBe(-60_589_296_000_000);
		});
	});

	describe('lists', () => {
		it('trims, drops empties and duplicates, keeps order', () => {
			expect(record({ genres: [' Fantasy', 'Fantasy ', '', '  ', 'Epic', null, {}, ['x']] }).genres).toEqual(['Fantasy', 'Epic']);
		});
		it('takes a single string as one item', () => {
			expect(record({ tags: 'to-read, owned' }).tags).toEqual(['to-read, owned']);
			expect(record({ tags: '  ' }).tags).toEqual([]);
			expect(record({ tags: null }).tags).toEqual([]);
			expect(record({ tags: { a: 1 } }).tags).toEqual([]);
		});
	});

	describe('files', () => {
		it('keeps file sizes as digit strings', () => {
			const files = record({
				files: [
					{ id: 'f1', format: '.PDF', fileSize: 1024 },
					{ id: 2, format: 'epub', fileSize: '0001024' },
					{ format: 'mobi', fileSize: 1.5 },
					{ format: 'cbz', fileSize: -4 },
					{ format: 'm4b', fileSize: 2 ** 60 },
					{ format: 'azw3', fileSize: '12 MB' },
					{},
					null,
					'x.epub',
				],
			}).files;
			expect(files).toEqual([
				{ id: 'f1', format: '.PDF', fileSize: '1024' },
				{ id: '2', format: 'epub', fileSize: '1024' },
				{ format: 'mobi' },
				{ format: 'cbz' },
				{ format: 'm4b' },
				{ format: 'azw3' },
			]);
		});
		it('accepts a single file object and ignores other shapes', () => {
			expect(record({ files: { format: 'epub', fileSize: '0' } }).files).toEqual([{ format: 'epub', fileSize: '0' }]);
			expect(record({ files: 'dune.epub' }).files).toEqual([]);
		});
	});

	it('reads the uploader as an object or a label', () => {
		expect(record({ uploader: { id: 7, label: ' Alice ' } }).uploader).toEqual({ id: '7', label: 'Alice' });
		expect(record({ uploader: 'Bob' }).uploader).toEqual({ label: 'Bob' });
		expect(record({ uploader: {} }).uploader).toBeUndefined();
		expect(record({ uploader: null }).uploader).toBeUndefined();
	});

	it('treats missing, null and empty progress as undefined', () => {
		expect(record({}).progress).toBeUndefined();
		expect(record({ progress: null }).progress).toBeUndefined();
		expect(record({ progress: {} }).progress).toBeUndefined();
		expect(record({ progress: { percentage: null, status: '' } }).progress).toBeUndefined();
		expect(record({ progress: 'reading' }).progress).toBeUndefined();
	});

	it('cannot be made to pollute prototypes', () => {
		const raw: unknown = JSON.parse(
			'{"id":"x","__proto__":{"polluted":true,"title":"Evil"},"constructor":{"prototype":{"polluted":true}},' +
				'"progress":{"__proto__":{"percentage":50}},"uploader":{"__proto__":{"label":"Evil"}},"files":[{"__proto__":{"format":"exe"}}]}',
		);
		const result = decodeRecord(raw);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.record.title).toBeUndefined();
		expect(result.record.progress).toBeUndefined();
		expect(result.record.uploader).toBeUndefined();
		expect(result.record.files).toEqual([]);
		expect(Object.getPrototypeOf(result.record)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
		const defined = Object.entries(result.record).filter(([, value]) => value !== undefined);
		expect(defined.map(([key]) => key)).toEqual(['id', 'genres', 'tags', 'files']);
	});

	it('never reads inherited members such as constructor or toString', () => {
		const result = decodeRecord(JSON.parse('{"id":"x"}'));
		expect(result.ok && result.record.status).toBeUndefined();
		const viaInherited = decodeRecord(Object.create({ id: 'inherited' }) as unknown);
		expect(viaInherited.ok).toBe(false);
	});
});
