import type { App } from 'obsidian';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApp, LOCAL_STORAGE_QUOTA } from '../obsidian-fake/index';
import { FingerprintTable } from '../../src/core/sync/fingerprint-table';
import { LocalStorageStateStore } from '../../src/obsidian/state-store';

vi.mock('obsidian', async () => await import('../obsidian-fake/index'));

describe('LocalStorageStateStore', () => {
	it('round-trips the state per vault, in local storage rather than data.json', async () => {
		const device = new Map<string, string>();
		const a = createFakeApp({ vaultName: 'Home', localStorage: device });
		const b = createFakeApp({ vaultName: 'Work', localStorage: device });
		const storeA = new LocalStorageStateStore(a as unknown as App);
		const storeB = new LocalStorageStateStore(b as unknown as App);
		expect(await storeA.load()).toEqual({});
		const state = { cursor: '2025-01-01T00:00:00Z', lastRunAt: '2025-01-01T00:01:00Z', lastSuccessAt: '2025-01-01T00:01:00Z' };
		await storeA.save(state);
		expect(await storeA.load()).toEqual(state);
		expect(await storeB.load()).toEqual({});
		expect(await a.vault.adapter.exists(`${a.vault.configDir}/plugins/library-sync/data.json`)).toBe(false);
	});

	it('tolerates junk: not JSON, not an object, wrong field types', async () => {
		const app = createFakeApp({ vaultName: 'V' });
		const store = new LocalStorageStateStore(app as unknown as App);
		const key = `${app.appId}-library-sync-state`;
		for (const junk of ['not json', '42', '[1,2]', 'null', '"{\\"cursor\\":\\"c\\"}"']) {
			app.fake.localStorage.set(key, junk);
			const loaded = await store.load();
			expect(typeof loaded).toBe('object');
		}
		app.fake.localStorage.set(key, '"{\\"cursor\\":\\"c\\"}"');
		expect(await store.load()).toEqual({ cursor: 'c' });
		app.fake.localStorage.set(key, JSON.stringify({ cursor: 5, lastError: 'Server unreachable.', extra: true, lastRunAt: '' }));
		expect(await store.load()).toEqual({ lastError: 'Server unreachable.' });
	});

	it('saves only the known fields', async () => {
		const app = createFakeApp();
		const store = new LocalStorageStateStore(app as unknown as App, 'custom-key');
		await store.save({ cursor: 'c', ...({ token: 'secret' } as object) });
		expect(app.loadLocalStorage('custom-key')).toEqual({ cursor: 'c' });
	});

	/** A table of `books` fingerprints, half of them with the note's size and time. */
	function fingerprints(books: number): FingerprintTable {
		const table = new FingerprintTable();
		for (let n = 0; n < books; n++) table.set(`sy_${String(n).padStart(6, '0')}`, n, n * 7, 0xffffffff - n, 0x12345678, n % 2 === 0 ? 2_000 + n : Number.NaN, 1_790_000_000_000 + n);
		return table;
	}

	it('keeps the fingerprints, with the notes\' sizes and times, under a key of their own, and loads them back', async () => {
		const app = createFakeApp();
		const store = new LocalStorageStateStore(app as unknown as App);
		const table = fingerprints(3);
		await store.save({ cursor: 'c', knownIds: new Set(['sy_000000', 'sy_000001', 'sy_000002']), fingerprints: table, notePaths: new Map([['sy_000000', 'Books/A.md']]) });
		expect(app.loadLocalStorage('library-sync-state')).toEqual({ cursor: 'c', knownIds: ['sy_000000', 'sy_000001', 'sy_000002'] });
		expect(app.loadLocalStorage('library-sync-fingerprints')).toBe([...table].map(([id, text]) => `${text} ${id}\n`).join(''));
		const loaded = await store.load();
		expect([...(loaded.fingerprints ?? [])]).toEqual([...table]);
		expect(loaded.fingerprints?.statMatches('sy_000002', 2_002, 1_790_000_000_002)).toBe(true);
		expect(loaded.notePaths).toBeUndefined();
	});

	it('drops fingerprints of junk or of another shape, and removes them when a run has none', async () => {
		const app = createFakeApp();
		const store = new LocalStorageStateStore(app as unknown as App);
		app.fake.localStorage.set(`${app.appId}-library-sync-state`, JSON.stringify({ cursor: 'c' }));
		for (const junk of ['not json', '[1]', '"text"', JSON.stringify({ a: 'zz', b: 5 }), JSON.stringify('zz a\n')]) {
			app.fake.localStorage.set(`${app.appId}-library-sync-fingerprints`, junk);
			const loaded = await store.load();
			expect(loaded.cursor).toBe('c');
			expect(loaded.fingerprints).toBeUndefined();
		}
		await store.save({ cursor: 'c', fingerprints: fingerprints(2) });
		await store.save({ cursor: 'd' });
		expect(app.loadLocalStorage('library-sync-fingerprints')).toBeNull();
	});

	it('keeps no more than its share of the local storage that every vault shares: first without the sizes and times, then none', async () => {
		const app = createFakeApp();
		const store = new LocalStorageStateStore(app as unknown as App);
		const withTimes = (books: number): FingerprintTable => {
			const table = fingerprints(books);
			for (const id of table.keys()) table.stat(id, 2_000, 1_790_000_000_000);
			return table;
		};
		// 30,000 books fit without their times (44 characters a book), not with them (63).
		const table = withTimes(30_000);
		await store.save({ cursor: 'c', fingerprints: table });
		const kept = (await store.load()).fingerprints;
		expect(kept?.size).toBe(30_000);
		expect([...(kept ?? [])]).toEqual([...table].map(([id, text]) => [id, text.slice(0, 33)]));
		expect(kept?.hasStat('sy_000001')).toBe(false);
		expect(withTimes(20_000).get('sy_000001')).toMatch(/:2000:1790000000000$/);
		await store.save({ cursor: 'd', fingerprints: withTimes(20_000) });
		expect((await store.load()).fingerprints?.hasStat('sy_000001')).toBe(true);
		await store.save({ cursor: 'e', fingerprints: withTimes(40_000) });
		expect(app.loadLocalStorage('library-sync-state')).toEqual({ cursor: 'e' });
		expect(app.loadLocalStorage('library-sync-fingerprints')).toBeNull();
		expect((await store.load()).fingerprints).toBeUndefined();
	});

	it('a full local storage loses the fingerprints, never the state', async () => {
		const device = new Map<string, string>();
		const other = createFakeApp({ vaultName: 'Other', localStorage: device });
		const app = createFakeApp({ vaultName: 'Books', localStorage: device });
		const store = new LocalStorageStateStore(app as unknown as App);
		await store.save({ cursor: 'c', fingerprints: fingerprints(2) });
		other.saveLocalStorage('filler', 'x'.repeat(LOCAL_STORAGE_QUOTA - 20_000));
		await store.save({ cursor: 'd', knownIds: new Set(['sy_000000']), fingerprints: fingerprints(1_000) });
		expect(await store.load()).toEqual({ cursor: 'd', knownIds: new Set(['sy_000000']) });
		expect(app.loadLocalStorage('library-sync-fingerprints')).toBeNull();
	});

	it('a state that grows while the last run\'s fingerprints fill local storage is still saved: the fingerprints give way', async () => {
		const device = new Map<string, string>();
		const other = createFakeApp({ vaultName: 'Other', localStorage: device });
		const app = createFakeApp({ vaultName: 'Books', localStorage: device });
		const store = new LocalStorageStateStore(app as unknown as App);
		const ids = (books: number): Set<string> => new Set(Array.from({ length: books }, (_, n) => `sy_${String(n).padStart(6, '0')}`));
		await store.save({ cursor: 'c', knownIds: ids(10_000), fingerprints: fingerprints(10_000) });
		let used = 0;
		for (const [key, text] of device) used += key.length + text.length;
		// Another vault takes all but 50,000 characters of what is left; the library then grows by 10,000 books.
		other.saveLocalStorage('filler', 'x'.repeat(LOCAL_STORAGE_QUOTA - used - 50_000));
		await store.save({ cursor: 'd', knownIds: ids(20_000), fingerprints: fingerprints(20_000) });
		const loaded = await store.load();
		expect(loaded.cursor).toBe('d');
		expect(loaded.knownIds?.size).toBe(20_000);
	});
});
