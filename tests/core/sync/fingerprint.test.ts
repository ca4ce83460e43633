import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeHttpTransport } from '../../../src/cli/http-transport';
import * as note from '../../../src/core/render/note';
import { runSync, type BookExtras, type EngineConfig, type EngineDeps } from '../../../src/core/sync/engine';
import { fastHash, hashValues } from '../../../src/core/sync/fingerprint';
import { FingerprintTable } from '../../../src/core/sync/fingerprint-table';
import { cleanState, stateText } from '../../../src/core/sync/state';
import { testEngineConfig } from '../../fakes/engine-config';
import { MemoryNoteStore, MemoryStateStore } from '../../fakes/memory-note-store';
import type { RawBook } from '../../server/raw-book';
import { startReferenceServer, type ReferenceServer } from '../../server/reference-server';

vi.mock('../../../src/core/render/note', async (original) => {
	const actual = await original<typeof import('../../../src/core/render/note')>();
	return { ...actual, renderBook: vi.fn(actual.renderBook) };
});

const NOW = Date.parse('2026-01-01T00:00:00Z');
const renders = (): number => vi.mocked(note.renderBook).mock.calls.length;

/** What a run needs beside its config: the server over loopback, the stores, and `now` for the engine's clock. */
function engineDeps(notes: MemoryNoteStore, state: MemoryStateStore, now: () => number): EngineDeps {
	return { http: new NodeHttpTransport(), notes, state, clock: { now }, sleep: async () => undefined, random: () => 0.5 };
}

function book(id: string, title: string): RawBook {
	return { id, title, author: 'Jane Austen', updatedAt: '2024-01-01T00:00:00Z', description: '<p>A <b>novel</b>.</p>' };
}

describe('note fingerprints: an unchanged book is recognised without rendering', () => {
	let server: ReferenceServer;
	let notes: MemoryNoteStore;
	let state: MemoryStateStore;

	const deps = (): EngineDeps => engineDeps(notes, state, () => NOW);
	const config = (extra: Partial<EngineConfig> = {}): EngineConfig => testEngineConfig(server.url, { appVersion: '1.0.0', ...extra });
	const full = (extra: Partial<EngineConfig> = {}): EngineConfig => config({ mode: 'full', ...extra });

	beforeEach(async () => {
		server = await startReferenceServer({ now: () => NOW, covers: false, books: [book('b1', 'Emma'), book('b2', 'Persuasion'), book('b3', 'Mansfield Park')] });
		notes = new MemoryNoteStore();
		state = new MemoryStateStore();
		vi.mocked(note.renderBook).mockClear();
		await runSync(deps(), config());
		expect(renders()).toBe(3);
		vi.mocked(note.renderBook).mockClear();
	});
	afterEach(() => server.stop());

	it('a full walk over an unchanged vault renders no book and writes nothing', async () => {
		const writes = notes.writes;
		const report = await runSync(deps(), full());
		expect(report.counts.unchanged).toBe(3);
		expect(renders()).toBe(0);
		expect(notes.writes).toBe(writes);
		expect(state.state.fingerprints?.size).toBe(3);
	});

	it('a note the user edited takes the full path (its managed property is restored)', async () => {
		const path = 'Books/Emma.md';
		notes.files.set(path, (notes.files.get(path) ?? '').replace('title: Emma', 'title: Not Emma'));
		const report = await runSync(deps(), full());
		expect(renders()).toBe(1);
		expect(report.counts.updated).toBe(1);
		expect(notes.files.get(path)).toContain('title: Emma');
		// And it is recognised as unchanged again the next time.
		vi.mocked(note.renderBook).mockClear();
		await runSync(deps(), full());
		expect(renders()).toBe(0);
	});

	it('a changed setting takes the full path for every book', async () => {
		const report = await runSync(deps(), full({ render: { ...config().render, tagPrefix: 'library' } }));
		expect(renders()).toBe(3);
		expect(report.counts.unchanged + report.counts.updated).toBe(3);
	});

	it('a changed body template takes the full path and rewrites the notes', async () => {
		const report = await runSync(deps(), full({ render: { ...config().render, bodyTemplate: '## {{title}} (custom)\n' } }));
		expect(renders()).toBe(3);
		expect(report.counts.updated).toBe(3);
		expect(notes.files.get('Books/Emma.md')).toContain('Emma (custom)');
	});

	it('a new app version takes the full path for every book', async () => {
		await runSync(deps(), full({ appVersion: '1.0.1' }));
		expect(renders()).toBe(3);
	});

	it('a changed record takes the full path for that book only', async () => {
		server.mutate.setProgress('b2', { percentage: 42 });
		const report = await runSync(deps(), full());
		expect(renders()).toBe(1);
		expect(report.counts.updated).toBe(1);
	});

	it('a state without fingerprints (an older version\'s) loads and takes the full path', async () => {
		const old = JSON.parse(state.text) as Record<string, unknown>;
		delete old.fingerprints;
		state.text = JSON.stringify(old);
		const report = await runSync(deps(), full());
		expect(report.ok).toBe(true);
		expect(renders()).toBe(3);
		expect(state.state.fingerprints?.size).toBe(3);
	});
});

