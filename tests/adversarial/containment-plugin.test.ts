/**
 * In the plugin, Obsidian's vault resolves the file system itself: what
 * the stores must guarantee is that every path they hand to the vault API
 * is a normalised vault path that cannot leave the vault (no `..` or `.`
 * segment, however spelled) nor reach the config folder. One check for both
 * stores: `safeVaultPath` in src/core/vault-path.ts.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { App } from 'obsidian';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeApp, loadPluginBundle, resetUi, type LoadedPlugin } from '../obsidian-fake/index';
import { VaultCoverStore } from '../../src/obsidian/vault-cover-store';
import { VaultNoteStore } from '../../src/obsidian/vault-note-store';
import { envelope, startRawServer, type RawServer } from './raw-server';
import { MAIN_JS, MANIFEST } from '../plugin/built-plugin';

vi.mock('obsidian', async () => await import('../obsidian-fake/index'));

const ESCAPES = ['../escape.md', 'Books/../../escape.md', 'Books\\..\\..\\escape.md', './Books/../../escape.md', '.obsidian/plugins/library-sync/escape.md', '.obsidian'];

describe('the plugin stores hand the vault only paths inside it', () => {
	let parent: string;
	let vaultDir: string;
	beforeEach(async () => {
		parent = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-plugin-'));
		vaultDir = path.join(parent, 'vault');
		await fs.mkdir(path.join(vaultDir, 'Books'), { recursive: true });
		await fs.writeFile(path.join(vaultDir, 'Books', 'Dune.md'), '---\nbook_id: dune\n---\n');
	});
	afterEach(async () => {
		await fs.rm(parent, { recursive: true, force: true });
	});

	it('notes: create, rename, update, read and isTaken refuse a path that leaves the vault or enters the config folder, and nothing lands outside', async () => {
		const app = createFakeApp({ vaultDir });
		const store = new VaultNoteStore(app as unknown as App);
		for (const escape of ESCAPES) {
			await expect(store.create(escape, 'x'), escape).rejects.toThrow(/^Refusing to touch ".*": it is not a path inside the vault\.$/);
			await expect(store.rename('Books/Dune.md', escape), escape).rejects.toThrow(/it is not a path inside the vault/);
			await expect(store.process(escape, () => 'x'), escape).rejects.toThrow(/it is not a path inside the vault/);
			await expect(store.read(escape), escape).rejects.toThrow(/it is not a path inside the vault/);
			await expect(store.isTaken(escape), escape).rejects.toThrow(/it is not a path inside the vault/);
		}
		expect((await fs.readdir(parent)).sort()).toEqual(['vault']);
		expect(await fs.readdir(path.join(vaultDir, 'Books'))).toEqual(['Dune.md']);
		// Ordinary paths still work.
		await store.create('Books/Herbert/Children of Dune.md', 'y');
		await store.rename('Books/Dune.md', 'Books/Herbert/Dune.md');
		expect((await fs.readdir(path.join(vaultDir, 'Books', 'Herbert'))).sort()).toEqual(['Children of Dune.md', 'Dune.md']);
	});

	it('covers: the same check refuses the same paths', async () => {
		const app = createFakeApp({ vaultDir });
		const store = new VaultCoverStore(app as unknown as App);
		for (const escape of ESCAPES.map((p) => p.replace(/\.md$/, '.jpg'))) {
			await expect(store.writeBinary(escape, new Uint8Array([1, 2, 3])), escape).rejects.toThrow(/it is not a path inside the vault/);
		}
		expect((await fs.readdir(parent)).sort()).toEqual(['vault']);
	});
});

describe('the plugin refuses a library folder that is a link out of the vault', () => {
	let parent: string;
	let vaultDir: string;
	let server: RawServer;
	let loaded: LoadedPlugin | undefined;
	beforeEach(async () => {
		parent = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-plugin-link-'));
		vaultDir = path.join(parent, 'vault');
		await fs.mkdir(vaultDir);
		server = await startRawServer(({ page, limit }) => ({ body: envelope(page === 1 ? [{ id: 'dune', title: 'Dune', updatedAt: '2024-01-01T00:00:00Z' }] : [], { page, limit, total: 1 }) }));
		resetUi();
	});
	afterEach(async () => {
		await loaded?.unload();
		loaded = undefined;
		await server.stop();
		await fs.rm(parent, { recursive: true, force: true });
	});

	async function syncOnce(): Promise<{ ok: boolean; error?: { kind: string; message: string } }> {
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as { syncSettings: { serverUrl: string; downloadCovers: boolean }; saveSettings(): Promise<void>; controller: { run(mode: string, trigger: string): Promise<{ ok: boolean; error?: { kind: string; message: string } }> } };
		plugin.syncSettings.serverUrl = server.url;
		plugin.syncSettings.downloadCovers = false;
		await plugin.saveSettings();
		return plugin.controller.run('incremental', 'manual');
	}

	it('Books linked to a folder outside the vault: one sentence, no request, nothing written out there', async () => {
		const outside = path.join(parent, 'elsewhere');
		await fs.mkdir(outside);
		await fs.symlink(outside, path.join(vaultDir, 'Books'), 'dir');
		const report = await syncOnce();
		expect(report.ok).toBe(false);
		expect(report.error?.message).toBe(
			'The library folder "Books" leads outside the vault through a link; sync writes only inside the vault, so move that folder into the vault or choose another library folder.',
		);
		expect(server.requests).toHaveLength(0);
		expect(await fs.readdir(outside)).toEqual([]);
	});

	it('an archive folder linked outside the vault: no note of a removed book is moved out there, in one sentence', async () => {
		const outside = path.join(parent, 'elsewhere');
		await fs.mkdir(outside);
		await fs.symlink(outside, path.join(vaultDir, 'Archive'), 'dir');
		const books = [
			{ id: 'dune', title: 'Dune', updatedAt: '2024-01-01T00:00:00Z' },
			{ id: 'emma', title: 'Emma', updatedAt: '2024-01-01T00:00:00Z' },
		];
		server.handler = ({ page, limit }) => ({ body: envelope(page === 1 ? books : [], { page, limit, total: books.length }) });
		const app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		const plugin = loaded.plugin as unknown as {
			syncSettings: { serverUrl: string; downloadCovers: boolean; archiveFolder: string };
			saveSettings(): Promise<void>;
			controller: { run(mode: string, trigger: string, options?: { allowMassRemoval?: boolean }): Promise<{ ok: boolean; error?: { kind: string; message: string } }> };
		};
		plugin.syncSettings.serverUrl = server.url;
		plugin.syncSettings.downloadCovers = false;
		await plugin.saveSettings();
		expect(await plugin.controller.run('full', 'manual')).toMatchObject({ ok: true });
		// Dune leaves the server; the user has an archive folder, which is a link out of the vault.
		books.splice(0, 1);
		plugin.syncSettings.archiveFolder = 'Archive';
		await plugin.saveSettings();
		const report = await plugin.controller.run('full', 'manual', { allowMassRemoval: true });
		expect(await fs.readdir(outside)).toEqual([]);
		expect(report.ok).toBe(false);
		expect(report.error?.message).toBe(
			'The archive folder "Archive" leads outside the vault through a link; sync writes only inside the vault, so move that folder into the vault or choose another archive folder.',
		);
		expect((await fs.readdir(path.join(vaultDir, 'Books'))).sort()).toEqual(['Dune.md', 'Emma.md', 'Library.base']);
	});

	it('Books linked to a folder inside the vault is fine: the note lands there', async () => {
		await fs.mkdir(path.join(vaultDir, 'Library', 'Shelf'), { recursive: true });
		await fs.symlink(path.join(vaultDir, 'Library', 'Shelf'), path.join(vaultDir, 'Books'), 'dir');
		const report = await syncOnce();
		expect(report).toMatchObject({ ok: true });
		expect(await fs.readdir(path.join(vaultDir, 'Library', 'Shelf'))).toContain('Dune.md');
	});
});
