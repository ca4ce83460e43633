/**
 * Model-based convergence of the sync engine (README, Guarantees): random sequences
 * of server mutations, faults, user edits and sync runs (incremental, full,
 * cancelled part-way, with the library changing mid-walk), driven through
 * runSync in-process over a model server, an in-memory vault, an instant
 * Sleep and the server's clock.
 *
 * After every run: one note per book at most, nothing outside the library
 * folder but notes the user moved, every user edit intact, every note inert,
 * and after a successful run every book present and up to date (books
 * changed during that very walk may lag one run: their change is newer than
 * the cursor). After a final clean full sync (user-requested, which
 * recreates notes the user deleted) the vault equals the model.
 *
 * Deleted notes: a note the user deleted is not recreated by other runs
 * (the engine's knownIds); a user-requested full sync brings it back.
 * Removed books keep their notes (never deleted).
 *
 * Budget: NUM_RUNS sequences of up to MAX_COMMANDS steps; about 10-15 s on
 * 2 cores. A failure prints fast-check's seed, path and the shrunk command
 * list (each command prints itself readably).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/core/settings/load';
import { engineConfigFrom } from '../../src/core/settings/to-engine';
import { runSync } from '../../src/core/sync/engine';
import { readNoteId } from '../../src/core/sync/merge';
import type { SyncReport } from '../../src/core/sync/report';
import { inertPropertyText } from '../../src/core/render/neutralise';
import { assertInert } from '../adversarial/inert';
import { MemoryNoteStore, MemoryStateStore } from '../fakes/memory-note-store';
import { ModelServer, type ModelFault } from './model-server';

const NUM_RUNS = Number(process.env.MODEL_RUNS ?? 2000);
const MAX_COMMANDS = 30;
const SERVER_URL = 'http://model.test';
const MOVED_FOLDER = 'Elsewhere';
const TITLES = ['Emma', 'emma', 'EMMA', 'Dune', 'Café', 'Cafe\u0301', 'A/B: C', 'CON', '  ', 'Zebra', '[[x]] #t %%', '<% tp.file %>'];

interface UserEdits {
	appended: string[];
	properties: string[];
	moved: boolean;
}

/** The model: the server is its own model; this holds what the user did and what the vault must show. */
interface Model {
	edits: Map<string, UserEdits>;
	/** Ids whose note the user deleted and no run has recreated yet. */
	deleted: Set<string>;
	/** Ids changed during the last walk: their new state may arrive one run later. */
	lagging: Set<string>;
}

interface Real {
	server: ModelServer;
	notes: MemoryNoteStore;
	state: MemoryStateStore;
	nextId: number;
	nextMark: number;
	reports: SyncReport[];
}

type Command = fc.AsyncCommand<Model, Real>;

function expectedTitle(title: string): string | undefined {
	const cleaned = inertPropertyText(title.normalize('NFC').trim());
	return cleaned === '' ? undefined : cleaned;
}

/** id -> paths of the notes carrying it. */
function noteIndex(notes: MemoryNoteStore): Map<string, string[]> {
	const index = new Map<string, string[]>();
	for (const [path, text] of notes.files) {
		const id = readNoteId(text, 'book_id');
		if (id !== undefined) index.set(id, [...(index.get(id) ?? []), path]);
	}
	return index;
}

function pick<T>(items: readonly T[], n: number): T | undefined {
	return items.length === 0 ? undefined : items[n % items.length];
}

function bookIds(real: Real): string[] {
	return [...real.server.books.keys()].sort();
}

function notePaths(real: Real): string[] {
	return [...real.notes.files.keys()].filter((path) => readNoteId(real.notes.files.get(path) ?? '', 'book_id') !== undefined).sort();
}

function editsOf(model: Model, id: string): UserEdits {
	let edits = model.edits.get(id);
	if (!edits) {
		edits = { appended: [], properties: [], moved: false };
		model.edits.set(id, edits);
	}
	return edits;
}

