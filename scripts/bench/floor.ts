/**
 * The floor a sync cannot beat, run as a child process so that it gets its
 * own core as the CLI does (the server stays in the benchmark's process):
 *
 *   fetch --server <url> --limit <n>   fetch and JSON-parse every page of
 *                                      the feed, one after the other
 *   write --from <dir> --to <dir>      write the bytes of every file below
 *                                      <from> to the same paths below <to>
 *                                      with plain fs.writeFile, one by one
 *
 * Prints one JSON line: { ms, pages | files, bytes }. Time is measured
 * inside the process (start-up and, for `write`, reading the notes in are
 * left out).
 */
import { Buffer } from 'node:buffer';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { readNotes } from './vault-diff';

interface FeedPage {
	data: unknown[];
	pagination: { totalPages: number };
}

async function fetchFloor(server: string, limit: number): Promise<{ ms: number; pages: number; bytes: number; records: number }> {
	const started = performance.now();
	let pages = 0;
	let bytes = 0;
	let records = 0;
	for (let page = 1, last = 1; page <= last; page++) {
		const response = await globalThis.fetch(`${server}/api/library/sync?page=${page}&limit=${limit}`, { headers: { Accept: 'application/json' } });
		const body = await response.text();
		const parsed = JSON.parse(body) as FeedPage;
		last = parsed.pagination.totalPages;
		pages += 1;
		bytes += Buffer.byteLength(body);
		records += parsed.data.length;
	}
	return { ms: performance.now() - started, pages, bytes, records };
}

async function writeFloor(from: string, to: string): Promise<{ ms: number; files: number; bytes: number }> {
	const notes = await readNotes(from);
	const bytes = notes.reduce((sum, note) => sum + Buffer.byteLength(note.text), 0);
	const started = performance.now();
	const folders = new Set<string>();
	for (const note of notes) {
		const target = path.join(to, ...note.path.split('/'));
		const folder = path.dirname(target);
		if (!folders.has(folder)) {
			await fs.mkdir(folder, { recursive: true });
			folders.add(folder);
		}
		await fs.writeFile(target, note.text, 'utf8');
	}
	return { ms: performance.now() - started, files: notes.length, bytes };
}

const { values, positionals } = parseArgs({
	args: process.argv.slice(2),
	allowPositionals: true,
	options: { server: { type: 'string' }, limit: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
});
const mode = positionals[0];
let result;
if (mode === 'fetch' && values.server !== undefined) result = await fetchFloor(values.server, Number(values.limit ?? 100));
else if (mode === 'write' && values.from !== undefined && values.to !== undefined) result = await writeFloor(values.from, values.to);
else {
	process.stderr.write('Usage: floor.ts fetch --server <url> [--limit n] | write --from <dir> --to <dir>\n');
	process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
