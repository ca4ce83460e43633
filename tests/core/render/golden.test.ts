import process from 'node:process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileBaseName } from '../../../src/core/render/file-name';
import { parseNote } from '../../../src/core/render/frontmatter';
import { composeNewNote, renderBook } from '../../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../../src/core/render/options';
import type { BookRecord } from '../../../src/core/api/record';
import { fullRecord, GOLDEN_OPTIONS, hostileRecord, minimalRecord } from './fixtures';

// Reviewed by hand; regenerate with UPDATE_GOLDEN=1 and review the diff.
const GOLDEN_DIR = fileURLToPath(new URL('../../golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

function render(record: BookRecord, options: RenderOptions, duplicateOfLink?: string): string {
	const baseName = fileBaseName(record, options.fileNameTemplate);
	return composeNewNote(renderBook(record, options, { baseName, duplicateOfLink }));
}

const cases: Array<[string, () => string]> = [
	['full', () => render(fullRecord(), GOLDEN_OPTIONS, 'Books/Dune (first print)')],
	['minimal', () => render(minimalRecord(), DEFAULT_RENDER_OPTIONS)],
	['hostile', () => render(hostileRecord(), GOLDEN_OPTIONS)],
];

describe('golden notes', () => {
	for (const [name, make] of cases) {
		it(`renders the ${name} record byte for byte`, () => {
			const text = make();
			const file = join(GOLDEN_DIR, `${name}.md`);
			if (update) writeFileSync(file, text);
			expect(text).toBe(readFileSync(file, 'utf8'));
			expect(text.endsWith('\n')).toBe(true);
			expect(text).not.toContain('\r');
			expect(text).not.toMatch(/\b(?:undefined|NaN|Invalid Date)\b|: null\b/);
			expect(() => parseNote(text)).not.toThrow();
		});
	}

	it('is the same whatever the process time zone says', () => {
		const before = process.env.TZ;
		try {
			process.env.TZ = 'Pacific/Kiritimati';
			const a = render(fullRecord(), GOLDEN_OPTIONS);
			process.env.TZ = 'America/Anchorage';
			const b = render(fullRecord(), GOLDEN_OPTIONS);
			expect(a).toBe(b);
		} finally {
			process.env.TZ = before;
		}
	});
});