describe('note fingerprints: a later full walk trusts a note\'s size and modification time', () => {
	let server: ReferenceServer;
	let notes: MemoryNoteStore;
	let state: MemoryStateStore;
	/** One clock for the engine and the disk. */
	let time = NOW;
	const MINUTE = 60_000;

	const deps = (): EngineDeps => engineDeps(notes, state, () => time);
	const full = (extra: Partial<EngineConfig> = {}): EngineConfig => testEngineConfig(server.url, { appVersion: '1.0.0', mode: 'full', ...extra });
	/** A full walk at `at`: what it read, rendered and wrote. */
	const walkAt = async (at: number, extra: Partial<EngineConfig> = {}): Promise<{ reads: number; renders: number; writes: number; unchanged: number }> => {
		time = at;
		const before = { reads: notes.reads, writes: notes.writes };
		vi.mocked(note.renderBook).mockClear();
		const report = await runSync(deps(), full(extra));
		expect(report.ok).toBe(true);
		return { reads: notes.reads - before.reads, renders: renders(), writes: notes.writes - before.writes, unchanged: report.counts.unchanged };
	};

	beforeEach(async () => {
		time = NOW;
		server = await startReferenceServer({ now: () => NOW, covers: false, books: [book('b1', 'Emma'), book('b2', 'Persuasion'), book('b3', 'Mansfield Park')] });
		notes = new MemoryNoteStore();
		notes.now = () => time;
		state = new MemoryStateStore();
		await runSync(deps(), full());
	});
	afterEach(() => server.stop());

	it('reads each note once to check it, then not at all while nothing changes', async () => {
		expect(await walkAt(NOW + MINUTE)).toEqual({ reads: 3, renders: 0, writes: 0, unchanged: 3 });
		expect(await walkAt(NOW + 2 * MINUTE)).toEqual({ reads: 0, renders: 0, writes: 0, unchanged: 3 });
		expect(await walkAt(NOW + 3 * MINUTE)).toEqual({ reads: 0, renders: 0, writes: 0, unchanged: 3 });
	});

	it('without note hints in the state (the plugin keeps none), finds each note through the id index, reading no note but what building the index reads', async () => {
		await walkAt(NOW + MINUTE);
		const { notePaths, ...rest } = JSON.parse(state.text) as { notePaths?: unknown };
		expect(notePaths).toBeDefined();
		state.text = JSON.stringify(rest);
		const indexReads = notes.reads;
		await notes.buildIdIndex('book_id');
		const perIndex = notes.reads - indexReads;
		expect(await walkAt(NOW + 2 * MINUTE)).toEqual({ reads: perIndex, renders: 0, writes: 0, unchanged: 3 });
	});

	it('reads and restores a note the user moved keeping its time (the path is part of the fingerprint)', async () => {
		await walkAt(NOW + MINUTE);
		const mtime = notes.files.modified.get('Books/Emma.md') as number;
		const text = notes.files.get('Books/Emma.md') as string;
		notes.files.delete('Books/Emma.md');
		notes.files.set('Books/Read/Emma.md', text.replace('title: Emma', 'title: Amme'));
		notes.files.modified.set('Books/Read/Emma.md', mtime);
		await walkAt(NOW + 2 * MINUTE);
		expect(notes.files.get('Books/Read/Emma.md')).toContain('title: Emma');
	});

	it('a time in the future, or junk in the stored size and time, only costs a read', async () => {
		await walkAt(NOW + MINUTE);
		notes.files.modified.set('Books/Emma.md', NOW + 10 * MINUTE);
		const saved = JSON.parse(state.text) as { fingerprints: Record<string, string> };
		saved.fingerprints.b2 = (saved.fingerprints.b2 ?? '').replace(/:.*/, ':NaN:Infinity');
		state.text = JSON.stringify(saved);
		expect((await walkAt(NOW + 2 * MINUTE)).reads).toBe(2);
		// Emma's time is still ahead of the clock: not settled, read again.
		expect((await walkAt(NOW + 3 * MINUTE)).reads).toBe(1);
	});

	it('does not trust a time taken within two seconds of the note\'s last change (an edit in the same tick would not move it)', async () => {
		expect((await walkAt(NOW + 1_000)).reads).toBe(3);
		expect((await walkAt(NOW + 1_500)).reads).toBe(3);
		expect((await walkAt(NOW + MINUTE)).reads).toBe(3);
		expect((await walkAt(NOW + 2 * MINUTE)).reads).toBe(0);
	});

	it('reads and restores a note edited since, even to the same size', async () => {
		await walkAt(NOW + MINUTE);
		const path = 'Books/Emma.md';
		time = NOW + 2 * MINUTE;
		const edited = (notes.files.get(path) ?? '').replace('title: Emma', 'title: Amme');
		expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(notes.files.get(path) ?? ''));
		notes.files.set(path, edited);
		expect(await walkAt(NOW + 3 * MINUTE)).toEqual({ reads: 1, renders: 1, writes: 1, unchanged: 2 });
		expect(notes.files.get(path)).toContain('title: Emma');
		// The note written now is checked once more before its time is trusted.
		expect((await walkAt(NOW + 4 * MINUTE)).reads).toBe(1);
		expect((await walkAt(NOW + 5 * MINUTE)).reads).toBe(0);
	});

	it('re-renders every note when a setting, the template or the app version changed, though no file did', async () => {
		await walkAt(NOW + MINUTE);
		expect((await walkAt(NOW + 2 * MINUTE, { appVersion: '1.0.1' })).renders).toBe(3);
		await walkAt(NOW + 3 * MINUTE, { appVersion: '1.0.1' });
		const template = await walkAt(NOW + 4 * MINUTE, { appVersion: '1.0.1', render: { ...full().render, bodyTemplate: '## {{title}} (custom)\n' } });
		expect(template).toMatchObject({ renders: 3, writes: 3 });
	});

	it('re-renders a book whose record changed', async () => {
		await walkAt(NOW + MINUTE);
		server.mutate.setProgress('b2', { percentage: 42 });
		expect(await walkAt(NOW + 2 * MINUTE)).toMatchObject({ renders: 1, writes: 1, unchanged: 2 });
	});

	it('finds a note the user moved by its id, and keeps it where it is', async () => {
		await walkAt(NOW + MINUTE);
		time = NOW + 2 * MINUTE;
		const text = notes.files.get('Books/Emma.md') ?? '';
		notes.files.delete('Books/Emma.md');
		notes.files.set('Books/Read/Emma.md', text);
		const walk = await walkAt(NOW + 3 * MINUTE);
		expect(walk).toMatchObject({ writes: 0, unchanged: 3 });
		expect(notes.files.has('Books/Read/Emma.md')).toBe(true);
		expect(state.state.notePaths?.get('b1')).toBe('Books/Read/Emma.md');
	});

	it('saves the size and time with the fingerprint, and an older state without them loads', async () => {
		await walkAt(NOW + MINUTE);
		const saved = (JSON.parse(state.text) as { fingerprints: Record<string, string> }).fingerprints;
		const size = Buffer.byteLength(notes.files.get('Books/Emma.md') ?? '');
		expect(saved.b1).toMatch(new RegExp(`^[0-9a-f]{16}\\.[0-9a-f]{16}:${size}:${NOW}$`));
		const old = JSON.parse(state.text) as { fingerprints: Record<string, string> };
		for (const id of Object.keys(old.fingerprints)) old.fingerprints[id] = (old.fingerprints[id] ?? '').replace(/:.*/, '');
		state.text = JSON.stringify(old);
		expect(await walkAt(NOW + 2 * MINUTE)).toEqual({ reads: 3, renders: 0, writes: 0, unchanged: 3 });
	});
});

