/**
 * Misbehaving servers through the built CLI: the walk must stay complete
 * (or fail honestly, without advancing the cursor), never loop, and never
 * take a broken answer for "an empty library". README, Guarantees: complete and honest; docs/api.md.
 */
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import type { RawBook } from '../server/raw-book';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { lines, notesById, only, parseReport, readState, syncCli } from './helpers';
import { envelope, honestPages, startRawServer, type RawServer } from './raw-server';

const TOKEN = 'protocol-token-8080';
const books = (count: number, prefix = 'p'): RawBook[] =>
	Array.from({ length: count }, (_, i) => ({ id: `${prefix}${String(i + 1).padStart(2, '0')}`, title: `Book ${String(i + 1).padStart(2, '0')}`, updatedAt: '2024-01-01T00:00:00Z' }));

describe('protocol oddities: reference server', () => {
	let server: ReferenceServer;
	let vault: string;
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('total changing mid-walk (a book added before page 2, one removed before page 3): re-walks and ends with every book exactly once', async () => {
		server = await startReferenceServer({ books: books(10), token: TOKEN });
		server.beforePage(2, () => server.mutate.add({ id: 'p00', title: 'Aardvark first', updatedAt: '2024-01-01T00:00:00Z' }));
		server.beforePage(3, () => server.mutate.remove('p05'));
		const report = parseReport((await syncCli(server.url, vault, TOKEN, '--json', '--limit', '3')).stdout);
		expect(report.ok).toBe(true);
		expect(report.rewalks).toBeGreaterThan(0);
		const notes = await notesById(vault);
		for (const book of server.books()) only(notes, book.id);
		expect(notes.get('p05')).toHaveLength(1);
	});

	it('a server that ignores limit (serves 4 per page when asked for 2): follows its page size, every book once', async () => {
		server = await startReferenceServer({ books: books(10), token: TOKEN, ignoreLimit: 4 });
		const result = await syncCli(server.url, vault, TOKEN, '--json', '--limit', '2');
		const report = parseReport(result.stdout);
		expect(report.ok).toBe(true);
		expect(server.requests).toHaveLength(3);
		expect((await notesById(vault)).size).toBe(10);
	});

	it('a UTF-8 byte-order mark before the JSON is ignored', async () => {
		server = await startReferenceServer({ books: books(3), token: TOKEN });
		server.faults.push({ kind: 'bom' });
		expect((await syncCli(server.url, vault, TOKEN)).code).toBe(0);
		expect((await notesById(vault)).size).toBe(3);
	});

	it('a 200 with an HTML login page: exit 1, one sentence naming a web page, no note, no cursor', async () => {
		server = await startReferenceServer({ books: books(3), token: TOKEN });
		server.faults.push({ kind: 'html' });
		const result = await syncCli(server.url, vault, TOKEN);
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toMatch(/web page/);
		expect((await notesById(vault)).size).toBe(0);
		expect((await readState(vault)).cursor).toBeUndefined();
	});

	it('truncated JSON on page 2 (a 200 cut in half, once): retried like a 5xx, every book written, the cursor advanced', async () => {
		server = await startReferenceServer({ books: books(6), token: TOKEN });
		// Queued while page 1 is being answered: the next request (page 2) is cut in half.
		server.beforePage(1, () => server.faults.push({ kind: 'truncate' }));
		const first = await syncCli(server.url, vault, TOKEN, '--limit', '3', '--json');
		expect(first.code).toBe(0);
		const report = parseReport(first.stdout);
		expect(report.pages).toBe(2);
		expect(report.requests).toBe(3);
		expect((await readState(vault)).cursor).toBeDefined();
		expect((await notesById(vault)).size).toBe(6);
	});

	it('serverTime earlier than the cursor (server clock went back): the next incremental run still picks up a change', async () => {
		let clock = Date.parse('2025-06-01T12:00:00Z');
		server = await startReferenceServer({ books: books(3), token: TOKEN, now: () => clock });
		expect((await syncCli(server.url, vault, TOKEN)).code).toBe(0);
		clock -= 3 * 3_600_000;
		server.mutate.setProgress('p02', { percentage: 33 });
		expect((await syncCli(server.url, vault, TOKEN)).code).toBe(0);
		clock += 60_000;
		server.mutate.setProgress('p03', { percentage: 44 });
		expect((await syncCli(server.url, vault, TOKEN)).code).toBe(0);
		const notes = await notesById(vault);
		expect(only(notes, 'p03').data.progress).toBe(44);
	});
});

