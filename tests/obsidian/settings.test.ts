import type { App } from 'obsidian';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApp, Plugin as FakePlugin } from '../obsidian-fake/index';
import { loadSettings } from '../../src/core/settings/load';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION } from '../../src/core/settings/schema';
import { SettingsStore } from '../../src/obsidian/settings-store';
import { readToken } from '../../src/obsidian/secret-token';

vi.mock('obsidian', async () => await import('../obsidian-fake/index'));

describe('loadSettings', () => {
	it('gives the defaults for a first run, without warnings', () => {
		expect(loadSettings(null)).toEqual({ settings: { ...DEFAULT_SETTINGS }, warnings: [] });
		expect(loadSettings(undefined).warnings).toEqual([]);
	});

	it('keeps valid values and merges the defaults for missing ones', () => {
		const { settings, warnings } = loadSettings({
			schemaVersion: 1,
			serverUrl: 'https://host/library/',
			folder: '/Library//Books/',
			syncIntervalMinutes: 15,
			propertyNames: { title: 'Title', cover: null },
		});
		expect(warnings).toEqual([]);
		// Version 1 wrote `published`: notes drop it for `published_year` on the next sync.
		expect(settings).toEqual({ ...DEFAULT_SETTINGS, serverUrl: 'https://host/library', folder: 'Library/Books', syncIntervalMinutes: 15, propertyNames: { title: 'Title', cover: null }, retiredPropertyNames: ['published'] });
	});

	it('renames `published` to `published_year` from version 1, keeping what the user chose for it', () => {
		expect(loadSettings({ schemaVersion: 1, propertyNames: { published: 'year' } }).settings).toMatchObject({ propertyNames: { published_year: 'year' }, retiredPropertyNames: [] });
		expect(loadSettings({ schemaVersion: 1, propertyNames: { published: null } }).settings.propertyNames).toEqual({ published_year: null });
		expect(loadSettings({ schemaVersion: 1, retiredPropertyNames: ['old'] }).settings.retiredPropertyNames).toEqual(['old', 'published']);
		// Written by this version: nothing to rename.
		expect(loadSettings({ schemaVersion: SETTINGS_SCHEMA_VERSION }).settings.retiredPropertyNames).toEqual([]);
	});

	it('migrates unversioned data and drops a token stored in clear', () => {
		const { settings, warnings } = loadSettings({ serverUrl: 'http://127.0.0.1:8080', token: 'tok-SECRET-1' });
		expect(settings.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
		expect(settings.serverUrl).toBe('http://127.0.0.1:8080');
		expect(settings).not.toHaveProperty('token');
		expect(warnings.join(' ')).toContain('secret storage');
		expect(warnings.join(' ')).not.toContain('tok-SECRET-1');
	});

	it('repairs or replaces invalid values, drops unknown keys, and says so', () => {
		const { settings, warnings } = loadSettings({
			schemaVersion: 1,
			serverUrl: 'ftp://host',
			authHeader: 'Bad Header',
			tokenSecretName: 'Library-Sync-Token',
			folder: '../outside',
			fileNameTemplate: '   ',
			idProperty: 'book:id',
			timeZone: 'Mars/Olympus',
			tagPrefix: '#books/',
			genresAsTags: 'true',
			linkAuthor: 3,
			syncIntervalMinutes: 50,
			pageSize: 1000,
			overlapMinutes: -4,
			requestTimeoutSeconds: '12.4',
			propertyNames: { title: 'Name', author: 'Name', bogus: 'x', series: '  ', pages: 7 },
			somethingElse: 'x',
		});
		expect(settings).toMatchObject({
			serverUrl: '',
			authHeader: 'Authorization',
			tokenSecretName: 'library-sync-token',
			folder: DEFAULT_SETTINGS.folder,
			fileNameTemplate: DEFAULT_SETTINGS.fileNameTemplate,
			idProperty: 'book_id',
			timeZone: 'UTC',
			tagPrefix: 'books',
			genresAsTags: true,
			linkAuthor: false,
			syncIntervalMinutes: 60,
			pageSize: 100,
			overlapMinutes: 0,
			requestTimeoutSeconds: 12,
			propertyNames: { title: 'Name' },
		});
		expect(settings).not.toHaveProperty('somethingElse');
		for (const key of ['serverUrl', 'authHeader', 'folder', 'idProperty', 'timeZone', 'linkAuthor', 'syncIntervalMinutes', 'pageSize', 'somethingElse', 'bogus', 'author', 'series', 'pages']) {
			expect(warnings.some((w) => w.includes(`"${key}"`))).toBe(true);
		}
	});

	it('rejects server URLs with credentials, a query or a fragment', () => {
		for (const url of ['https://user:pw@host', 'https://host/?token=x', 'https://host/#x', 'not a url']) {
			expect(loadSettings({ serverUrl: url }).settings.serverUrl).toBe('');
		}
	});

	it('never throws on junk', () => {
		const junk: unknown[] = [42, 'text', [], true, { schemaVersion: 'x' }, { schemaVersion: 99, folder: 'B' }, { propertyNames: [] }, { folder: {} }, Object.create(null)];
		for (const raw of junk) {
			const { settings } = loadSettings(raw);
			expect(settings.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
			expect(typeof settings.folder).toBe('string');
		}
		expect(loadSettings({ schemaVersion: 99, folder: 'B' }).settings.folder).toBe('B');
		expect(loadSettings({ schemaVersion: 99 }).warnings[0]).toContain('newer version');
	});
});

describe('SettingsStore', () => {
	class TestPlugin extends FakePlugin {}
	const manifest = { id: 'library-sync', name: 'Library Sync', version: '0.1.0', minAppVersion: '1.11.4', description: 'x', author: 'x' };

	it('loads through loadData and saves through saveData', async () => {
		const app = createFakeApp();
		const plugin = new TestPlugin(app, manifest);
		const store = new SettingsStore(plugin);
		expect(await store.load()).toEqual({ settings: { ...DEFAULT_SETTINGS }, warnings: [] });
		const { settings } = loadSettings({ serverUrl: 'https://host' });
		await store.save(settings);
		expect(await plugin.loadData()).toEqual(settings);
		expect((await store.load()).settings.serverUrl).toBe('https://host');
	});

	it('falls back to the defaults when data.json is not valid JSON', async () => {
		const app = createFakeApp();
		const plugin = new TestPlugin(app, manifest);
		await app.vault.adapter.write(`${app.vault.configDir}/plugins/library-sync/data.json`, '{ broken');
		const loaded = await new SettingsStore(plugin).load();
		expect(loaded.settings).toEqual({ ...DEFAULT_SETTINGS });
		expect(loaded.warnings).toHaveLength(1);
	});
});

describe('readToken', () => {
	it('reads the secret named in the settings', () => {
		const app = createFakeApp();
		const settings = { tokenSecretName: 'library-sync-token' };
		expect(readToken(app as unknown as App, settings)).toBeNull();
		app.secretStorage.setSecret('library-sync-token', '  tok-123  ');
		expect(readToken(app as unknown as App, settings)).toBe('tok-123');
		app.secretStorage.setSecret('library-sync-token', '   ');
		expect(readToken(app as unknown as App, settings)).toBeNull();
		expect(readToken({} as App, settings)).toBeNull();
	});
});