/** Invariants after every run; `complete` adds "every book present and up to date". */
function checkVault(model: Model, real: Real, complete: boolean): void {
	const index = noteIndex(real.notes);
	for (const [path, text] of real.notes.files) {
		const id = readNoteId(text, 'book_id');
		const moved = id !== undefined && model.edits.get(id)?.moved === true;
		if (!path.startsWith('Books/') && !(moved && path.startsWith(`${MOVED_FOLDER}/`))) throw new Error(`${path} is outside the library folder`);
		assertInert(text);
	}
	for (const [id, paths] of index) {
		if (paths.length !== 1) throw new Error(`book ${id} has ${paths.length} notes: ${paths.join(', ')}`);
		const text = real.notes.files.get(paths[0] as string) ?? '';
		const edits = model.edits.get(id);
		for (const mark of edits?.appended ?? []) if (!text.includes(mark)) throw new Error(`${paths[0]} lost the user's text ${mark}`);
		for (const key of edits?.properties ?? []) if (!text.includes(`\n${key}: `)) throw new Error(`${paths[0]} lost the user's property ${key}`);
		if (edits?.moved && !(paths[0] as string).startsWith(`${MOVED_FOLDER}/`)) throw new Error(`${paths[0]} was moved back into the library folder`);
		model.deleted.delete(id);
	}
	for (const [id, edits] of model.edits) {
		if (!model.deleted.has(id) && !index.has(id) && (edits.appended.length > 0 || edits.properties.length > 0)) throw new Error(`the note of ${id}, with user edits, vanished`);
	}
	if (!complete) return;
	for (const book of real.server.books.values()) {
		if (model.lagging.has(book.id)) continue;
		const paths = index.get(book.id);
		if (paths === undefined) {
			if (model.deleted.has(book.id)) continue;
			throw new Error(`book ${book.id} ("${book.title}") has no note after a successful run`);
		}
		const data = assertInert(real.notes.files.get(paths[0] as string) ?? '');
		if (data.title !== expectedTitle(book.title)) throw new Error(`${paths[0]}: title ${JSON.stringify(data.title)}, server has ${JSON.stringify(book.title)}`);
		if (data.progress !== book.progress) throw new Error(`${paths[0]}: progress ${String(data.progress)}, server has ${String(book.progress)}`);
	}
}

class AddBook implements Command {
	constructor(readonly title: string) {}
	check = (): boolean => true;
	async run(_model: Model, real: Real): Promise<void> {
		real.server.add(`b${real.nextId++}`, this.title);
	}
	toString = (): string => `server.add(${JSON.stringify(this.title)})`;
}

class RemoveBook implements Command {
	constructor(readonly n: number) {}
	check = (): boolean => true;
	async run(_model: Model, real: Real): Promise<void> {
		const id = pick(bookIds(real), this.n);
		if (id !== undefined) real.server.remove(id);
	}
	toString = (): string => `server.remove(#${this.n})`;
}

class Retitle implements Command {
	constructor(readonly n: number, readonly title: string) {}
	check = (): boolean => true;
	async run(_model: Model, real: Real): Promise<void> {
		const id = pick(bookIds(real), this.n);
		if (id !== undefined) real.server.retitle(id, this.title);
	}
	toString = (): string => `server.retitle(#${this.n}, ${JSON.stringify(this.title)})`;
}

class Progress implements Command {
	constructor(readonly n: number, readonly percentage: number) {}
	check = (): boolean => true;
	async run(_model: Model, real: Real): Promise<void> {
		const id = pick(bookIds(real), this.n);
		if (id !== undefined) real.server.setProgress(id, this.percentage);
	}
	toString = (): string => `server.progress(#${this.n}, ${this.percentage})`;
}

class QueueFault implements Command {
	constructor(readonly fault: ModelFault) {}
	check = (): boolean => true;
	async run(_model: Model, real: Real): Promise<void> {
		real.server.faults.push(this.fault);
	}
	toString = (): string => `fault(${this.fault})`;
}

