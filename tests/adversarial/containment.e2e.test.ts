/**
 * Nothing the CLI writes lands outside the vault's real path, whatever
 * symbolic link is on the way: a link can arrive through git, a sync
 * service or an archive the user unpacked. Notes, temporary files, rename
 * targets, covers, Library.base, the state and the lock all go through one
 * containment check (src/cli/vault-root.ts).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempVault } from '../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { allFiles, lines, notesById, parseReport, syncCli } from './helpers';

const PLUGIN_DIR = '.obsidian/plugins/library-sync';

async function writeSettings(vault: string, settings: Record<string, unknown>): Promise<void> {
	await fs.mkdir(path.join(vault, PLUGIN_DIR), { recursive: true });
	await fs.writeFile(path.join(vault, PLUGIN_DIR, 'data.json'), JSON.stringify({ schemaVersion: 1, ...settings }));
}

/** Every entry below `dir`, folders included (an empty folder made outside is a write outside too). */
async function entriesBelow(dir: string): Promise<string[]> {
	const out: string[] = [];
	const walk = async (rel: string): Promise<void> => {
		for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
			const child = rel ? `${rel}/${entry.name}` : entry.name;
			out.push(child);
			if (entry.isDirectory()) await walk(child);
		}
	};
	await walk('');
	return out.sort();
}

describe('writes stay inside the vault, whatever symbolic link is on the way', () => {
	let server: ReferenceServer;
	let vault: string;
	let outside: string;
	beforeEach(async () => {
		server = await startReferenceServer({
			books: [
				{ id: 'dune', title: 'Dune', author: 'Herbert', coverUrl: '/covers/dune.jpg' },
				{ id: 'emma', title: 'Emma', author: 'Austen', coverUrl: '/covers/emma.jpg' },
			],
		});
		vault = await tempVault();
		outside = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-outside-'));
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
		await fs.rm(outside, { recursive: true, force: true });
	});

	it('a layout folder that is a link to outside: that book fails in one sentence, the others are written, nothing lands outside', async () => {
		await writeSettings(vault, { folderTemplate: '{{author}}' });
		await fs.mkdir(path.join(vault, 'Books'), { recursive: true });
		await fs.symlink(outside, path.join(vault, 'Books', 'Herbert'), 'dir');
		const result = await syncCli(server.url, vault, undefined, '--json');
		expect(await entriesBelow(outside)).toEqual([]);
		expect(result.code).toBe(1);
		const report = parseReport(result.stdout);
		expect(report.failures).toHaveLength(1);
		expect(report.failures[0]?.id).toBe('dune');
		expect(report.failures[0]?.reason).toMatch(/^Refusing to write "Books\/Herbert\/Dune\.md": its folder leads outside the vault\.$/);
		await fs.unlink(path.join(vault, 'Books', 'Herbert'));
		const notes = await notesById(vault);
		expect(notes.get('emma')?.map((note) => note.path)).toEqual(['Books/Austen/Emma.md']);
		expect(notes.has('dune')).toBe(false);
	});

	it('a link deeper than the layout (a link inside a linked-to folder tree): refused the same way, no folder made outside', async () => {
		await writeSettings(vault, { folderTemplate: '{{author}}/{{title}}' });
		await fs.mkdir(path.join(vault, 'Books'), { recursive: true });
		await fs.symlink(outside, path.join(vault, 'Books', 'Herbert'), 'dir');
		const result = await syncCli(server.url, vault, undefined, '--json');
		// Old code: `mkdir -p` followed the link and made outside/Dune before anything was checked.
		expect(await entriesBelow(outside)).toEqual([]);
		expect(parseReport(result.stdout).failures.map((failure) => failure.id)).toEqual(['dune']);
	});

	it('a library folder that is a link to outside: refused up front in one sentence (exit 2), before any request; nothing is written anywhere', async () => {
		await fs.symlink(outside, path.join(vault, 'Books'), 'dir');
		const result = await syncCli(server.url, vault, undefined);
		expect(await entriesBelow(outside)).toEqual([]);
		expect(result.code).toBe(2);
		expect(lines(result.stderr)).toEqual([
			'library-sync: The library folder "Books" leads outside the vault through a link; sync writes only inside the vault, so move that folder into the vault or choose another library folder.',
		]);
		expect(server.requests).toHaveLength(0);
		const view = await runCli(['view', '--vault', vault]);
		expect(view.code).toBe(1);
		expect(view.stderr).toMatch(/^library-sync: The library folder "Books" leads outside the vault through a link;/);
		expect(await entriesBelow(outside)).toEqual([]);
		await fs.unlink(path.join(vault, 'Books'));
		expect(await allFiles(vault)).toEqual([]);
	});

	it('a library folder that is a link to another folder inside the vault is fine', async () => {
		await fs.mkdir(path.join(vault, 'Shelf'), { recursive: true });
		await fs.symlink(path.join(vault, 'Shelf'), path.join(vault, 'Books'), 'dir');
		const result = await syncCli(server.url, vault, undefined);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect((await fs.readdir(path.join(vault, 'Shelf'))).sort()).toEqual(['Dune.md', 'Emma.md', 'Library.base', 'covers']);
	});

	it('the covers folder a link to outside: no cover and no index land there, the notes are written', async () => {
		await fs.mkdir(path.join(vault, 'Books'), { recursive: true });
		await fs.symlink(outside, path.join(vault, 'Books', 'covers'), 'dir');
		const result = await syncCli(server.url, vault, undefined, '--json');
		expect(await entriesBelow(outside)).toEqual([]);
		expect(result.code).toBe(0);
		expect(parseReport(result.stdout).counts.created).toBe(2);
		expect((await fs.readdir(path.join(vault, 'Books'))).sort()).toEqual(['Dune.md', 'Emma.md', 'Library.base', 'covers']);
		expect(result.stdout).toMatch(/leads outside the vault/);
	});

	it('the config folder a link to outside: the state and the lock are not written there; the run says why (exit 1) and writes no note', async () => {
		await fs.symlink(outside, path.join(vault, '.obsidian'), 'dir');
		const result = await syncCli(server.url, vault, undefined);
		expect(await entriesBelow(outside)).toEqual([]);
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual([
			'library-sync: Refusing to write ".obsidian/plugins/library-sync/cli.lock": its folder leads outside the vault.',
		]);
	});

	it('a vault that is itself reached through a link is fine: containment is measured against its real path', async () => {
		const link = `${vault}-link`;
		await fs.symlink(vault, link, 'dir');
		try {
			const result = await syncCli(server.url, link, undefined);
			expect(result.code).toBe(0);
			expect((await notesById(vault)).size).toBe(2);
		} finally {
			await fs.rm(link, { force: true });
		}
	});

	it('a note renamed into a layout folder that is a link to outside: the rename is refused and the note stays', async () => {
		await writeSettings(vault, { folderTemplate: '{{author}}', archiveFolder: 'Archive' });
		expect((await syncCli(server.url, vault, undefined)).code).toBe(0);
		// The archive folder is replaced by a link to outside; Emma leaves the server and would move there.
		await fs.symlink(outside, path.join(vault, 'Archive'), 'dir');
		server.mutate.remove('emma');
		const result = await syncCli(server.url, vault, undefined, '--full', '--confirm-removals', '--json');
		expect(await entriesBelow(outside)).toEqual([]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/Refusing to write \\"Archive\/Emma\.md\\": its folder leads outside the vault\./);
		await fs.unlink(path.join(vault, 'Archive'));
		expect((await notesById(vault)).get('emma')?.map((note) => note.path)).toEqual(['Books/Austen/Emma.md']);
	});
});
