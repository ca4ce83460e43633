import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderNoteStore } from '../../src/cli/folder-note-store';
import { SyncError } from '../../src/core/errors';

describe('FolderNoteStore.buildIdIndex and cancellation', () => {
	let vault: string;
	beforeEach(async () => {
		vault = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-scan-'));
		await fs.mkdir(path.join(vault, 'Books'));
		for (let i = 0; i < 1000; i++) await fs.writeFile(path.join(vault, 'Books', `Book ${i}.md`), `---\nbook_id: "b${i}"\n---\n`);
	});
	afterEach(async () => {
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('builds the index of every note', async () => {
		const index = await new FolderNoteStore(vault).buildIdIndex('book_id', new Map(), new AbortController().signal);
		expect(index.size).toBe(1000);
		expect(index.get('b999')).toBe('Books/Book 999.md');
	});

	it('a cancel that arrives while the scan reads the notes (a macrotask, as Ctrl-C is) stops it with the cancelled error', async () => {
		const cancellation = new AbortController();
		const scan = new FolderNoteStore(vault).buildIdIndex('book_id', new Map(), cancellation.signal);
		// Fires once the listing is done and the reading has begun.
		const cancel = new Promise<void>((resolve) => {
			const tick = (): void => {
				cancellation.abort();
				resolve();
			};
			setImmediate(() => setImmediate(() => setImmediate(tick)));
		});
		const outcome = await scan.then(
			(index) => `finished with ${index.size} notes`,
			(error: unknown) => (error instanceof SyncError ? error.kind : String(error)),
		);
		await cancel;
		expect(outcome).toBe('cancelled');
	});
});

describe('FolderNoteStore.stat', () => {
	let vault: string;
	beforeEach(async () => {
		vault = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-stat-'));
		await fs.mkdir(path.join(vault, 'Books'));
	});
	afterEach(async () => {
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('gives a note\'s size in bytes and its modification time, and follows a write', async () => {
		const store = new FolderNoteStore(vault);
		await store.create('Books/Emma.md', '---\nbook_id: "b1"\n---\nÉmma\n');
		const file = await fs.lstat(path.join(vault, 'Books', 'Emma.md'));
		expect(await store.stat('Books/Emma.md')).toEqual({ size: 28, mtime: file.mtimeMs });
		await fs.utimes(path.join(vault, 'Books', 'Emma.md'), 1_000, 2_000);
		await store.process('Books/Emma.md', (text) => `${text}more\n`);
		const after = await store.stat('Books/Emma.md');
		expect(after?.size).toBe(33);
		expect(after?.mtime).not.toBe(2_000_000);
	});

	it('is null where there is no plain file: nothing, a folder, a link (not followed), a path through a file', async () => {
		const store = new FolderNoteStore(vault);
		await fs.writeFile(path.join(vault, 'Books', 'Real.md'), 'text');
		await fs.symlink(path.join(vault, 'Books', 'Real.md'), path.join(vault, 'Books', 'Link.md'));
		await fs.mkdir(path.join(vault, 'Books', 'Folder.md'));
		for (const note of ['Books/None.md', 'Books/Folder.md', 'Books/Link.md', 'Books/Real.md/Inner.md']) expect(await store.stat(note)).toBeNull();
		expect((await store.stat('Books/Real.md'))?.size).toBe(4);
	});

	it('refuses a path that leaves the vault', async () => {
		await expect(new FolderNoteStore(vault).stat('../outside.md')).rejects.toThrow(/outside the vault/);
	});
});
