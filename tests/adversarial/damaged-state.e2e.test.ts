/**
 * Nothing read from the state is trusted: a note-path hint that leaves the
 * library folder (or the vault), names a folder, or is not a note is
 * dropped, the book is found by its id, and the run saves a healed state.
 * A note's size and time, kept to skip reading it, are trusted for the
 * note's own file only, never for a link put in its place. A full sync
 * recovers from any state file.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { STATE_FILE, notesById, only, parseReport, syncCli } from './helpers';

interface StoredState {
	cursor?: string;
	notePaths?: Record<string, string>;
	[field: string]: unknown;
}

describe('a damaged sync state', () => {
	let server: ReferenceServer;
	let vault: string;
	beforeEach(async () => {
		server = await startReferenceServer({ books: [{ id: 'dune', title: 'Dune' }, { id: 'emma', title: 'Emma' }, { id: 'ulysses', title: 'Ulysses' }] });
		vault = await tempVault();
		expect((await syncCli(server.url, vault, undefined)).code).toBe(0);
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	const stateFile = (): string => path.join(vault, STATE_FILE);
	const readStored = async (): Promise<StoredState> => JSON.parse(await fs.readFile(stateFile(), 'utf8')) as StoredState;
	async function damage(change: (state: StoredState) => void): Promise<void> {
		const state = await readStored();
		change(state);
		await fs.writeFile(stateFile(), JSON.stringify(state));
	}

	it('a hint outside the vault (../elsewhere.md): the book is found by its id and updated, and the state is healed', async () => {
		await fs.writeFile(path.join(path.dirname(vault), 'elsewhere.md'), '---\nbook_id: dune\n---\n').catch(() => undefined);
		await damage((state) => {
			state.notePaths = { ...state.notePaths, dune: '../elsewhere.md' };
		});
		server.mutate.update('dune', { title: 'Dune', description: 'Arrakis.' });
		const result = await syncCli(server.url, vault, undefined, '--json');
		await fs.rm(path.join(path.dirname(vault), 'elsewhere.md'), { force: true });
		expect(parseReport(result.stdout).failures).toEqual([]);
		expect(result.code).toBe(0);
		expect(only(await notesById(vault), 'dune').path).toBe('Books/Dune.md');
		expect(only(await notesById(vault), 'dune').text).toContain('Arrakis.');
		expect((await readStored()).notePaths?.dune).toBe('Books/Dune.md');
	});

	it('hints at a folder, outside the library folder, at a non-note, at the config folder, absolute or with a backslash: none fails a book, --full or not, and none is saved again', async () => {
		await fs.mkdir(path.join(vault, 'Books', 'Folder.md'), { recursive: true });
		const bad = {
			dune: 'Books/Folder.md',
			emma: '/etc/passwd',
			ulysses: 'Books\\..\\..\\x.md',
			b4: 'Books/covers/cover.jpg',
			b5: '.obsidian/plugins/library-sync/data.md',
			b6: 'Books/../../outside.md',
			b7: 'Elsewhere/Notes.md',
			b8: 'Books//Dune.md',
			b9: 'C:/Windows/x.md',
		};
		for (const full of [false, true]) {
			await damage((state) => {
				state.notePaths = bad;
			});
			for (const id of ['dune', 'emma', 'ulysses']) server.mutate.update(id, { description: `changed ${String(full)}` });
			const result = await syncCli(server.url, vault, undefined, '--json', ...(full ? ['--full'] : []));
			expect(parseReport(result.stdout).failures, `full: ${String(full)}`).toEqual([]);
			expect(result.code).toBe(0);
			const notes = await notesById(vault);
			expect([...notes.keys()].sort()).toEqual(['dune', 'emma', 'ulysses']);
			for (const id of ['dune', 'emma', 'ulysses']) expect(only(notes, id).text).toContain(`changed ${String(full)}`);
			expect((await readStored()).notePaths).toEqual({ dune: 'Books/Dune.md', emma: 'Books/Emma.md', ulysses: 'Books/Ulysses.md' });
		}
	});

	it('a hint at a named pipe called like a note: the run does not hang on it', async () => {
		execFileSync('mkfifo', [path.join(vault, 'Books', 'Pipe.md')]);
		await damage((state) => {
			state.notePaths = { ...state.notePaths, dune: 'Books/Pipe.md' };
		});
		server.mutate.update('dune', { description: 'after the pipe' });
		const result = await syncCli(server.url, vault, undefined, '--json', '--timeout', '5');
		expect(parseReport(result.stdout).failures).toEqual([]);
		expect(only(await notesByIdSkippingPipes(vault), 'dune').text).toContain('after the pipe');
	}, 20_000);

	it('a note swapped for a link to a copy elsewhere with the same size and time: the full walk reads it rather than trust its time, and writes nothing through it when the book changes', async () => {
		const fingerprintOf = async (id: string): Promise<string> => String(((await readStored()).fingerprints as Record<string, string> | undefined)?.[id]);
		// Notes a minute old, checked once by a full walk: their sizes and times are now in the state.
		const minuteAgo = new Date(Date.now() - 60_000);
		for (const name of ['Dune', 'Emma', 'Ulysses']) await fs.utimes(path.join(vault, 'Books', `${name}.md`), minuteAgo, minuteAgo);
		expect((await syncCli(server.url, vault, undefined, '--full')).code).toBe(0);
		expect(await fingerprintOf('dune')).toMatch(/:\d+:\d+(?:\.\d+)?$/);
		const note = path.join(vault, 'Books', 'Dune.md');
		const outside = path.join(path.dirname(vault), `${path.basename(vault)}-outside.md`);
		try {
			const { mtime } = await fs.stat(note);
			await fs.copyFile(note, outside);
			await fs.utimes(outside, mtime, mtime);
			await fs.rm(note);
			await fs.symlink(outside, note);
			const before = await fs.readFile(outside, 'utf8');
			const walk = await syncCli(server.url, vault, undefined, '--full', '--json');
			expect(walk.code).toBe(0);
			expect(parseReport(walk.stdout).counts.unchanged).toBe(3);
			// Read through the link and found the same text, but the link's time is not kept as the note's.
			expect(await fingerprintOf('dune')).not.toMatch(/:\d+:\d+(?:\.\d+)?$/);
			expect(await fingerprintOf('emma')).toMatch(/:\d+:\d+(?:\.\d+)?$/);
			server.mutate.update('dune', { title: 'Dune', description: 'Arrakis.' });
			const changed = await syncCli(server.url, vault, undefined, '--full', '--json');
			expect(changed.code).toBe(0);
			// The link is not taken for the note to write: the book's text lands in a plain note of the library folder.
			expect(await fs.readFile(outside, 'utf8')).toBe(before);
			expect((await fs.lstat(note)).isSymbolicLink()).toBe(true);
			const written = parseReport(changed.stdout).changes.find((change) => change.id === 'dune')?.path ?? '';
			expect(written).toMatch(/^Books\/[^/]+\.md$/);
			expect((await fs.lstat(path.join(vault, written))).isFile()).toBe(true);
			expect(await fs.readFile(path.join(vault, written), 'utf8')).toContain('Arrakis.');
		} finally {
			await fs.rm(outside, { force: true });
		}
	});

	it('any state file at all: a full sync recovers (junk types, junk JSON, a JSON array, a huge cursor)', async () => {
		const junk = [
			'{"cursor": 5, "knownIds": "dune", "notePaths": ["Books/Dune.md"], "pendingRemovals": {"a": 1}, "lastRunAt": null}',
			'{"notePaths": {"dune": 7, "emma": null, "ulysses": {"path": "x"}, "__proto__": "Books/Dune.md"}}',
			'[1, 2, 3]',
			'{"cursor',
			`{"cursor": "${'9'.repeat(10_000)}"}`,
		];
		for (const text of junk) {
			await fs.writeFile(stateFile(), text);
			const result = await syncCli(server.url, vault, undefined, '--json', '--full');
			expect(parseReport(result.stdout).failures, text.slice(0, 60)).toEqual([]);
			expect(result.code, text.slice(0, 60)).toBe(0);
			const notes = await notesById(vault);
			expect([...notes.keys()].sort()).toEqual(['dune', 'emma', 'ulysses']);
			for (const id of notes.keys()) expect(notes.get(id)).toHaveLength(1);
		}
	});
});

/** notesById, without opening the named pipe (reading it would block the test). */
async function notesByIdSkippingPipes(vault: string): Promise<ReturnType<typeof notesById> extends Promise<infer T> ? T : never> {
	const pipe = path.join(vault, 'Books', 'Pipe.md');
	await fs.rm(pipe, { force: true });
	return notesById(vault);
}
