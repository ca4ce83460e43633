import type { App } from 'obsidian';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApp, type FakeApp, type CreateFakeAppOptions } from '../obsidian-fake/index';
import { readNoteId } from '../../src/core/sync/merge';
import { VaultNoteStore } from '../../src/obsidian/vault-note-store';

vi.mock('obsidian', async () => await import('../obsidian-fake/index'));

function setup(options: CreateFakeAppOptions = {}): { app: FakeApp; store: VaultNoteStore } {
	const app = createFakeApp(options);
	return { app, store: new VaultNoteStore(app as unknown as App) };
}

const note = (id: string | number, body = ''): string => `---\nbook_id: ${typeof id === 'string' ? JSON.stringify(id) : id}\ntitle: T\n---\n${body}`;

describe('VaultNoteStore.buildIdIndex', () => {
	it('uses the metadata cache, and reads the files it has not indexed yet', async () => {
		const { app, store } = setup({
			files: { 'Books/A.md': note('a'), 'Books/B.md': note(42), 'Elsewhere/copy of A.md': note('a'), 'Plain.md': 'no frontmatter', 'cover.jpg': 'bin' },
		});
		app.metadataCache.pauseIndexing();
		await app.vault.create('Books/New.md', note('new'));
		expect(app.metadataCache.getFileCache(app.vault.getFileByPath('Books/New.md') as never)).toBeNull();
		const reads = vi.spyOn(app.vault, 'cachedRead');
		const index = await store.buildIdIndex('book_id');
		expect(Object.fromEntries(index)).toEqual({ a: 'Books/A.md', '42': 'Books/B.md', new: 'Books/New.md' });
		expect(reads.mock.calls.map(([file]) => file.path)).toEqual(['Books/New.md']);
	});

	it('stops with the cancelled error once the run is cancelled', async () => {
		const { store } = setup({ files: { 'Books/A.md': note('a'), 'Books/B.md': note('b') } });
		const cancellation = new AbortController();
		cancellation.abort();
		await expect(store.buildIdIndex('book_id', new Map(), cancellation.signal)).rejects.toMatchObject({ kind: 'cancelled' });
	});

	it('takes the ids of notes the run already read or wrote from what it knows, reading none of them', async () => {
		const { app, store } = setup({ files: { 'Books/A.md': note('a'), 'Books/B.md': note('b') } });
		app.metadataCache.pauseIndexing();
		await app.vault.create('Books/New.md', note('new'));
		const reads = vi.spyOn(app.vault, 'cachedRead');
		const index = await store.buildIdIndex('book_id', new Map([['Books/New.md', 'new'], ['Books/B.md', 'b']]));
		expect(Object.fromEntries(index)).toEqual({ a: 'Books/A.md', b: 'Books/B.md', new: 'Books/New.md' });
		expect(reads).not.toHaveBeenCalled();
	});

	it('finds notes the user renamed or moved (the cache is not updated on rename)', async () => {
		const { app, store } = setup({ files: { 'Books/A.md': note('a') } });
		const file = app.vault.getFileByPath('Books/A.md');
		if (!file) throw new Error('missing');
		await app.vault.createFolder('Read');
		await app.fileManager.renameFile(file, 'Read/My copy.md');
		expect(app.metadataCache.getFileCache(file)).toBeNull();
		expect(Object.fromEntries(await store.buildIdIndex('book_id'))).toEqual({ a: 'Read/My copy.md' });
	});

	it('also works with a cache that moves entries on rename', async () => {
		const { app, store } = setup({ files: { 'Books/A.md': note('a') }, renameBehaviour: 'move' });
		const file = app.vault.getFileByPath('Books/A.md');
		if (!file) throw new Error('missing');
		await app.vault.rename(file, 'A.md');
		expect(Object.fromEntries(await store.buildIdIndex('book_id'))).toEqual({ a: 'A.md' });
	});

	it('honours a custom id property and ignores empty or structured ids', async () => {
		const { store } = setup({
			files: {
				'a.md': '---\nlib_id: x1\n---\n',
				'b.md': '---\nlib_id: ""\n---\n',
				'c.md': '---\nlib_id:\n  nested: 1\n---\n',
				'd.md': '---\nbook_id: y\n---\n',
			},
			indexed: false,
		});
		expect(Object.fromEntries(await store.buildIdIndex('lib_id'))).toEqual({ x1: 'a.md' });
	});
});

