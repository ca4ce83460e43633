/**
 * The engine writes several notes of a page at once while it plans the
 * next books in feed order. These tests hold the writes on a slow fake disk
 * to prove what that must never change: names claimed in feed order, a
 * failed write failing only its book, a repeated id seeing its first copy's
 * write, and no write left running when a run ends.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/core/ports';
import { runSync, type EngineConfig, type EngineDeps } from '../../../src/core/sync/engine';
import { readNoteId } from '../../../src/core/sync/merge';
import { testEngineConfig } from '../../fakes/engine-config';
import { MemoryNoteStore, MemoryStateStore } from '../../fakes/memory-note-store';
import type { RawBook } from '../../server/raw-book';

const SERVER = 'http://127.0.0.1:9';
const NOW = Date.parse('2026-01-01T00:00:00Z');

/** Serves `books` in this order, `limit` to a page, exactly as the contract says. */
class CannedFeed implements HttpTransport {
	requests = 0;
	constructor(private readonly books: RawBook[]) {}

	async get(request: HttpRequest): Promise<HttpResponse> {
		this.requests += 1;
		const url = new URL(request.url);
		const page = Number(url.searchParams.get('page'));
		const limit = Number(url.searchParams.get('limit'));
		const data = this.books.slice((page - 1) * limit, page * limit);
		const total = this.books.length;
		const body = { data, pagination: { page, limit, total, totalPages: Math.ceil(total / limit) }, serverTime: '2025-12-31T23:00:00.000Z' };
		return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
	}
}

