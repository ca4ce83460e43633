import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseNote } from '../../src/core/render/frontmatter';
import { readNoteId } from '../../src/core/sync/merge';
import { runCli, snapshot, type CliResult } from '../cli/run-cli';

/** Where the CLI keeps its cursor (it has no app to ask for the config folder). */
export const STATE_FILE = ['.obsidian', 'plugins', 'library-sync', 'cli-state.json'].join('/');

export interface NoteView {
	path: string;
	text: string;
	data: Record<string, unknown>;
}

/** Every note carrying a book id, anywhere in the vault, grouped by id. */
export async function notesById(vault: string): Promise<Map<string, NoteView[]>> {
	const files = await snapshot(vault);
	const byId = new Map<string, NoteView[]>();
	for (const [file, { text }] of files) {
		if (!file.endsWith('.md')) continue;
		const id = readNoteId(text, 'book_id');
		if (id === undefined) continue;
		let data: Record<string, unknown> = {};
		try {
			data = parseNote(text).data;
		} catch {
			// Left as is: the caller asserts on the text.
		}
		byId.set(id, [...(byId.get(id) ?? []), { path: file, text, data }]);
	}
	return byId;
}

/** The one note of a book; fails when there is none or more than one. */
export function only(notes: Map<string, NoteView[]>, id: string): NoteView {
	const found = notes.get(id) ?? [];
	if (found.length !== 1) throw new Error(`expected one note for ${id}, found ${found.length}: ${found.map((note) => note.path).join(', ')}`);
	return found[0] as NoteView;
}

/** Every file below the vault (relative paths), dot-folders included. */
export async function allFiles(vault: string): Promise<string[]> {
	return [...(await snapshot(vault)).keys()].sort();
}

/** Files that are neither in the library folder nor the CLI's state file. */
export async function strayFiles(vault: string, folder = 'Books', allowed: string[] = []): Promise<string[]> {
	return (await allFiles(vault)).filter((file) => !file.startsWith(`${folder}/`) && file !== STATE_FILE && !allowed.includes(file));
}

/** Temporary files of the folder note store left behind anywhere in the vault. */
export async function tempFiles(vault: string): Promise<string[]> {
	const out: string[] = [];
	const walk = async (rel: string): Promise<void> => {
		for (const entry of await fs.readdir(path.join(vault, rel), { withFileTypes: true })) {
			const child = rel ? `${rel}/${entry.name}` : entry.name;
			if (entry.isDirectory()) await walk(child);
			else if (/\.library-sync-.*\.tmp$|\.tmp$/.test(entry.name)) out.push(child);
		}
	};
	await walk('');
	return out;
}

export async function readState(vault: string): Promise<Record<string, string>> {
	try {
		return JSON.parse(await fs.readFile(path.join(vault, STATE_FILE), 'utf8')) as Record<string, string>;
	} catch {
		return {};
	}
}

/** Runs `library-sync sync` against `server` into `vault` with the token in the environment. */
export function syncCli(server: string, vault: string, token: string | undefined, ...extra: string[]): Promise<CliResult> {
	return runCli(['sync', '--server', server, '--vault', vault, ...extra], token === undefined ? {} : { LIBRARY_SYNC_TOKEN: token });
}

/** Non-empty lines of a CLI stream. */
export function lines(text: string): string[] {
	return text.split('\n').filter((line) => line.trim() !== '');
}

export interface JsonReport {
	ok: boolean;
	counts: Record<string, number>;
	failures: Array<{ id?: string; reason: string }>;
	changes: Array<{ id: string; action: string; path: string }>;
	error?: { kind: string; message: string };
	rewalks: number;
	requests: number;
	pages: number;
	books: number;
	cursor?: string;
	warnings?: string[];
}

export function parseReport(stdout: string): JsonReport {
	return JSON.parse(stdout) as JsonReport;
}