class UserAppend implements Command {
	constructor(readonly n: number) {}
	check = (): boolean => true;
	async run(model: Model, real: Real): Promise<void> {
		const path = pick(notePaths(real), this.n);
		if (path === undefined) return;
		const text = real.notes.files.get(path) ?? '';
		const mark = `USER-TEXT-${real.nextMark++}`;
		real.notes.files.set(path, `${text}\n${mark} with [[my link]] and #mytag\n`);
		editsOf(model, readNoteId(text, 'book_id') as string).appended.push(mark);
	}
	toString = (): string => `user.append(note #${this.n})`;
}

class UserAddProperty implements Command {
	constructor(readonly n: number) {}
	check = (): boolean => true;
	async run(model: Model, real: Real): Promise<void> {
		const path = pick(notePaths(real), this.n);
		if (path === undefined) return;
		const text = real.notes.files.get(path) ?? '';
		const key = `my_rating_${real.nextMark++}`;
		real.notes.files.set(path, text.replace(/^---\n/, `---\n${key}: 5 # mine\n`));
		editsOf(model, readNoteId(text, 'book_id') as string).properties.push(key);
	}
	toString = (): string => `user.addProperty(note #${this.n})`;
}

class UserMove implements Command {
	constructor(readonly n: number) {}
	check = (): boolean => true;
	async run(model: Model, real: Real): Promise<void> {
		const path = pick(notePaths(real).filter((candidate) => candidate.startsWith('Books/')), this.n);
		if (path === undefined) return;
		const target = `${MOVED_FOLDER}/${path.slice(path.lastIndexOf('/') + 1)}`;
		if (await real.notes.isTaken(target)) return;
		const text = real.notes.files.get(path) ?? '';
		real.notes.files.delete(path);
		real.notes.files.set(target, text);
		editsOf(model, readNoteId(text, 'book_id') as string).moved = true;
	}
	toString = (): string => `user.move(note #${this.n} -> ${MOVED_FOLDER}/)`;
}

class UserDelete implements Command {
	constructor(readonly n: number) {}
	check = (): boolean => true;
	async run(model: Model, real: Real): Promise<void> {
		const path = pick(notePaths(real), this.n);
		if (path === undefined) return;
		const id = readNoteId(real.notes.files.get(path) ?? '', 'book_id') as string;
		real.notes.files.delete(path);
		model.edits.delete(id);
		model.deleted.add(id);
	}
	toString = (): string => `user.delete(note #${this.n})`;
}

class Sync implements Command {
	constructor(
		readonly mode: 'incremental' | 'full',
		readonly userRequested: boolean,
		readonly cancelAfter: number | undefined,
		readonly midWalk: { atRequest: number; n: number; title: string } | undefined,
	) {}
	check = (): boolean => true;
	async run(model: Model, real: Real): Promise<void> {
		const report = await sync(real, this.mode, this.userRequested, this.cancelAfter, this.midWalk, model);
		real.reports.push(report);
		checkVault(model, real, report.ok);
	}
	toString = (): string => {
		const parts: string[] = [this.mode];
		if (this.userRequested) parts.push('user');
		if (this.cancelAfter !== undefined) parts.push(`cancel after ${this.cancelAfter} checks`);
		if (this.midWalk) parts.push(`retitle #${this.midWalk.n} to ${JSON.stringify(this.midWalk.title)} before request ${this.midWalk.atRequest}`);
		return `sync(${parts.join(', ')})`;
	};
}