describe('protocol oddities: a hand-written server', () => {
	let raw: RawServer;
	let vault: string;
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await raw.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('a server that ignores page (always serves page 1): stops without looping, exit 1 "changed too much", no duplicate notes, no cursor', async () => {
		const all = books(6);
		raw = await startRawServer(({ page, limit }) => ({ body: envelope(all.slice(0, limit), { page, limit, total: all.length }) }));
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2');
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/changed too much/);
		expect(raw.requests.length).toBeLessThan(20);
		const notes = await notesById(vault);
		for (const [, found] of notes) expect(found).toHaveLength(1);
		expect((await readState(vault)).cursor).toBeUndefined();
	});

	it('an id repeated on one page and across pages: one note per id, and the walk is unclean so the cursor does not move', async () => {
		const a = { id: 'dup-a', title: 'Dup A' };
		const b = { id: 'dup-b', title: 'Dup B' };
		raw = await startRawServer(({ page, limit }) => ({
			body: envelope(page === 1 ? [a, a] : [a, b], { page, limit, total: 4, totalPages: 2 }),
		}));
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2');
		expect(result.code).toBe(1);
		const notes = await notesById(vault);
		expect(only(notes, 'dup-a').path).toBe('Books/Dup A.md');
		expect(only(notes, 'dup-b').path).toBe('Books/Dup B.md');
		expect((await readState(vault)).cursor).toBeUndefined();
	});

	it('an empty page before the end (page 2 of 3 empty): unclean, re-walked, exit 1 without a cursor, pages 1 and 3 applied', async () => {
		const all = books(6);
		raw = await startRawServer(({ page, limit }) => ({
			body: envelope(page === 2 ? [] : all.slice((page - 1) * limit, page * limit), { page, limit, total: 6 }),
		}));
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2');
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/changed too much/);
		expect((await notesById(vault)).has('p01')).toBe(true);
		expect((await readState(vault)).cursor).toBeUndefined();
	});

	it('totalPages understated (5 books, limit 2, totalPages 2): the page past totalPages is fetched, every book arrives', async () => {
		const all = books(5);
		raw = await startRawServer(({ page, limit }) => ({
			body: envelope(all.slice((page - 1) * limit, page * limit), { page, limit, total: 5, totalPages: 2 }),
		}));
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2');
		expect(result.code).toBe(0);
		expect((await notesById(vault)).size).toBe(5);
		expect(raw.requests.map((request) => request.page)).toEqual([1, 2, 3]);
	});

	it('a server announcing 2 pages but answering page 3 too is never asked for page 3', async () => {
		const all = books(4);
		raw = await startRawServer(honestPages([...all, ...books(4, 'q')].slice(0, 4)));
		const result = await syncCli(raw.url, vault, undefined, '--limit', '2');
		expect(result.code).toBe(0);
		expect(raw.requests.map((request) => request.page)).toEqual([1, 2]);
	});

	it('serverTime missing: the books are written, exit 0, no cursor, one warning that names serverTime', async () => {
		raw = await startRawServer(({ page, limit }) => ({ body: envelope(books(2), { page, limit, total: 2 }, null) }));
		const result = await syncCli(raw.url, vault, undefined, '--json');
		expect(result.code).toBe(0);
		expect(parseReport(result.stdout).warnings).toEqual([expect.stringMatching(/serverTime/)]);
		expect((await notesById(vault)).size).toBe(2);
		expect((await readState(vault)).cursor).toBeUndefined();
	});

	it('serverTime malformed ("yesterday", a number): the books are written, exit 0, no cursor', async () => {
		for (const serverTime of ['yesterday', 1717243200]) {
			raw = await startRawServer(({ page, limit }) => ({ body: envelope(books(2), { page, limit, total: 2 }, serverTime) }));
			const result = await syncCli(raw.url, vault, undefined);
			expect(result.code, String(serverTime)).toBe(0);
			expect(result.stderr, String(serverTime)).toMatch(/serverTime/);
			expect((await notesById(vault)).size, String(serverTime)).toBe(2);
			expect((await readState(vault)).cursor).toBeUndefined();
			await raw.stop();
		}
		raw = await startRawServer(honestPages([]));
	});

	it('__proto__ as a page key and a record key, with "constructor" envelope noise: ignored, records applied', async () => {
		const body = '{"__proto__":{"data":[]},"constructor":1,"data":[{"id":"pp1","title":"Proto Page","__proto__":{"id":"evil"}}],"pagination":{"page":1,"limit":100,"total":1,"totalPages":1},"serverTime":"2025-06-01T12:00:00Z"}';
		raw = await startRawServer(() => ({ body }));
		const result = await syncCli(raw.url, vault, undefined);
		expect(result.code).toBe(0);
		expect(only(await notesById(vault), 'pp1').data.title).toBe('Proto Page');
		expect((await notesById(vault)).has('evil')).toBe(false);
	});

	it('a record that is null, a string or has no id: the others are written, the run says which were skipped and keeps the cursor', async () => {
		raw = await startRawServer(({ page, limit }) => ({ body: envelope([null, 'book', { title: 'No id' }, { id: 'ok1', title: 'Fine' }], { page, limit, total: 4 }) }));
		const result = await syncCli(raw.url, vault, undefined, '--json');
		const report = parseReport(result.stdout);
		expect(report.ok).toBe(false);
		expect(report.failures.map((failure) => failure.reason).join(' ')).toMatch(/skipped.*null.*skipped.*skipped.*no id/s);
		expect(only(await notesById(vault), 'ok1').data.title).toBe('Fine');
		expect((await readState(vault)).cursor).toBeUndefined();
	});
});
