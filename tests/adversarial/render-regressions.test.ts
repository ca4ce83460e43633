/**
 * Regressions for renderer bugs the adversarial suite found, checked
 * in-process (the end-to-end cases are in hostile-data.e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/core/api/decode';
import type { BookRecord } from '../../src/core/api/record';
import { fileBaseName } from '../../src/core/render/file-name';
import { MAX_DESCRIPTION_LENGTH } from '../../src/core/render/html-to-markdown';
import { composeNewNote, renderBook } from '../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS } from '../../src/core/render/options';
import { managedPropertyNames } from '../../src/core/render/properties';
import { mergeNote } from '../../src/core/sync/merge';
import { assertInert } from './inert';

function record(raw: Record<string, unknown>): BookRecord {
	const result = decodeRecord(raw);
	if (!result.ok) throw new Error(result.reason);
	return result.record;
}

/** What a file holds after the text was written as UTF-8 and read back. */
function throughDisk(text: string): string {
	return new TextDecoder().decode(new TextEncoder().encode(text));
}

describe('renderer regressions', () => {
	it('a 1 MB HTML description renders in well under a few seconds (was 46 s: the converter is superlinear), cut with a sentence saying so', () => {
		const paragraph = `<p>${'Lorem ipsum <b>dolor</b> sit amet. '.repeat(30)}</p>\n`;
		let html = '<p>START</p>\n';
		while (html.length < 1024 * 1024) html += paragraph;
		const started = performance.now();
		const rendered = renderBook(record({ id: 'big', title: 'Big', description: `${html}<p>END</p>` }), DEFAULT_RENDER_OPTIONS, { baseName: 'Big' });
		expect(performance.now() - started).toBeLessThan(5000);
		expect(rendered.region).toContain('START');
		expect(rendered.region).not.toContain('END');
		expect(rendered.region).toContain('The description was shortened');
		expect(rendered.region.length).toBeLessThan(MAX_DESCRIPTION_LENGTH * 1.2);
		assertInert(composeNewNote(rendered));
	});

	it('a plain-text description of 300,000 characters cut at a surrogate pair never leaves half an emoji', () => {
		const text = `${'a'.repeat(MAX_DESCRIPTION_LENGTH - 1)}😀${'b'.repeat(200_000)}`;
		const rendered = renderBook(record({ id: 'cut', title: 'Cut', description: text }), DEFAULT_RENDER_OPTIONS, { baseName: 'Cut' });
		expect(rendered.region).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
	});

	it('lone surrogates (JSON "\\ud800") in title, author and description: the note read back from disk merges to itself (was rewritten every run)', () => {
		const book = record(JSON.parse('{"id":"s1","title":"Broken \\ud800 title","author":"\\udfff","series":"x\\ud83d","description":"<p>half \\ud83d pair</p>","progress":{"lastDevice":"\\udc00dev"}}') as Record<string, unknown>);
		const rendered = renderBook(book, DEFAULT_RENDER_OPTIONS, { baseName: 'Broken � title' });
		const onDisk = throughDisk(composeNewNote(rendered));
		expect(mergeNote(onDisk, rendered, managedPropertyNames(DEFAULT_RENDER_OPTIONS))).toBe(onDisk);
		expect(onDisk).toContain('Broken \ufffd title');
	});
});

describe('file name regressions', () => {
	it('"%?%" and "%%%%" in a title never leave "%%" (an Obsidian comment) in the file name', () => {
		for (const title of ['%?%<script>', '%%%%', 'a%*%b', '%#%^%']) {
			const name = fileBaseName({ id: 'x', title, genres: [], tags: [], files: [] }, '{{title}}');
			expect(name, title).not.toContain('%%');
		}
	});
});