function book(id: string, title: string, extra: Partial<RawBook> = {}): RawBook {
	return { id, title, author: 'Jane Austen', updatedAt: '2024-01-01T00:00:00Z', ...extra };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the write pipeline', () => {
	let notes: MemoryNoteStore;
	let state: MemoryStateStore;
	let cancellation: AbortController;
	let onBook: () => void;

	const deps = (feed: HttpTransport): EngineDeps => ({
		http: feed,
		notes,
		state,
		clock: { now: () => NOW },
		sleep: async () => undefined,
		random: () => 0.5,
		signal: cancellation.signal,
		onEvent: (event) => {
			if (event.type === 'book') onBook();
		},
	});
	const config = (extra: Partial<EngineConfig> = {}): EngineConfig => testEngineConfig(SERVER, { pageSize: 50, ...extra });
	const owners = (store: MemoryNoteStore): Record<string, string | undefined> =>
		Object.fromEntries([...store.files].map(([path, text]) => [path, readNoteId(text, 'book_id')]));

	beforeEach(() => {
		notes = new MemoryNoteStore();
		state = new MemoryStateStore();
		cancellation = new AbortController();
		onBook = () => undefined;
	});

	it('writes several notes at once, at most 16, and every write has settled when the run ends', async () => {
		const books = Array.from({ length: 120 }, (_, i) => book(`b${String(i).padStart(3, '0')}`, `Book ${i}`));
		notes.latency = () => sleep(2);
		const report = await runSync(deps(new CannedFeed(books)), config());
		expect(report.ok).toBe(true);
		expect(report.counts.created).toBe(120);
		expect(notes.maxInFlight).toBeGreaterThan(1);
		expect(notes.maxInFlight).toBeLessThanOrEqual(16);
		expect(notes.inFlight).toBe(0);
		expect(notes.files.size).toBe(120);
	});

	it('claims names in feed order, whatever order the writes finish in', async () => {
		// Five books want "Emma.md"; the disk finishes the later ones first.
		const books = [book('e5', 'Emma'), book('e1', 'Emma'), book('x', 'Persuasion'), book('e3', 'emma'), book('e2', 'EMMA'), book('e4', 'Emma')];
		const instant = new MemoryNoteStore();
		notes = instant;
		await runSync(deps(new CannedFeed(books)), config());

		notes = new MemoryNoteStore();
		state = new MemoryStateStore();
		let order = 0;
		notes.latency = () => sleep(20 - 3 * order++);
		await runSync(deps(new CannedFeed(books)), config());
		expect(owners(notes)).toEqual(owners(instant));
		expect(owners(notes)['Books/Emma.md']).toBe('e5');
		expect(notes.files.size).toBe(6);
	});

	it('a failed write fails only its book; the others are written and the cursor stays', async () => {
		const books = Array.from({ length: 30 }, (_, i) => book(`b${i}`, `Book ${i}`));
		notes.latency = () => sleep(1);
		notes.failWrites.add('Books/Book 7.md');
		const report = await runSync(deps(new CannedFeed(books)), config());
		expect(report.ok).toBe(false);
		expect(report.failures.map((failure) => failure.id)).toEqual(['b7']);
		expect(report.counts).toMatchObject({ created: 29, failed: 1 });
		expect(report.changes.map((change) => change.id)).not.toContain('b7');
		expect(notes.files.size).toBe(29);
		expect(state.state.cursor).toBeUndefined();

		notes.failWrites.clear();
		const again = await runSync(deps(new CannedFeed(books)), config());
		expect(again.ok).toBe(true);
		expect(again.counts).toMatchObject({ created: 1, unchanged: 29 });
	});

	it('an id repeated on a page is applied after its first copy was written, never twice as a new note', async () => {
		const books = [book('b1', 'Emma', { progress: { percentage: 10 } }), book('b2', 'Persuasion'), book('b1', 'Emma', { progress: { percentage: 60 } })];
		notes.latency = () => sleep(5);
		const report = await runSync(deps(new CannedFeed(books)), config());
		expect(Object.keys(owners(notes)).sort()).toEqual(['Books/Emma.md', 'Books/Persuasion.md']);
		expect(notes.files.get('Books/Emma.md')).toMatch(/^progress: 60$/m);
		expect(report.changes.filter((change) => change.id === 'b1')).toHaveLength(1);
	});

	it('a cancelled run leaves no write running once it has returned', async () => {
		const books = Array.from({ length: 100 }, (_, i) => book(`b${i}`, `Book ${i}`));
		notes.latency = () => sleep(3);
		let done = 0;
		onBook = () => {
			if (++done === 40) cancellation.abort();
		};
		const report = await runSync(deps(new CannedFeed(books)), config({ pageSize: 100 }));
		expect(report.error?.kind).toBe('cancelled');
		expect(notes.inFlight).toBe(0);
		const written = notes.writes;
		expect(written).toBeGreaterThan(0);
		expect(written).toBeLessThan(100);
		await sleep(50);
		expect(notes.writes).toBe(written);
		expect(state.state.cursor).toBeUndefined();
	});

	it('gives the host a turn between any two books it renders, and in the passes over the whole library at the end', async () => {
		// The host's breather asks for a turn at every call (its budget always spent): every book
		// must then be planned in a slice of its own, never several in one task.
		const books = Array.from({ length: 120 }, (_, i) => book(`b${String(i).padStart(3, '0')}`, `Book ${i}`));
		let writesSinceBreath = 0;
		let mostWritesBetweenBreaths = 0;
		let breaths = 0;
		notes.latency = async () => {
			writesSinceBreath += 1;
			mostWritesBetweenBreaths = Math.max(mostWritesBetweenBreaths, writesSinceBreath);
		};
		const breathe = async (): Promise<void> => {
			breaths += 1;
			writesSinceBreath = 0;
		};
		const first = await runSync({ ...deps(new CannedFeed(books)), breathe }, config());
		expect(first.counts.created).toBe(120);
		expect(mostWritesBetweenBreaths).toBe(1);
		// One per book while applying, one per note for the next state.
		expect(breaths).toBeGreaterThanOrEqual(240);

		// A full walk over a changed library (every note rewritten) also checks every note for removal.
		breaths = 0;
		mostWritesBetweenBreaths = 0;
		const changed = books.map((entry) => ({ ...entry, title: `${entry.title} (revised)` }));
		const full = await runSync({ ...deps(new CannedFeed(changed)), breathe }, config({ mode: 'full' }));
		expect(full.counts.updated + full.counts.renamed).toBe(120);
		expect(mostWritesBetweenBreaths).toBe(1);
		// Applying, the removal pass, the fingerprints kept and the note paths for the next state.
		expect(breaths).toBeGreaterThanOrEqual(480);
	});
});