describe('readNoteId (the fallback for notes the cache has not indexed)', () => {
	it('reads plain, quoted and commented ids only inside the frontmatter', () => {
		expect(readNoteId('---\nbook_id: 12\n---\n', 'book_id')).toBe('12');
		expect(readNoteId("---\ntitle: x\nbook_id: 'a b'\n---\n", 'book_id')).toBe('a b');
		expect(readNoteId('---\r\nbook_id: "q"\r\n---\r\n', 'book_id')).toBe('q');
		expect(readNoteId('---\nbook_id: 7 # note\n---\n', 'book_id')).toBe('7');
		expect(readNoteId('---\nother: 1\n---\nbook_id: 9\n', 'book_id')).toBeUndefined();
		expect(readNoteId('book_id: 9\n', 'book_id')).toBeUndefined();
		expect(readNoteId('---\nbook_idx: 9\n---\n', 'book_id')).toBeUndefined();
	});
});

describe('VaultNoteStore.read and isTaken', () => {
	it('reads a note, or null when there is none', async () => {
		const { store } = setup({ files: { 'Books/A.md': 'text' } });
		expect(await store.read('Books/A.md')).toBe('text');
		expect(await store.read('Books/a.md')).toBeNull();
		expect(await store.read('Books/Z.md')).toBeNull();
	});

	it('compares case-insensitively and after Unicode normalisation, files and folders alike', async () => {
		const { app, store } = setup({ files: { 'Books/Café.md': '', 'Books/Sub/x.md': '' } });
		expect(await store.isTaken('Books/Café.md')).toBe(true);
		expect(await store.isTaken('books/CAFÉ.md')).toBe(true);
		expect(await store.isTaken('Books/Cafe\u0301.md')).toBe(true);
		expect(await store.isTaken('BOOKS/sub')).toBe(true);
		expect(await store.isTaken('Books/Other.md')).toBe(false);
		expect(await store.isTaken('Books/Café.md/x')).toBe(false);
		await app.vault.create('Books/Fresh.md', '');
		expect(await store.isTaken('books/fresh.md')).toBe(true);
	});

	it('checks every case variant of a folder on a case-sensitive file system', async () => {
		const { store } = setup({ files: { 'books/a.md': '', 'Books/b.md': '' } });
		expect(await store.isTaken('BOOKS/A.md')).toBe(true);
		expect(await store.isTaken('BOOKS/B.md')).toBe(true);
	});
});

describe('VaultNoteStore.stat', () => {
	it('gives the size in bytes and the modification time the vault keeps, and follows writes', async () => {
		const { app, store } = setup({ files: { 'Books/Café.md': 'é!' } });
		const before = app.vault.getFileByPath('Books/Café.md')?.stat.mtime ?? Infinity;
		expect(await store.stat('Books/Café.md')).toEqual({ size: 3, mtime: before });
		await store.process('Books/Café.md', (text) => `${text}?`);
		const after = await store.stat('Books/Café.md');
		expect(after).toEqual({ size: 4, mtime: app.vault.getFileByPath('Books/Café.md')?.stat.mtime });
		expect(after?.mtime).toBeGreaterThan(before);
	});

	it('is null for a missing file, a folder, or another case of the name', async () => {
		const { store } = setup({ files: { 'Books/A.md': 'text' } });
		expect(await store.stat('Books/Z.md')).toBeNull();
		expect(await store.stat('Books')).toBeNull();
		expect(await store.stat('books/a.md')).toBeNull();
	});

	it('refuses a path that leaves the vault or reaches the config folder, as every other call does', async () => {
		const { store } = setup({ files: { 'A.md': 'text' } });
		await expect(store.stat('../A.md')).rejects.toMatchObject({ kind: 'io' });
		await expect(store.stat('.obsidian/app.json')).rejects.toMatchObject({ kind: 'io' });
	});
});

describe('VaultNoteStore.create', () => {
	it('creates the parent folders first', async () => {
		const { app, store } = setup();
		await store.create('Books/Fiction/Dune.md', 'x');
		expect(app.vault.peek('Books/Fiction/Dune.md')).toBe('x');
	});

	it('tolerates a folder created by someone else at the same moment', async () => {
		const { app, store } = setup();
		const original = app.vault.createFolder.bind(app.vault);
		const spy = vi.spyOn(app.vault, 'createFolder').mockImplementation(async (path: string) => {
			await original(path); // a sync service got there first...
			return original(path); // ...so ours rejects "Folder already exists."
		});
		await store.create('Books/Dune.md', 'x');
		expect(spy).toHaveBeenCalled();
		expect(app.vault.peek('Books/Dune.md')).toBe('x');
	});

	it('rejects when the path is taken, even in another case', async () => {
		const { store } = setup({ files: { 'Books/Dune.md': 'x' } });
		await expect(store.create('Books/Dune.md', 'y')).rejects.toMatchObject({ kind: 'io' });
		await expect(store.create('books/dune.md', 'y')).rejects.toMatchObject({ kind: 'io' });
	});

	it('fails clearly when a file sits where a folder must go', async () => {
		const { store } = setup({ files: { Books: 'a file' } });
		await expect(store.create('Books/Dune.md', 'y')).rejects.toMatchObject({ kind: 'io' });
	});
});

