import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/core/errors';
import { parseNote } from '../../../src/core/render/frontmatter';
import { composeNewNote, REGION_BEGIN, REGION_END, renderBook, type RenderedNote } from '../../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS } from '../../../src/core/render/options';
import { managedPropertyNames } from '../../../src/core/render/properties';
import { mergeNote, readNoteId } from '../../../src/core/sync/merge';
import { fullRecord, GOLDEN_OPTIONS } from '../render/fixtures';

const managed = managedPropertyNames(DEFAULT_RENDER_OPTIONS);
const rendered = (properties: RenderedNote['properties'], region = '# Dune'): RenderedNote => ({ properties, region });
const base = rendered([['book_id', 'b1'], ['title', 'Dune'], ['pages', 412], ['tags', ['sf', 'classic']]]);

const note = [
	'---',
	'book_id: b1',
	'# my comment about the title',
	'title: Old title',
	'rating: 5 # out of five',
	'my_list:',
	'- a',
	'-   b',
	'pages: 400',
	'mood:   "cosy"   ',
	'---',
	'Text the user wrote before.',
	REGION_BEGIN,
	'# Old',
	'old body',
	REGION_END,
	'',
	'## My notes',
	'Loved it.',
	'',
].join('\n');

describe('mergeNote', () => {
	it('updates managed properties in place and keeps user properties byte for byte', () => {
		const out = mergeNote(note, base, managed);
		expect(out).toBe([
			'---',
			'book_id: b1',
			'# my comment about the title',
			'title: Dune',
			'rating: 5 # out of five',
			'my_list:',
			'- a',
			'-   b',
			'pages: 412',
			'tags:',
			'  - sf',
			'  - classic',
			'mood:   "cosy"   ',
			'---',
			'Text the user wrote before.',
			REGION_BEGIN,
			'# Dune',
			REGION_END,
			'',
			'## My notes',
			'Loved it.',
			'',
		].join('\n'));
	});

	it('is idempotent and returns the same string when nothing changed', () => {
		const once = mergeNote(note, base, managed);
		const twice = mergeNote(once, base, managed);
		expect(twice).toBe(once);
		const fresh = composeNewNote(base);
		expect(mergeNote(fresh, base, managed)).toBe(fresh);
	});

	it('removes managed properties that are no longer rendered, and keeps unknown ones', () => {
		const out = mergeNote(note, rendered([['book_id', 'b1']]), managed);
		const data = parseNote(out).data;
		expect(Object.keys(data)).toEqual(['book_id', 'rating', 'my_list', 'mood']);
		expect(out).toContain('# my comment about the title\nrating: 5 # out of five\n');
	});

	it('keeps an entry whose value is already right, whatever its formatting', () => {
		const text = '---\nbook_id: "b1"\ntitle: \'Dune\'\npages: 412\ntags: [sf, classic]\n---\n' + `${REGION_BEGIN}\n# Dune\n${REGION_END}\n`;
		expect(mergeNote(text, base, managed)).toBe(text);
	});

	it('inserts the region after the frontmatter when the note has no markers', () => {
		const text = '---\nbook_id: b1\ntitle: Dune\npages: 412\ntags:\n  - sf\n  - classic\n---\nMy own text.\n';
		const out = mergeNote(text, base, managed);
		expect(out).toBe(`---\nbook_id: b1\ntitle: Dune\npages: 412\ntags:\n  - sf\n  - classic\n---\n${REGION_BEGIN}\n# Dune\n${REGION_END}\n\nMy own text.\n`);
		expect(mergeNote(out, base, managed)).toBe(out);
	});

	it('adds frontmatter to a note without one', () => {
		const out = mergeNote('Just my notes.\n', base, managed);
		expect(out).toBe(`${composeNewNote(base).replace(/\n\n$/, '\n\n')}Just my notes.\n`);
		expect(mergeNote('', base, managed)).toBe(composeNewNote(base));
	});

	it('repairs a region with a missing end marker without eating user text', () => {
		const text = `---\nbook_id: b1\n---\n${REGION_BEGIN}\nleft over\nUser text.\n`;
		const out = mergeNote(text, base, managed);
		expect(out).toContain('User text.\n');
		expect(out).toContain('left over');
		expect(mergeNote(out, base, managed)).toBe(out);
	});

	it('copes with a closing delimiter at the end of the file and a byte-order mark', () => {
		const out = mergeNote('---\nbook_id: b1\ntitle: Dune\npages: 412\ntags: [sf, classic]\n---', base, managed);
		expect(out).toBe(`---\nbook_id: b1\ntitle: Dune\npages: 412\ntags: [sf, classic]\n---\n${REGION_BEGIN}\n# Dune\n${REGION_END}\n\n`);
		const bom = mergeNote('\uFEFFMy text', base, managed);
		expect(bom.startsWith('\uFEFF---\nbook_id: b1\n')).toBe(true);
		expect(mergeNote(bom, base, managed)).toBe(bom);
	});

	it('keeps CRLF line endings', () => {
		const crlf = note.replace(/\n/g, '\r\n');
		const out = mergeNote(crlf, base, managed);
		expect(out).toBe(mergeNote(note, base, managed).replace(/\n/g, '\r\n'));
		expect(mergeNote(out, base, managed)).toBe(out);
	});

	it('throws the parser error for invalid YAML and leaves the decision to the caller', () => {
		const invalid = '---\nbook_id: b1\ntitle: [unclosed\n---\nbody\n';
		expect(() => mergeNote(invalid, base, managed)).toThrow(SyncError);
		try {
			mergeNote(invalid, base, managed);
		} catch (error) {
			expect((error as SyncError).kind).toBe('io');
			expect((error as SyncError).message).toBe("The note's properties are not valid YAML; fix them and sync again.");
		}
	});

	it('leaves a note whose managed entries are already right alone, without judging the user\'s own entries', () => {
		const synced = mergeNote(note, base, managed);
		const broken = synced.replace('rating: 5', 'my_list2: [unclosed\nrating: 5');
		// Nothing the sync owns changes: the user's broken entry is theirs to fix.
		expect(mergeNote(broken, base, managed)).toBe(broken);
		// A change to edit needs the whole YAML to be sound.
		expect(() => mergeNote(broken, rendered([...base.properties.slice(0, 2), ['pages', 413], ...base.properties.slice(3)]), managed))
			.toThrow("The note's properties are not valid YAML; fix them and sync again.");
		// A managed entry written twice is not "already right", even when both copies are.
		const twice = synced.replace('title: Dune\n', 'title: Dune\ntitle: Dune\n');
		expect(() => mergeNote(twice, base, managed)).toThrow(SyncError);
		// Nor is one the user re-quoted: it keeps its bytes because its value is the same.
		const quoted = synced.replace('title: Dune', "title: 'Dune'");
		expect(mergeNote(quoted, base, managed)).toBe(quoted);
	});

	it('refuses YAML it cannot edit safely instead of damaging it', () => {
		expect(() => mergeNote('---\n? complex\n: key\nbook_id: b1\n---\n', base, managed)).toThrow(SyncError);
		expect(() => mergeNote('---\n{book_id: b1}\n---\n', base, managed)).toThrow(SyncError);
	});

	it('handles block scalars, quoted keys and comments inside user entries', () => {
		const text = [
			'---',
			'"odd: key": 1',
			'summary: |',
			'  line one',
			'',
			'  line two',
			'# between',
			'title: Old',
			'nested:',
			'  # inner comment',
			'  a: 1',
			'---',
			'',
		].join('\n');
		const out = mergeNote(text, base, managed);
		expect(out.startsWith('---\n"odd: key": 1\nsummary: |\n  line one\n\n  line two\n# between\nbook_id: b1\ntitle: Dune\npages: 412\ntags:\n  - sf\n  - classic\nnested:\n  # inner comment\n  a: 1\n')).toBe(true);
		const data = parseNote(out).data;
		expect(data.summary).toBe('line one\n\nline two\n');
		expect(data.book_id).toBe('b1');
		expect(mergeNote(out, base, managed)).toBe(out);
	});

	it('keeps the user part when a full record is merged twice', () => {
		const rendered1 = renderBook(fullRecord(), GOLDEN_OPTIONS, { baseName: 'Dune' });
		const created = composeNewNote(rendered1);
		const edited = created.replace('---\n<!--', 'my_rating: 4\n---\n<!--') + 'My thoughts.\n';
		const changed = { ...fullRecord(), pageCount: 900, progress: undefined };
		const rendered2 = renderBook(changed, GOLDEN_OPTIONS, { baseName: 'Dune' });
		const merged = mergeNote(edited, rendered2, managedPropertyNames(GOLDEN_OPTIONS));
		const data = parseNote(merged).data;
		expect(data.my_rating).toBe(4);
		expect(data.pages).toBe(900);
		expect(data.progress).toBeUndefined();
		expect(data.reading_status).toBeUndefined();
		expect(merged.endsWith(`${REGION_END}\n\nMy thoughts.\n`)).toBe(true);
		expect(merged).not.toContain('## Progress');
		expect(mergeNote(merged, rendered2, managedPropertyNames(GOLDEN_OPTIONS))).toBe(merged);
	});
});