async function sync(
	real: Real,
	mode: 'incremental' | 'full',
	userRequested: boolean,
	cancelAfter: number | undefined,
	midWalk: { atRequest: number; n: number; title: string } | undefined,
	model: Model,
): Promise<SyncReport> {
	const { settings } = loadSettings({ serverUrl: SERVER_URL, pageSize: 3 });
	const config = { ...engineConfigFrom(settings, { mode, dryRun: false, token: undefined, userRequested }), maxRewalks: 2 };
	model.lagging.clear();
	real.server.requestsThisRun = 0;
	real.server.beforeRequest = (count) => {
		if (midWalk === undefined || count !== midWalk.atRequest) return;
		const id = pick(bookIds(real), midWalk.n);
		if (id === undefined) return;
		real.server.retitle(id, midWalk.title);
		model.lagging.add(id);
	};
	const cancellation = new AbortController();
	let booksDone = 0;
	try {
		return await runSync(
			{
				http: real.server,
				notes: real.notes,
				state: real.state,
				clock: { now: () => real.server.time },
				sleep: () => Promise.resolve(),
				random: () => 0.5,
				signal: cancellation.signal,
				onEvent: (event) => {
					if (event.type === 'book' && cancelAfter !== undefined && ++booksDone > cancelAfter) cancellation.abort();
				},
			},
			config,
		);
	} finally {
		real.server.beforeRequest = undefined;
	}
}

const index = fc.nat({ max: 50 });
const title = fc.constantFrom(...TITLES);
const commands = fc.commands(
	[
		title.map((t) => new AddBook(t)),
		title.map((t) => new AddBook(t)),
		index.map((n) => new RemoveBook(n)),
		fc.tuple(index, title).map(([n, t]) => new Retitle(n, t)),
		fc.tuple(index, fc.integer({ min: 0, max: 100 })).map(([n, p]) => new Progress(n, p)),
		fc.constantFrom<ModelFault>('http-503', 'network', 'timeout', 'html', 'truncated', 'http-500-forever').map((f) => new QueueFault(f)),
		index.map((n) => new UserAppend(n)),
		index.map((n) => new UserAddProperty(n)),
		index.map((n) => new UserMove(n)),
		index.map((n) => new UserDelete(n)),
		fc
			.tuple(
				fc.constantFrom<'incremental' | 'full'>('incremental', 'incremental', 'full'),
				fc.boolean(),
				fc.option(fc.nat({ max: 12 }), { nil: undefined }),
				fc.option(fc.record({ atRequest: fc.integer({ min: 1, max: 4 }), n: index, title }), { nil: undefined }),
			)
			.map(([mode, user, cancel, mid]) => new Sync(mode, user, cancel, mid)),
	],
	{ maxCommands: MAX_COMMANDS },
);

describe('model-based convergence of the engine', () => {
	it(`converges: ${NUM_RUNS} random sequences of mutations, faults, user edits and runs, then a clean full sync`, async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: 999 }), title), { maxLength: 6 }), commands, async (initial, cmds) => {
				const server = new ModelServer();
				const real: Real = { server, notes: new MemoryNoteStore(), state: new MemoryStateStore(), nextId: 1, nextMark: 1, reports: [] };
				for (const [, t] of initial) server.add(`b${real.nextId++}`, t);
				const model: Model = { edits: new Map(), deleted: new Set(), lagging: new Set() };
				await fc.asyncModelRun(() => ({ model, real }), cmds);
				server.faults.length = 0;
				const final = await sync(real, 'full', true, undefined, undefined, model);
				expect(final.error, JSON.stringify(final.error)).toBeUndefined();
				expect(final.failures).toEqual([]);
				expect(final.ok).toBe(true);
				model.deleted.clear();
				checkVault(model, real, true);
				const index = noteIndex(real.notes);
				for (const id of server.books.keys()) expect(index.get(id), id).toHaveLength(1);
				// Quiet: one more full run writes nothing.
				const writes = real.notes.writes;
				const again = await sync(real, 'full', true, undefined, undefined, model);
				expect(again.ok).toBe(true);
				expect(real.notes.writes).toBe(writes);
			}),
			{ numRuns: NUM_RUNS },
		);
	}, 120_000);
});