describe('note fingerprints: the size-and-time shortcut against races and the look-ahead', () => {
	let server: ReferenceServer;
	let notes: MemoryNoteStore;
	let state: MemoryStateStore;
	let time = NOW;
	let extras: BookExtras | undefined;
	const MINUTE = 60_000;

	const walkAt = async (at: number): Promise<void> => {
		time = at;
		// One page: the look-ahead spans the whole library.
		const report = await runSync({ ...engineDeps(notes, state, () => time), extras }, testEngineConfig(server.url, { appVersion: '1.0.0', mode: 'full', pageSize: 50 }));
		expect(report.ok).toBe(true);
	};

	beforeEach(async () => {
		time = NOW;
		extras = undefined;
		server = await startReferenceServer({
			now: () => NOW,
			covers: false,
			books: [book('b1', 'Emma'), { ...book('b2', 'Persuasion'), possibleDuplicateOf: 'b1' }, book('b3', 'Mansfield Park')],
		});
		notes = new MemoryNoteStore();
		notes.now = () => time;
		state = new MemoryStateStore();
		await walkAt(NOW);
		// Every note checked once: their sizes and times are trusted from now on.
		await walkAt(NOW + MINUTE);
	});
	afterEach(() => server.stop());

	it('an edit saved between the read of a note and the end of its look-up (a slow cover) is not taken for the text that was checked', async () => {
		// Forget the sizes and times, so that this walk reads the notes again (as after an upgrade).
		const saved = JSON.parse(state.text) as { fingerprints: Record<string, string> };
		for (const id of Object.keys(saved.fingerprints)) saved.fingerprints[id] = (saved.fingerprints[id] ?? '').replace(/:.*/, '');
		state.text = JSON.stringify(saved);
		const path = 'Books/Emma.md';
		extras = {
			async extrasFor(record) {
				if (record.id !== 'b1') return {};
				// The note is read beside this look-up; the user saves an edit meanwhile, and the cover takes 5 s.
				await new Promise((resolve) => setTimeout(resolve, 20));
				notes.files.set(path, (notes.files.get(path) ?? '').replace('title: Emma', 'title: Amme'));
				time += 5_000;
				return {};
			},
		};
		await walkAt(NOW + 2 * MINUTE);
		extras = undefined;
		// The full path reads the edited note and restores its managed title; the shortcut must not skip it.
		await walkAt(NOW + 3 * MINUTE);
		expect(notes.files.get(path)).toContain('title: Emma');
	});

	it('a book whose possible duplicate was renamed just before it, in the same page, links the new name', async () => {
		server.mutate.retitle('b1', 'Emmeline');
		await walkAt(NOW + 2 * MINUTE);
		expect(notes.files.has('Books/Emmeline.md')).toBe(true);
		expect(notes.files.get('Books/Persuasion.md')).toContain('[[Emmeline]]');
	});
});

