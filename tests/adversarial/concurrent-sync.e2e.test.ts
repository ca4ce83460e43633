/**
 * Regression: two CLI syncs of one vault at once used to duplicate notes
 * (each saw the other's new notes as strangers). The CLI now locks the
 * vault for the run; the second run says so and exits 1.
 */
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { notesById, syncCli, tempFiles } from './helpers';
import { assertInert } from './inert';

const TOKEN = 'faults-token-31337';
const books = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `f${String(i + 1).padStart(3, '0')}`, title: `Fault Book ${String(i + 1).padStart(3, '0')}`, updatedAt: '2024-01-01T00:00:00Z' }));

describe('concurrent syncs of one vault', () => {
	let server: ReferenceServer;
	let vault: string;
	beforeEach(async () => {
		server = await startReferenceServer({ books: books(60), token: TOKEN });
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});
	const sync = (...extra: string[]) => syncCli(server.url, vault, TOKEN, ...extra);

	it('two syncs of one vault at once leave exactly one note per book, every note whole, no temporary file', async () => {
		await server.stop();
		server = await startReferenceServer({ books: books(60), token: TOKEN });
		const [a, b] = await Promise.all([sync('--limit', '7'), sync('--limit', '11')]);
		const notes = await notesById(vault);
		const duplicates = [...notes].filter(([, found]) => found.length > 1).map(([, found]) => found.map((note) => note.path));
		expect(duplicates, `exit codes ${a.code}/${b.code}; ${a.stderr.slice(0, 200)} | ${b.stderr.slice(0, 200)}`).toEqual([]);
		for (const [id, found] of notes) expect(found.map((note) => note.path), id).toHaveLength(1);
		expect(notes.size).toBe(60);
		for (const [, [note]] of notes) assertInert(note?.text ?? '', { serverUrl: server.url });
		expect(await tempFiles(vault)).toEqual([]);
		expect([a.code, b.code], `${a.stderr} | ${b.stderr}`).toContain(0);
		const loser = a.code === 0 ? b : a;
		if (loser.code !== 0) expect(loser.stderr).toMatch(/Another sync of this vault is running/);
		expect((await fs.readdir(`${vault}/.obsidian/plugins/library-sync`)).includes('cli.lock')).toBe(false);
	});

});
