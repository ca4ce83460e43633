/**
 * The views of the generated Library.base, applied to the notes of a synced
 * vault by a small evaluator of the Bases filter language (bases-eval.ts):
 * every view shows what its name says, on the sample library and on a
 * synthetic one. The expected books are counted from the records the
 * server sent, independently of the base.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CORE_SCHEMA, safeLoad } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../src/core/api/decode-record';
import type { BookRecord } from '../../../src/core/api/record';
import { runCli, tempVault } from '../../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../../server/reference-server';
import type { RawBook } from '../../server/raw-book';
import { sampleLibrary } from '../../server/sample-library';
import { syntheticLibrary } from '../../server/synthetic';
import { groups, viewNotes, type BaseContext, type BaseNote, type BaseView, type Filter, type PropertyType } from './bases-eval';

/** The types the README asks the user to give the properties (Properties view). */
const TYPES: Record<string, PropertyType> = {
	added: 'datetime', updated: 'datetime', approved: 'datetime', last_read: 'datetime', started: 'datetime', finished: 'datetime', paused: 'datetime',
	progress: 'number', series_index: 'number', published_year: 'number', pages: 'number', removed: 'date',
	author: 'list', aliases: 'list', genres: 'list', tags: 'list', formats: 'list',
};

interface SyncedVault {
	base: { filters: Filter; views: BaseView[] };
	notes: BaseNote[];
	/** The records the server still lists, decoded, and the ids it dropped. */
	listed: BookRecord[];
	removedIds: Set<string>;
}

async function notesOf(vault: string, folder: string): Promise<BaseNote[]> {
	const notes: BaseNote[] = [];
	for (const entry of await fs.readdir(path.join(vault, folder), { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
		const full = path.join(entry.parentPath, entry.name);
		const text = await fs.readFile(full, 'utf8');
		const yaml = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '';
		notes.push({ path: path.relative(vault, full).split(path.sep).join('/'), properties: (safeLoad(yaml, { schema: CORE_SCHEMA }) ?? {}) as Record<string, unknown> });
	}
	return notes;
}

/** Syncs `books` into a fresh vault, then drops `removeCount` of them from the server and walks again (--full), so some notes are marked removed. */
async function syncedVault(books: RawBook[], removeCount: number): Promise<SyncedVault & { cleanup(): Promise<void> }> {
	const server: ReferenceServer = await startReferenceServer({ books });
	const vault = await tempVault();
	const sync = async (...extra: string[]): Promise<void> => {
		const result = await runCli(['sync', '--vault', vault, '--server', server.url, '--no-covers', '--quiet', ...extra]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
	};
	await sync();
	const removedIds = new Set(books.filter((_, index) => index % 7 === 3).slice(0, removeCount).map((book) => String(book.id)));
	for (const id of removedIds) server.mutate.remove(id);
	await sync('--full');
	const listed = books
		.filter((book) => !removedIds.has(String(book.id)))
		.map((book) => decodeRecord(book))
		.flatMap((decoded) => (decoded.ok ? [decoded.record] : []));
	const base = safeLoad(await fs.readFile(path.join(vault, 'Books', 'Library.base'), 'utf8'), { schema: CORE_SCHEMA }) as SyncedVault['base'];
	return {
		base,
		notes: await notesOf(vault, 'Books'),
		listed,
		removedIds,
		async cleanup() {
			await server.stop();
			await fs.rm(vault, { recursive: true, force: true });
		},
	};
}

/** What each view must show, counted from the records. */
function expectedCounts(listed: BookRecord[], removed: number, year: number): Record<string, number> {
	const status = (book: BookRecord): string | undefined => book.progress?.status;
	const percentage = (book: BookRecord): number => book.progress?.percentage ?? 0;
	return {
		'Covers': listed.length,
		'All books': listed.length,
		'Currently reading': listed.filter((book) => status(book) === 'reading' || (status(book) === undefined && percentage(book) > 0 && percentage(book) < 100)).length,
		'Finished this year': listed.filter((book) => book.progress?.finishedAt !== undefined && new Date(book.progress.finishedAt).getUTCFullYear() === year).length,
		'By reading status': listed.filter((book) => status(book) !== undefined).length,
		'Removed from the server': removed,
	};
}

function countsPerView(vault: SyncedVault, context: BaseContext): Record<string, number> {
	return Object.fromEntries(vault.base.views.map((view) => [view.name, viewNotes(vault.base.filters, view, vault.notes, context).length]));
}

describe.each([
	['the sample library', (): RawBook[] => sampleLibrary(), 2023],
	['a synthetic library of 400 books', (): RawBook[] => syntheticLibrary(400, 7), 2024],
])('Library.base over %s', (_name, books, year) => {
	let vault: Awaited<ReturnType<typeof syncedVault>>;
	const context = (): BaseContext => ({ types: TYPES, today: new Date(Date.UTC(year, 6, 1)) });

	beforeAll(async () => {
		vault = await syncedVault(books(), 5);
	});
	afterAll(async () => {
		await vault.cleanup();
	});

	it('shows in every view exactly the books its name says', () => {
		expect(vault.removedIds.size).toBe(5);
		expect(countsPerView(vault, context())).toEqual(expectedCounts(vault.listed, 5, year));
	});

	it('shows a removed book only in the view of removed books', () => {
		const removed = vault.base.views.find((view) => view.name === 'Removed from the server');
		expect(removed).toBeDefined();
		const shown = viewNotes(vault.base.filters, removed as BaseView, vault.notes, context());
		expect(shown.map((note) => note.properties.book_id).sort()).toEqual([...vault.removedIds].sort());
		for (const view of vault.base.views.filter((candidate) => candidate !== removed)) {
			for (const note of viewNotes(vault.base.filters, view, vault.notes, context())) expect(vault.removedIds.has(String(note.properties.book_id))).toBe(false);
		}
	});

	it('groups by reading status without an unnamed group', () => {
		const view = vault.base.views.find((candidate) => candidate.name === 'By reading status') as BaseView;
		const byStatus = groups(view, viewNotes(vault.base.filters, view, vault.notes, context()), context());
		expect(byStatus.has('')).toBe(false);
		const expected = new Map<string, number>();
		for (const book of vault.listed) {
			const status = book.progress?.status;
			if (status !== undefined) expected.set(status, (expected.get(status) ?? 0) + 1);
		}
		expect(Object.fromEntries(byStatus)).toEqual(Object.fromEntries(expected));
	});

	it('finds the books finished this year only when `finished` is typed as a date, as the README says', () => {
		const asText = { ...context(), types: { ...TYPES, finished: 'text' as const } };
		const finished = vault.base.views.find((view) => view.name === 'Finished this year') as BaseView;
		expect(viewNotes(vault.base.filters, finished, vault.notes, asText)).toHaveLength(0);
		expect(viewNotes(vault.base.filters, finished, vault.notes, context()).length).toBeGreaterThan(0);
	});
});

describe('Library.base over the sample library, in numbers', () => {
	it('has the counts of the sample library (165 books, 5 of them dropped by the server)', async () => {
		const vault = await syncedVault(sampleLibrary(), 5);
		try {
			const counts = countsPerView(vault, { types: TYPES, today: new Date(Date.UTC(2023, 6, 1)) });
			// 17 books are being read (the 15 paused ones with partial progress are not); 61 of the
			// 160 still listed have a reading status; 6 were finished in 2023.
			expect(counts).toEqual({
				'Covers': 160,
				'All books': 160,
				'Currently reading': 17,
				'Finished this year': 6,
				'By reading status': 61,
				'Removed from the server': 5,
			});
		} finally {
			await vault.cleanup();
		}
	});
});