describe('fingerprints in the state file', () => {
	const one = '0123456789abcdef.fedcba9876543210';
	const two = 'c223ada32c0db523.00000000858da6db';

	it('round-trip, and junk entries are dropped', () => {
		const table = new FingerprintTable();
		for (const [id, text] of [['b2', two], ['b1', one]] as const) expect(table.setText(id, text)).toBe(true);
		const loaded = cleanState(JSON.parse([...stateText({ fingerprints: table })].join('')));
		expect([...(loaded.fingerprints ?? [])]).toEqual([['b1', one], ['b2', two]]);
		const junk = { a: 1, '': one, b: '', c: one, d: 'x', e: one.toUpperCase(), f: `${one}0`, g: one.replace('.', ':') };
		expect([...(cleanState({ fingerprints: junk }).fingerprints ?? [])]).toEqual([['c', one]]);
		expect(cleanState({ fingerprints: ['x'] }).fingerprints).toBeUndefined();
	});

	it('keep a note\'s size and time after the hashes, and drop an entry whose size or time is not a plain number', () => {
		const table = new FingerprintTable();
		const withStat = `${one}:2048:1765140000123.4568`;
		const [id, other] = ['b1', 'b2'];
		expect(table.setText(id, withStat)).toBe(true);
		expect(table.statMatches(id, 2048, 1765140000123.4568)).toBe(true);
		expect(table.get(id)).toBe(withStat);
		table.set(id, 1, 2, 3, 4);
		expect(table.hasStat(id)).toBe(false);
		for (const bad of [`${one}:-1:5`, `${one}:1:-5`, `${one}:1`, `${one}:1:1e12`, `${one}:1.5:1`, `${one}::1`]) expect(table.setText(other, bad)).toBe(false);
		for (let i = 0; i < 600; i++) table.set(`n${i}`, i, 0, 0, 0, i, i * 1000);
		expect(table.statMatches('n599', 599, 599_000)).toBe(true);
		expect(table.statMatches('n599', 599, 599_001)).toBe(false);
	});

	it('are packed four words a book, matched word for word, and their slots reused', () => {
		const table = new FingerprintTable();
		for (let i = 0; i < 1000; i++) table.set(`b${i}`, i, 0xffffffff, i * 7, 0x80000000);
		expect(table.size).toBe(1000);
		expect(table.matches('b999', 999, 0xffffffff, 6993, 0x80000000)).toBe(true);
		expect(table.matches('b999', 999, -1, 6993, -0x80000000)).toBe(true);
		expect(table.matches('b999', 999, 0xffffffff, 6993, 0)).toBe(false);
		expect(table.matches('b1000', 0, 0, 0, 0)).toBe(false);
		expect(table.get('b1')).toBe('00000001ffffffff.0000000780000000');
		expect(table.delete('b1')).toBe(true);
		expect(table.delete('b1')).toBe(false);
		expect(table.get('b1')).toBeUndefined();
		table.set('new', 1, 2, 3, 4);
		expect(table.get('new')).toBe('0000000100000002.0000000300000004');
		expect(table.get('b2')).toBe('00000002ffffffff.0000000e80000000');
		expect(table.size).toBe(1000);
	});

	it('fastHash is stable and tells texts apart', () => {
		expect(fastHash('')).toBe(fastHash(''));
		expect(fastHash('Emma')).toMatch(/^[0-9a-f]{16}$/);
		expect(fastHash('Emma')).not.toBe(fastHash('Emmb'));
		expect(fastHash('ab')).not.toBe(fastHash('ba'));
	});
});

