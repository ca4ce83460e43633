import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeApp, loadPluginBundle, openModals, resetUi, type FakeApp, type LoadedPlugin } from '../obsidian-fake/index';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { MAIN_JS, MANIFEST, runAndReport, until, type PluginReport, type PluginShape } from './built-plugin';

describe('the plugin follows books through their life (Obsidian fake)', () => {
	let server: ReferenceServer;
	let vaultDir: string;
	let loaded: LoadedPlugin | undefined;
	let app: FakeApp;
	let plugin: PluginShape;

	/** Runs a command and waits for the run it started to finish. */
	async function command(id: string): Promise<PluginReport> {
		return runAndReport(app, plugin.controller, id);
	}

	const read = (file: string): Promise<string> => fs.readFile(path.join(vaultDir, file), 'utf8');

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary() });
		vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-life-'));
		resetUi();
		app = createFakeApp({ vaultDir, platform: 'desktop' });
		loaded = await loadPluginBundle(MAIN_JS, app, MANIFEST, { layoutReady: false });
		plugin = loaded.plugin as unknown as PluginShape;
		plugin.syncSettings.serverUrl = server.url;
		await plugin.saveSettings();
		expect((await command('sync')).ok).toBe(true);
	});

	afterEach(async () => {
		await loaded?.unload();
		await server.stop();
		await fs.rm(vaultDir, { recursive: true, force: true });
	});

	it('renames a retitled book through the file manager, so links to it follow', async () => {
		await app.vault.create('Reading list.md', 'Next: [[Pride and Prejudice]]\n');
		server.mutate.retitle('bk_0035', 'Pride and Prejudice (Annotated)');
		const report = await command('sync');
		expect(report.counts.renamed).toBe(1);
		expect(await read('Books/Pride and Prejudice (Annotated).md')).toContain('title: Pride and Prejudice (Annotated)');
		expect(await read('Reading list.md')).toContain('[[Pride and Prejudice (Annotated)]]');
	});

	it('updates a note the user moved, in place', async () => {
		const note = app.vault.getFileByPath('Books/Emma.md');
		expect(note).not.toBeNull();
		await app.vault.createFolder('Favourites');
		await app.fileManager.renameFile(note as NonNullable<typeof note>, 'Favourites/My Emma.md');
		const emma = server.books().find((book) => book.title === 'Emma');
		server.mutate.setProgress(String(emma?.id), { percentage: 77 });
		const report = await command('sync');
		expect(report.counts.updated).toBe(1);
		expect(report.counts.created).toBe(0);
		expect(await read('Favourites/My Emma.md')).toContain('progress: 77');
		expect(app.vault.getFileByPath('Books/Emma.md')).toBeNull();
	});

	it('does not recreate a note the user deleted, but the full sync command does', async () => {
		const note = app.vault.getFileByPath('Books/Emma.md');
		await app.vault.delete(note as NonNullable<typeof note>);
		const emma = server.books().find((book) => book.title === 'Emma');
		server.mutate.setProgress(String(emma?.id), { percentage: 5 });
		expect((await command('sync')).counts.skipped).toBe(1);
		expect(app.vault.getFileByPath('Books/Emma.md')).toBeNull();
		expect((await command('sync-full')).counts.created).toBe(1);
		expect(app.vault.getFileByPath('Books/Emma.md')).not.toBeNull();
	});

	it('marks a removed book on a full sync, and asks before marking many', async () => {
		server.mutate.remove('bk_0035');
		const one = await command('sync-full');
		expect(one.counts.removed).toBe(1);
		expect(await read('Books/Pride and Prejudice.md')).toMatch(/^removed: \d{4}-\d\d-\d\d$/m);

		for (const book of server.books().slice(0, 30)) server.mutate.remove(String(book.id));
		const many = await command('sync-full');
		expect(many.removals?.held).toBe('too-many');
		expect(openModals).toHaveLength(1);
		expect(await read('Books/Emma.md')).not.toMatch(/^removed:/m);
	});

	it('wrote the library view after the first sync, and the command leaves the user\'s edits alone', async () => {
		const base = await read('Books/Library.base');
		expect(base).toContain('image: note.cover');
		await app.vault.adapter.write('Books/Library.base', `${base}# mine\n`);
		await app.fake.runCommand('library-sync:create-library-view');
		expect(await read('Books/Library.base')).toContain('# mine');
	});

	it('writes the library view once per vault: a second device\'s first sync does not bring back a deleted one', async () => {
		const settingsFile = path.join(vaultDir, '.obsidian/plugins/library-sync/data.json');
		expect(JSON.parse(await fs.readFile(settingsFile, 'utf8'))).toMatchObject({ libraryViewCreated: true });
		await app.vault.delete(app.vault.getFileByPath('Books/Library.base') as NonNullable<ReturnType<typeof app.vault.getFileByPath>>);
		// Forgetting the sync state is what a second device looks like: its first sync.
		await app.fake.runCommand('library-sync:reset-state');
		const first = await command('sync');
		expect(first.ok).toBe(true);
		expect(app.vault.getFileByPath('Books/Library.base')).toBeNull();
		// Only the command writes it again.
		await app.fake.runCommand('library-sync:create-library-view');
		await until(() => app.vault.getFileByPath('Books/Library.base') !== null, 'the library view');
	});

	it('downloads covers through the binary vault API and links them', async () => {
		expect(await read('Books/Pride and Prejudice.md')).toContain('cover: "[[Books/covers/bk_0035.jpg]]"');
		const image = await fs.readFile(path.join(vaultDir, 'Books/covers/bk_0035.jpg'));
		expect([...image.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
	});

	it('renders the body from the template note named in the settings', async () => {
		await app.vault.createFolder('Templates');
		await app.vault.create('Templates/Book.md', '## {{title}} ({{published}})\n');
		plugin.syncSettings.bodyTemplateFile = 'Templates/Book.md';
		await plugin.saveSettings();
		const report = await command('sync-full');
		expect(report.ok).toBe(true);
		expect(await read('Books/Pride and Prejudice.md')).toContain('<!-- library-sync:begin -->\n## Pride and Prejudice (1813)\n<!-- library-sync:end -->');
	});
});

