import type { App } from 'obsidian';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApp } from '../obsidian-fake/index';
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
});