describe('VaultNoteStore.process', () => {
	it('writes only when the text changes', async () => {
		const { app, store } = setup({ files: { 'n.md': 'old' } });
		const file = app.vault.getFileByPath('n.md');
		const mtime = file?.stat.mtime;
		await store.process('n.md', (text) => text);
		expect(app.vault.writeCounts.get('n.md') ?? 0).toBe(0);
		expect(file?.stat.mtime).toBe(mtime);
		await store.process('n.md', (text) => `${text}!`);
		expect(app.vault.peek('n.md')).toBe('old!');
		expect(app.vault.writeCounts.get('n.md')).toBe(1);
	});

	it('rejects for a missing note', async () => {
		const { store } = setup();
		await expect(store.process('nope.md', (t) => t)).rejects.toMatchObject({ kind: 'io' });
	});
});

describe('VaultNoteStore.rename', () => {
	it('moves through the file manager (links follow) and creates the target folder', async () => {
		const { app, store } = setup({ files: { 'Books/Old.md': note('a'), 'Journal.md': 'Reading [[Old]].' } });
		await store.rename('Books/Old.md', 'Books/Archive/New.md');
		expect(app.vault.peek('Books/Archive/New.md')).toBe(note('a'));
		expect(app.vault.peek('Journal.md')).toBe('Reading [[New]].');
	});

	it('rejects when the target is taken, but allows a change of case only', async () => {
		const { app, store } = setup({ files: { 'Books/A.md': '', 'Books/B.md': '' } });
		await expect(store.rename('Books/A.md', 'books/b.md')).rejects.toMatchObject({ kind: 'io' });
		await store.rename('Books/A.md', 'Books/a.md');
		expect(app.vault.getFileByPath('Books/a.md')).not.toBeNull();
	});

	it('allows a change of case on a case-insensitive file system too', async () => {
		const { app, store } = setup({ platform: 'mobile', files: { 'Books/A.md': '' } });
		await store.rename('Books/A.md', 'Books/a.md');
		expect(app.vault.getFileByPath('Books/a.md')).not.toBeNull();
	});
});

describe('VaultNoteStore over a large library', () => {
	/** Whether a timer set before the pass ran while the pass was still going: the pass gave the app its turn. */
	async function letsTheAppIn(pass: () => Promise<unknown>, slowDown: () => void): Promise<boolean> {
		let passDone = false;
		let ranDuringPass = false;
		window.setTimeout(() => {
			ranDuringPass = !passDone;
		}, 0);
		const spy = vi.spyOn(Date, 'now');
		spy.mockImplementation(() => {
			slowDown();
			return performance.now();
		});
		try {
			await pass();
		} finally {
			spy.mockRestore();
		}
		passDone = true;
		return ranDuringPass;
	}
	// Each look at the clock costs 0.1 ms: the pass over 2,000 files lasts well over its 8 ms budget.
	const busy = (): void => {
		const until = performance.now() + 0.1;
		while (performance.now() < until) {
			// A slow device.
		}
	};
	const files = Object.fromEntries(Array.from({ length: 2000 }, (_, n) => [`Books/Book ${n}.md`, note(`b${n}`)]));

	it('builds the id index in slices, letting the app run between them', async () => {
		const { store } = setup({ files });
		expect(await letsTheAppIn(() => store.buildIdIndex('book_id'), busy)).toBe(true);
	});

	it('folds the names of a large folder in slices, letting the app run between them', async () => {
		const { store } = setup({ files, caseInsensitiveFileSystem: true });
		expect(await letsTheAppIn(() => store.isTaken('Books/book 7.MD'), busy)).toBe(true);
		expect(await store.isTaken('Books/BOOK 7.md')).toBe(true);
		expect(await store.isTaken('Books/Book 7000.md')).toBe(false);
	});
});
