import { describe, expect, it } from 'vitest';
import { isNotePathIn } from '../../src/core/vault-path';
import { usableHints } from '../../src/core/sync/note-index';

describe('paths read back from storage', () => {
	it('isNotePathIn: a normalised note path inside the folder, nothing else', () => {
		for (const ok of ['Books/Dune.md', 'Books/Herbert/Dune.MD', 'Books/a b — c.md']) expect(isNotePathIn(ok, 'Books'), ok).toBe(true);
		expect(isNotePathIn('Anywhere/Dune.md', '')).toBe(true);
		for (const bad of ['../elsewhere.md', 'Books/../../x.md', 'Books/./Dune.md', 'Books//Dune.md', '/Books/Dune.md', 'Books\\Dune.md', 'Books/covers/a.jpg', 'Books', 'Books/', 'Bookshelf/Dune.md', 'Books/.hidden/Dune.md', 'Other/Dune.md'])
			expect(isNotePathIn(bad, 'Books'), bad).toBe(false);
		for (const bad of ['.obsidian/plugins/library-sync/x.md', '../x.md', 'C:\\x.md']) expect(isNotePathIn(bad, ''), bad).toBe(false);
	});

	it('usableHints keeps the hints inside the library or archive folder and drops the rest, in place', () => {
		const hints = new Map([
			['a', 'Books/A.md'],
			['b', 'Archive/B.md'],
			['c', '../C.md'],
			['d', 'Elsewhere/D.md'],
		]);
		expect(usableHints(hints, ['Books', 'Archive'])).toBe(hints);
		expect([...hints]).toEqual([
			['a', 'Books/A.md'],
			['b', 'Archive/B.md'],
		]);
		expect(usableHints(undefined, ['Books']).size).toBe(0);
	});
});
