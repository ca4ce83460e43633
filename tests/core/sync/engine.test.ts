import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../../src/cli/http-transport';
import { DEFAULT_RENDER_OPTIONS } from '../../../src/core/render/options';
import { runSync, type EngineConfig, type EngineDeps } from '../../../src/core/sync/engine';
import type { SyncEvent } from '../../../src/core/sync/events';
import { readNoteId } from '../../../src/core/sync/merge';
import { testEngineConfig } from '../../fakes/engine-config';
import { MemoryNoteStore, MemoryStateStore } from '../../fakes/memory-note-store';
import type { RawBook } from '../../server/raw-book';
import { startReferenceServer, type ReferenceServer } from '../../server/reference-server';

function book(id: string, title: string, extra: Partial<RawBook> = {}): RawBook {
	return { id, title, author: 'Jane Austen', updatedAt: '2024-01-01T00:00:00Z', ...extra };
}

/** The device's clock and the server's agree (a cursor far ahead of the device is not kept). */
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('runSync', () => {
	let server: ReferenceServer;
	let notes: MemoryNoteStore;
	let state: MemoryStateStore;
	let events: SyncEvent[];
	let cancellation: AbortController;

	const deps = (): EngineDeps => ({
		http: new NodeHttpTransport(),
		notes,
		state,
		clock: { now: () => NOW },
		sleep: async () => undefined,
		random: () => 0.5,
		signal: cancellation.signal,
		onEvent: (event) => events.push(event),
	});
	const config = (extra: Partial<EngineConfig> = {}): EngineConfig => testEngineConfig(server.url, extra);
	const pathOf = (id: string): string | undefined => [...notes.files].find(([, text]) => readNoteId(text, 'book_id') === id)?.[0];

	beforeEach(async () => {
		server = await startReferenceServer({
			now: () => NOW,
			covers: false,
			books: [book('b1', 'Emma'), book('b2', 'Persuasion'), book('b3', 'Sense and Sensibility'), book('b4', 'Mansfield Park'), book('b5', 'Northanger Abbey')],
		});
		notes = new MemoryNoteStore();
		state = new MemoryStateStore();
		events = [];
		cancellation = new AbortController();
	});
	afterEach(() => server.stop());

	it('creates one note per book and commits the first page serverTime as the cursor', async () => {
		const report = await runSync(deps(), config());
		expect(report.ok).toBe(true);
		expect(report.counts).toEqual({ created: 5, updated: 0, renamed: 0, unchanged: 0, skipped: 0, removed: 0, failed: 0 });
		expect([...notes.files.keys()].sort()).toEqual(['Books/Emma.md', 'Books/Mansfield Park.md', 'Books/Northanger Abbey.md', 'Books/Persuasion.md', 'Books/Sense and Sensibility.md']);
		expect(report.pages).toBe(3);
		expect(state.state.cursor).toBe(report.cursor);
		const firstPageTime = events.find((event) => event.type === 'page');
		expect(firstPageTime).toBeDefined();
		const done = events.filter((event) => event.type === 'book').map((event) => (event.type === 'book' ? event.done : 0));
		expect(done).toEqual([1, 2, 3, 4, 5]);
	});

	it('writes nothing and builds no index when nothing changed', async () => {
		await runSync(deps(), config());
		const writes = notes.writes;
		notes.indexBuilds = 0;
		const report = await runSync(deps(), config());
		expect(report.ok).toBe(true);
		expect(report.books).toBe(0);
		expect(notes.writes).toBe(writes);
		expect(notes.indexBuilds).toBe(0);
		const full = await runSync(deps(), config({ mode: 'full' }));
		expect(full.counts.unchanged).toBe(5);
		expect(notes.writes).toBe(writes);
	});

	it('reads only the changed books\' notes on an incremental run, through the last run\'s path hints', async () => {
		await runSync(deps(), config());
		expect([...(state.state.notePaths?.keys() ?? [])].sort()).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
		notes.indexBuilds = 0;
		server.mutate.setProgress('b2', { percentage: 30 });
		const report = await runSync(deps(), config());
		expect(report.counts.updated).toBe(1);
		expect(notes.indexBuilds).toBe(0);
		// A hint that no longer holds (the user moved the note) falls back to a scan, and finds it.
		notes.files.set('Moved/Persuasion.md', notes.files.get('Books/Persuasion.md') as string);
		notes.files.delete('Books/Persuasion.md');
		server.mutate.setProgress('b2', { percentage: 31 });
		const moved = await runSync(deps(), config());
		expect(moved.counts.updated).toBe(1);
		expect(notes.indexBuilds).toBe(1);
		expect(pathOf('b2')).toBe('Moved/Persuasion.md');
		expect(state.state.notePaths?.get('b2')).toBe('Moved/Persuasion.md');
	});

	it('reads each note once in a full sync of a synced vault, the removal pass included', async () => {
		await runSync(deps(), config());
		notes.files.set('Mine.md', '# My own note\n');
		notes.files.set('Old/Gone.md', '---\nbook_id: b9\n---\n');
		notes.reads = 0;
		const report = await runSync(deps(), config({ mode: 'full' }));
		expect(report.counts.unchanged).toBe(5);
		expect(report.removals?.missing).toBe(1);
		// The five books' notes when their books came, the two notes this run had not seen
		// when the removal pass listed the vault, and the missing book's note to check its mark.
		expect(notes.reads).toBe(5 + 2 + 1);
	});

	it('keeps going when one book fails, reports it, and does not advance the cursor', async () => {
		await runSync(deps(), config());
		const cursor = state.state.cursor;
		server.mutate.setProgress('b1', { percentage: 10 });
		server.mutate.setProgress('b2', { percentage: 20 });
		notes.failWrites.add('Books/Emma.md');
		const report = await runSync(deps(), config());
		expect(report.ok).toBe(false);
		expect(report.counts.updated).toBe(1);
		expect(report.failures).toHaveLength(1);
		expect(report.failures[0]?.id).toBe('b1');
		expect(report.failures[0]?.reason).toMatch(/disk is full/);
		expect(state.state.cursor).toBe(cursor);
		expect(state.state.lastError).toMatch(/1 book/);
		notes.failWrites.clear();
		const retry = await runSync(deps(), config());
		expect(retry.ok).toBe(true);
		expect(notes.files.get('Books/Emma.md')).toContain('progress: 10');
	});

	it('follows a retitle with a rename, but keeps a name the user chose', async () => {
		await runSync(deps(), config());
		notes.files.set('Books/My favourite.md', notes.files.get('Books/Persuasion.md') as string);
		notes.files.delete('Books/Persuasion.md');
		server.mutate.retitle('b1', 'Emma (Annotated)');
		server.mutate.retitle('b2', 'Persuasion (Annotated)');
		const report = await runSync(deps(), config());
		expect(report.counts.renamed).toBe(1);
		expect(report.changes.find((change) => change.id === 'b1')).toMatchObject({ action: 'renamed', from: 'Books/Emma.md', path: 'Books/Emma (Annotated).md' });
		expect(pathOf('b2')).toBe('Books/My favourite.md');
		expect(notes.files.get('Books/My favourite.md')).toContain('title: Persuasion (Annotated)');
	});

	it('updates a note the user moved to another folder in place', async () => {
		await runSync(deps(), config());
		notes.files.set('Elsewhere/Deep/Emma.md', notes.files.get('Books/Emma.md') as string);
		notes.files.delete('Books/Emma.md');
		server.mutate.setProgress('b1', { percentage: 42 });
		const report = await runSync(deps(), config());
		expect(report.counts.updated).toBe(1);
		expect(pathOf('b1')).toBe('Elsewhere/Deep/Emma.md');
		expect(notes.files.has('Books/Emma.md')).toBe(false);
	});

	it('gives two books with colliding names distinct, stable names', async () => {
		server.mutate.add(book('x1', 'EMMA'));
		await runSync(deps(), config());
		const first = pathOf('x1');
		const second = pathOf('b1');
		// The feed sorts 'EMMA' first: it gets the plain name, the other a stable, distinct one.
		expect(first).toBe('Books/EMMA.md');
		expect(second).toBe('Books/Emma (b1).md');
		const again = await runSync(deps(), config({ mode: 'full' }));
		expect(again.counts.unchanged).toBe(6);
		expect(pathOf('x1')).toBe(first);
		expect(pathOf('b1')).toBe(second);
	});

	it('never touches a file the user owns at the wanted path', async () => {
		notes.files.set('Books/Emma.md', '# My own essay on Emma\n');
		await runSync(deps(), config());
		expect(notes.files.get('Books/Emma.md')).toBe('# My own essay on Emma\n');
		expect(pathOf('b1')).toMatch(/^Books\/Emma \(.+\)\.md$/);
	});

	it('leaves a note with broken YAML alone and reports it', async () => {
		await runSync(deps(), config());
		const broken = (notes.files.get('Books/Emma.md') as string).replace(/^---\n/, '---\nbad: [unclosed\n');
		notes.files.set('Books/Emma.md', broken);
		server.mutate.setProgress('b1', { percentage: 90 });
		const report = await runSync(deps(), config());
		expect(report.ok).toBe(false);
		expect(report.failures[0]?.reason).toMatch(/YAML/);
		expect(notes.files.get('Books/Emma.md')).toBe(broken);
	});

	it('links a possible duplicate to its note even when that note is created later in the run', async () => {
		server.mutate.add(book('a0', 'A Duplicate of Persuasion', { possibleDuplicateOf: 'b2' }));
		const report = await runSync(deps(), config());
		expect(report.ok).toBe(true);
		expect(notes.files.get('Books/A Duplicate of Persuasion.md')).toContain('[[Persuasion]]');
		// Re-rendered at the end of the run to resolve the link, but reported once, as created.
		expect(report.changes.filter((change) => change.id === 'a0').map((change) => change.action)).toEqual(['created']);
		const again = await runSync(deps(), config({ mode: 'full' }));
		expect(again.counts.unchanged).toBe(6);
	});

	it('writes nothing and saves no state on a dry run', async () => {
		const report = await runSync(deps(), config({ dryRun: true }));
		expect(report.counts.created).toBe(5);
		expect(notes.files.size).toBe(0);
		expect(state.saves).toBe(0);
	});

	it('stops when cancelled, keeps what it wrote, and keeps the old cursor', async () => {
		await runSync(deps(), config());
		const cursor = state.state.cursor;
		server.mutate.setProgress('b1', { percentage: 1 });
		cancellation.abort();
		const report = await runSync(deps(), config());
		expect(report.ok).toBe(false);
		expect(report.error?.kind).toBe('cancelled');
		expect(state.state.cursor).toBe(cursor);
	});

	it('fails the run without advancing the cursor when the server is gone', async () => {
		await runSync(deps(), config());
		const cursor = state.state.cursor;
		await server.stop();
		const report = await runSync(deps(), config({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } }));
		expect(report.ok).toBe(false);
		expect(report.error?.kind).toBe('network');
		expect(state.state.cursor).toBe(cursor);
		expect(state.state.lastError).toMatch(/reach/);
	});

	it('mirrors the books of pages without a usable serverTime, keeps the cursor where it was, and warns once', async () => {
		await runSync(deps(), config());
		const cursor = state.state.cursor;
		expect(cursor).toBeDefined();
		server.mutate.setProgress('b1', { percentage: 10 });
		server.mutate.setProgress('b4', { percentage: 40 });
		const http = new NodeHttpTransport();
		const withoutServerTime: EngineDeps['http'] = {
			get: async (request) => {
				const response = await http.get(request);
				const body = JSON.parse(response.body) as Record<string, unknown>;
				delete body.serverTime;
				return { ...response, body: JSON.stringify(body) };
			},
		};
		for (const mode of ['incremental', 'full'] as const) {
			const report = await runSync({ ...deps(), http: withoutServerTime }, config({ mode, pageSize: 1 }));
			expect(report.ok, mode).toBe(true);
			expect(report.pages, mode).toBeGreaterThan(1);
			expect(report.cursor, mode).toBeUndefined();
			expect(report.warnings, mode).toEqual(['The server sent no usable "serverTime", so the cursor stays where it was and the next sync checks the same books again.']);
			expect(state.state.cursor, mode).toBe(cursor);
			expect(state.state.lastError, mode).toBeUndefined();
		}
		expect(notes.files.get(pathOf('b4') ?? '')).toMatch(/progress: 40/);
		// A dry run says the same, and saves nothing.
		const saves = state.saves;
		const dry = await runSync({ ...deps(), http: withoutServerTime }, config({ dryRun: true }));
		expect(dry.warnings).toHaveLength(1);
		expect(state.saves).toBe(saves);
	});

	describe('books through their life', () => {
		it('does not recreate a note the user deleted, unless asked by a full sync or the setting', async () => {
			await runSync(deps(), config());
			notes.files.delete('Books/Emma.md');
			server.mutate.setProgress('b1', { percentage: 50 });
			const report = await runSync(deps(), config());
			expect(report.counts.skipped).toBe(1);
			expect(report.ok).toBe(true);
			expect(pathOf('b1')).toBeUndefined();
			const full = await runSync(deps(), config({ mode: 'full', recreateDeleted: true }));
			expect(full.counts.created).toBe(1);
			expect(pathOf('b1')).toBe('Books/Emma.md');
		});

		it('marks a book that left the server after a clean full walk, never deletes, and unmarks it when it is back', async () => {
			const many = Array.from({ length: 20 }, (_, i) => book(`m${i}`, `Volume ${i}`));
			for (const extra of many) server.mutate.add(extra);
			await runSync(deps(), config({ pageSize: 10 }));
			server.mutate.remove('b2');
			const incremental = await runSync(deps(), config({ pageSize: 10 }));
			expect(incremental.counts.removed).toBe(0);
			const full = await runSync(deps(), config({ mode: 'full', pageSize: 10 }));
			expect(full.ok).toBe(true);
			expect(full.counts.removed).toBe(1);
			expect(full.removals).toMatchObject({ missing: 1, marked: 1 });
			expect(notes.files.get('Books/Persuasion.md')).toMatch(/^removed: 2026-01-01$/m);
			const again = await runSync(deps(), config({ mode: 'full', pageSize: 10 }));
			expect(again.counts.removed).toBe(0);
			expect(again.counts.unchanged).toBe(24);
			server.mutate.add(book('b2', 'Persuasion'));
			await runSync(deps(), config({ pageSize: 10 }));
			expect(notes.files.get('Books/Persuasion.md')).not.toMatch(/^removed:/m);
		});

		it('a cancel during the removal pass stops it: no note is marked, the run ends cancelled and the cursor stays', async () => {
			await runSync(deps(), config());
			const cursor = state.state.cursor;
			server.mutate.remove('b2');
			// The removal pass lists the vault; the user cancels while it does.
			const build = notes.buildIdIndex.bind(notes);
			notes.buildIdIndex = (...args) => {
				cancellation.abort();
				return build(...args);
			};
			const report = await runSync(deps(), config({ mode: 'full', removals: { allowMassRemoval: true, automatic: false } }));
			expect(report.error?.kind).toBe('cancelled');
			expect(report.ok).toBe(false);
			expect(notes.files.get('Books/Persuasion.md')).not.toMatch(/^removed:/m);
			expect(state.state.cursor).toBe(cursor);
		});

		it('a cancel after the last book is written still ends the run cancelled, before the removal pass', async () => {
			await runSync(deps(), config());
			server.mutate.remove('b2');
			const run = deps();
			run.onEvent = (event) => {
				if (event.type === 'book' && event.done === event.total) cancellation.abort();
			};
			const report = await runSync(run, config({ mode: 'full', removals: { allowMassRemoval: true, automatic: false } }));
			expect(report.error?.kind).toBe('cancelled');
			expect(notes.files.get('Books/Persuasion.md')).not.toMatch(/^removed:/m);
		});

		it('holds back when more than a tenth of the library would vanish at once, until confirmed', async () => {
			await runSync(deps(), config());
			server.mutate.remove('b1');
			const held = await runSync(deps(), config({ mode: 'full' }));
			expect(held.removals).toMatchObject({ missing: 1, marked: 0, held: 'too-many' });
			expect(notes.files.get('Books/Emma.md')).not.toMatch(/^removed:/m);
			const confirmed = await runSync(deps(), config({ mode: 'full', removals: { allowMassRemoval: true, automatic: false } }));
			expect(confirmed.counts.removed).toBe(1);
		});

		it('acts on an automatic full walk only when the next one agrees, and moves to the archive folder', async () => {
			await runSync(deps(), config());
			server.mutate.remove('b3');
			const automatic = { mode: 'full' as const, archiveFolder: 'Archive', removals: { allowMassRemoval: true, automatic: true } };
			const first = await runSync(deps(), config(automatic));
			expect(first.removals?.held).toBe('awaiting-second-walk');
			expect(state.state.pendingRemovals).toEqual(['b3']);
			const second = await runSync(deps(), config(automatic));
			expect(second.counts.removed).toBe(1);
			expect(pathOf('b3')).toBe('Archive/Sense and Sensibility.md');
			expect(state.state.pendingRemovals).toBeUndefined();
			server.mutate.add(book('b3', 'Sense and Sensibility'));
			const back = await runSync(deps(), config(automatic));
			expect(back.counts.renamed).toBe(1);
			expect(pathOf('b3')).toBe('Books/Sense and Sensibility.md');
			expect(notes.files.get('Books/Sense and Sensibility.md')).not.toMatch(/^removed:/m);
		});

		it('never marks anything after a walk that returned no books', async () => {
			await runSync(deps(), config());
			for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) server.mutate.remove(id);
			const report = await runSync(deps(), config({ mode: 'full', removals: { allowMassRemoval: true, automatic: false } }));
			expect(report.counts.removed).toBe(0);
			expect([...notes.files.values()].some((text) => /^removed:/m.test(text))).toBe(false);
		});

		it('puts new notes in the folder layout, made safe', async () => {
			server.mutate.update('b1', { author: '../../Etc/Passwd', series: 'Novels' });
			await runSync(deps(), config({ folderTemplate: '{{author}}/{{series}}' }));
			const path = pathOf('b1') as string;
			expect(path.startsWith('Books/')).toBe(true);
			expect(path.split('/')).not.toContain('..');
			expect(path.endsWith('/Novels/Emma.md')).toBe(true);
			expect(pathOf('b2')).toBe('Books/Jane Austen/Persuasion.md');
		});

		it('carries notes over when a property is renamed in the settings', async () => {
			await runSync(deps(), config());
			expect(notes.files.get('Books/Emma.md')).toMatch(/^author:\n {2}- Jane Austen$/m);
			const renamed = { ...DEFAULT_RENDER_OPTIONS, serverUrl: server.url, propertyNames: { author: 'writer' } };
			const report = await runSync(deps(), config({ mode: 'full', render: renamed, retiredPropertyNames: ['author'] }));
			expect(report.counts.updated).toBe(5);
			const text = notes.files.get('Books/Emma.md') as string;
			expect(text).toMatch(/^writer:\n {2}- Jane Austen$/m);
			expect(text).not.toMatch(/^author:/m);
		});
	});

	describe('extras, templates and clocks', () => {
		it('links the cover the extras found, and passes their warnings to the report', async () => {
			const finished: string[] = [];
			const extras = {
				extrasFor: async (record: { id: string }) => (record.id === 'b1' ? { coverPath: 'Books/covers/b1.jpg' } : {}),
				finish: async () => {
					finished.push('done');
					return ['Cover of Persuasion: too large.'];
				},
			};
			const report = await runSync({ ...deps(), extras }, config());
			expect(notes.files.get('Books/Emma.md')).toContain('cover: "[[Books/covers/b1.jpg]]"');
			expect(report.warnings).toEqual(['Cover of Persuasion: too large.']);
			expect(finished).toEqual(['done']);
		});

		it('fails up front, touching no note, when the body template is broken', async () => {
			const render = { ...DEFAULT_RENDER_OPTIONS, serverUrl: server.url, bodyTemplate: '{{#title}} unclosed' };
			const report = await runSync(deps(), config({ render }));
			expect(report.ok).toBe(false);
			expect(report.error?.kind).toBe('config');
			expect(notes.files.size).toBe(0);
		});

		it('renders the body through a custom template', async () => {
			const render = { ...DEFAULT_RENDER_OPTIONS, serverUrl: server.url, bodyTemplate: '## {{title}} by {{author}}\n' };
			await runSync(deps(), config({ render }));
			expect(notes.files.get('Books/Emma.md')).toContain('## Emma by Jane Austen');
		});

		it('says which run was the first successful one', async () => {
			expect((await runSync(deps(), config())).firstSync).toBe(true);
			expect((await runSync(deps(), config())).firstSync).toBeUndefined();
		});

		it('does not keep a cursor far ahead of the device clock, and says why', async () => {
			await server.stop();
			server = await startReferenceServer({ now: () => Date.parse('2999-01-01T00:00:00Z'), covers: false, books: [book('b1', 'Emma')] });
			const report = await runSync(deps(), config());
			expect(report.ok).toBe(true);
			expect(state.state.cursor).toBeUndefined();
			expect(report.warnings?.[0]).toMatch(/clock .* ahead/);
		});
	});
});

