import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, safeLoad } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { libraryBaseFile, type LibraryBaseOptions } from '../../../src/core/render/library-base';

interface View {
	type: string;
	name: string;
	order?: string[];
	image?: string;
	filters?: Record<string, unknown>;
	groupBy?: { property: string; direction: string };
	sort?: Array<{ property: string; direction: string }>;
}

interface Base {
	filters: { and: string[] };
	properties: Record<string, { displayName: string }>;
	views: View[];
}

const DEFAULTS: LibraryBaseOptions = { folder: 'Books', idProperty: 'book_id', propertyNames: {} };

function parse(text: string): Base {
	return safeLoad(text, { schema: CORE_SCHEMA }) as Base;
}

function view(base: Base, name: string): View | undefined {
	return base.views.find((candidate) => candidate.name === name);
}

describe('libraryBaseFile', () => {
	it('gives a valid base for the default settings', () => {
		const text = libraryBaseFile(DEFAULTS);
		expect(text.endsWith('\n')).toBe(true);
		expect(text).not.toMatch(/\t|\r/);
		const base = parse(text);
		expect(base.filters.and).toEqual(['file.inFolder("Books")', 'file.hasProperty("book_id")']);
		expect(base.properties['note.reading_status']).toEqual({ displayName: 'Reading status' });
		expect(base.views.map((candidate) => [candidate.type, candidate.name])).toEqual([
			['cards', 'Covers'],
			['table', 'All books'],
			['table', 'Currently reading'],
			['table', 'Finished this year'],
			['table', 'By reading status'],
			['table', 'Removed from the server'],
		]);
		expect(view(base, 'Covers')?.image).toBe('note.cover');
		expect(view(base, 'All books')?.order).toEqual([
			'file.name', 'note.author', 'note.series', 'note.series_index', 'note.progress', 'note.reading_status', 'note.last_read',
		]);
		const notRemoved = { not: ['file.hasProperty("removed")'] };
		// Reading is the status; the progress range only stands in for a book without one.
		expect(view(base, 'Currently reading')?.filters).toEqual({
			and: [notRemoved, { or: ['note.reading_status == "reading"', { and: [{ not: ['file.hasProperty("reading_status")'] }, 'note.progress > 0', 'note.progress < 100'] }] }],
		});
		expect(view(base, 'Covers')?.filters).toEqual(notRemoved);
		expect(view(base, 'All books')?.filters).toEqual(notRemoved);
		expect(view(base, 'By reading status')?.filters).toEqual({ and: [notRemoved, 'file.hasProperty("reading_status")'] });
		expect(view(base, 'Removed from the server')?.filters).toBe('file.hasProperty("removed")');
		expect(view(base, 'Currently reading')?.sort).toEqual([{ property: 'note.last_read', direction: 'DESC' }]);
		expect(view(base, 'Finished this year')?.filters).toEqual({ and: [notRemoved, 'file.hasProperty("finished")', 'note.finished.year == today().year'] });
		expect(view(base, 'By reading status')?.groupBy).toEqual({ property: 'note.reading_status', direction: 'ASC' });
	});

	it('follows the property names of the settings and leaves out what they leave out', () => {
		const base = parse(libraryBaseFile({
			folder: 'Books',
			idProperty: 'id',
			propertyNames: { cover: 'Cover Image', reading_status: 'état', progress: 'read %', finished: null, removed: null },
		}));
		expect(base.filters.and).toContain('file.hasProperty("id")');
		expect(view(base, 'Covers')?.image).toBe('note.Cover Image');
		expect(base.properties['note.read %']).toEqual({ displayName: 'Progress' });
		expect(view(base, 'Currently reading')?.filters).toEqual({
			or: ['note["état"] == "reading"', { and: [{ not: ['file.hasProperty("état")'] }, 'note["read %"] > 0', 'note["read %"] < 100'] }],
		});
		// Without a removed property there is nothing to keep out, and no view of removed books.
		expect(view(base, 'All books')?.filters).toBeUndefined();
		expect(view(base, 'Removed from the server')).toBeUndefined();
		expect(view(base, 'By reading status')?.groupBy?.property).toBe('note.état');
		expect(view(base, 'Finished this year')).toBeUndefined();
		expect(base.properties['note.finished']).toBeUndefined();
	});

	it('drops the views whose properties are all switched off', () => {
		const base = parse(libraryBaseFile({ ...DEFAULTS, propertyNames: { cover: null, reading_status: null, progress: null, finished: null, removed: null } }));
		expect(base.views.map((candidate) => candidate.name)).toEqual(['Covers', 'All books']);
		expect(view(base, 'Covers')?.image).toBeUndefined();
	});

	it('escapes the folder inside the expression and the YAML', () => {
		const base = parse(libraryBaseFile({ ...DEFAULTS, folder: ' /My "odd" folder\\x/ ', idProperty: String.raw`id\"` }));
		// Backslashes are Windows separators: vault paths use '/'.
		expect(base.filters.and).toEqual([String.raw`file.inFolder("My \"odd\" folder/x")`, String.raw`file.hasProperty("id\\\"")`]);
		const quoted = parse(libraryBaseFile({ ...DEFAULTS, folder: "Reading: it's 'mine' #1" }));
		expect(quoted.filters.and[0]).toBe(`file.inFolder("Reading: it's 'mine' #1")`);
		const nested = parse(libraryBaseFile({ ...DEFAULTS, folder: 'Media//Books/' }));
		expect(nested.filters.and[0]).toBe('file.inFolder("Media/Books")');
	});

	it('has no folder filter for the vault root', () => {
		expect(parse(libraryBaseFile({ ...DEFAULTS, folder: '/' })).filters.and).toEqual(['file.hasProperty("book_id")']);
	});

	it('is deterministic', () => {
		expect(libraryBaseFile(DEFAULTS)).toBe(libraryBaseFile({ ...DEFAULTS }));
	});

	it('is what docs/queries.md shows for the default settings', () => {
		const docs = readFileSync(new URL('../../../docs/queries.md', import.meta.url), 'utf8');
		expect(/```yaml\n([\s\S]*?)```/.exec(docs)?.[1]).toBe(libraryBaseFile(DEFAULTS));
	});
});