describe('readNoteId', () => {
	it('reads the id cheaply from plain, quoted and commented values', () => {
		expect(readNoteId('---\ntitle: x\nbook_id: abc-1\n---\n', 'book_id')).toBe('abc-1');
		expect(readNoteId('---\nbook_id: "000123"\n---\n', 'book_id')).toBe('000123');
		expect(readNoteId("---\nbook_id: 'it''s'\n---\n", 'book_id')).toBe("it's");
		expect(readNoteId('---\nbook_id: abc # note\n---\n', 'book_id')).toBe('abc');
		expect(readNoteId('---\nbook_id: 42\n---\n', 'book_id')).toBe('42');
		expect(readNoteId('---\r\nbook_id: crlf\r\n---\r\n', 'book_id')).toBe('crlf');
		expect(readNoteId('---\n"book_id": q\n---\n', 'book_id')).toBe('q');
		expect(readNoteId('---\nbook_id: >\n  folded\n---\n', 'book_id')).toBe('folded\n');
		expect(readNoteId('---\nbook_idx: no\nlib_id: yes\n---\n', 'lib_id')).toBe('yes');
	});

	it('tolerates anything', () => {
		for (const text of ['', 'no frontmatter', '---\nbook_id: [\n---\n', '---\nbook_id:\n---\n', '---\nbook_id: ~\n---\n', '---\nbook_id: [a]\n---\n', '---\nunclosed', '\u0000\uFFFF']) {
			expect(() => readNoteId(text, 'book_id')).not.toThrow();
		}
		expect(readNoteId('---\nbook_id: [a]\n---\n', 'book_id')).toBeUndefined();
		expect(readNoteId('---\nother: 1\n  book_id: nested\n---\n', 'book_id')).toBeUndefined();
	});
});