describe('the hashes behind the fingerprints', () => {
	it('hash a text as they always have (fingerprints in saved states stay valid)', () => {
		expect(['', 'a', 'Émma ✓\n', 'x'.repeat(1000), '\ud83d\ude00 emoji'].map((text) => fastHash(text))).toEqual([
			'c223ada32c0db523', '470375a3858da6db', '4afcda80fdb9db51', '449f434c9a954150', '4d25d1584309da66',
		]);
	});

	// Digests written out a byte at a time (was toString(16) on each lane): leading zeros and high bits as before.
	it('write digests with leading zeros and high bits as they always have', () => {
		expect(['book 114', 'book 117'].map((text) => fastHash(text))).toEqual(['058384ec0db1ab76', '0ee393b80449ce8f']);
		expect(hashValues('s', 1.5, 1_700_000_000_000, true, null, [1, 'a'], { a: 1, b: undefined })).toBe('644541fafd4cc271');
	});

	it('hash values by their parts, so values that would print alike in a row still differ', () => {
		const distinct = [
			hashValues('ab', 'c'), hashValues('a', 'bc'), hashValues(['ab', 'c']), hashValues(['a', 'bc']), hashValues(['abc']),
			hashValues({ a: 'b' }), hashValues({ ab: '' }), hashValues(['a', 'b']), hashValues(1), hashValues('1'), hashValues(true),
			hashValues('true'), hashValues(null), hashValues('null'), hashValues([]), hashValues({}), hashValues([[]]), hashValues([{}]),
			hashValues({ a: { b: 1 } }), hashValues({ a: { b: 1 }, c: 2 }), hashValues({ a: { b: 1, c: 2 } }), hashValues(12, 3), hashValues(1, 23),
		];
		expect(new Set(distinct).size).toBe(distinct.length);
	});

	it('leave out undefined properties, as JSON does, and follow property order', () => {
		expect(hashValues({ a: 1, b: undefined })).toBe(hashValues({ a: 1 }));
		expect(hashValues({ a: 1, b: 2 })).not.toBe(hashValues({ b: 2, a: 1 }));
		expect(hashValues({ a: [1, 'x', { y: null }] })).toBe(hashValues({ a: [1, 'x', { y: null }] }));
	});
});
