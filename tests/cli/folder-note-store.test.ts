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
