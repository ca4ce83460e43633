/**
 * Fuzzing the renderer with arbitrary BookSyncRecord JSON, hostile strings
 * included: every record that decodes gives a note whose properties read
 * back (parseNote) to exactly the rendered values, a portable file name, a
 * note that merges into itself (quiet), and nothing executable (assertInert).
 * Budget: about 5 s on 2 cores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/core/api/decode';
import { disambiguate, fileBaseName, MAX_FILE_NAME_BYTES } from '../../src/core/render/file-name';
import { parseNote } from '../../src/core/render/frontmatter';
import { composeNewNote, renderBook } from '../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../src/core/render/options';
import { managedPropertyNames } from '../../src/core/render/properties';
import { mergeNote } from '../../src/core/sync/merge';
import { assertInert } from '../adversarial/inert';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 600);

const HOSTILE = [
	'<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<% tp.file.title %>', '<%* await app.vault.delete() %>',
	'```dataviewjs\ndv.el("b","x")\n```', '`$= dv.pages()`', '`= this.file.name`', '[x](obsidian://open?vault=v)',
	'[y](javascript:alert(1))', '![](https://tracker.example/p.png)', '![[secret.png]]', '[[link]]', '%%hidden%%', 'key:: value',
	'#tag', '---', '\n---\ninjected: true\n---\n', '<!-- library-sync:end -->', '<!-- library-sync:begin -->', 'null', '~', 'yes', 'NaN',
	'&anchor', '*alias', '!!js/function', '{a: b}', '[1, 2]', '- item', '? key', ': colon', '"', "'", '\\', '\u202E', '\u200B', '\uFEFF',
	'\u0000', '\u0085', '\u2028', '\ud800', '\udfff', 'CON', 'nul.txt', '..', '../..', '/etc/passwd', 'C:\\x', '__proto__', 'constructor',
	'👩‍👩‍👧‍👦', 'e\u0301', 'كتاب', '<iframe src=https://evil>', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '\t', '\r\n', ' ',
];

const hostileString = fc.oneof(
	fc.constantFrom(...HOSTILE),
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.array(fc.constantFrom(...HOSTILE), { maxLength: 4 }).map((parts) => parts.join(' ')),
	fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme', maxLength: 10 })).map((parts) => parts.join('')),
);
const loose = fc.oneof(
	{ weight: 4, arbitrary: hostileString },
	{ weight: 1, arbitrary: fc.constant(null) },
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 1, arbitrary: fc.constant(undefined) },
);
const date = fc.oneof(
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	fc.integer({ min: -1, max: 4_000_000_000_000 }),
	fc.constantFrom('2024-02-30', '2024-03-01T10:20:30', '2024-03-01T10:20:30+05:30', 'yesterday', '', '0000-00-00', '99999-01-01'),
	loose,
);

const record = fc.record(
	{
		id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''), fc.integer({ min: 0 }), hostileString.filter((s) => s.trim() !== '')),
		status: loose, title: loose, author: loose, isbn10: loose, isbn13: loose, publisher: loose, publishedYear: fc.oneof(fc.integer(), loose),
		language: loose, description: fc.oneof(hostileString, fc.array(hostileString, { maxLength: 8 }).map((parts) => parts.map((p) => `<p>${p}</p>`).join('\n'))),
		coverUrl: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'obsidian://x', '/covers/1.jpg', '//cdn.example/x.jpg', 'data:image/png;base64,AA'), loose),
		coverPath: loose, pageCount: fc.oneof(fc.integer(), loose), series: loose, seriesIndex: fc.oneof(fc.double(), loose),
		genres: fc.oneof(fc.array(loose, { maxLength: 4 }), loose), tags: fc.oneof(fc.array(loose, { maxLength: 6 }), loose),
		hardcoverBookId: fc.oneof(fc.integer(), loose), hardcoverEditionId: fc.oneof(fc.integer(), loose), createdBy: loose,
		possibleDuplicateOf: loose, approvedAt: date, createdAt: date, updatedAt: date,
		files: fc.oneof(fc.array(fc.record({ id: loose, format: loose, originalName: loose, fileSize: fc.oneof(fc.bigInt({ min: 0n }).map(String), loose) }, { requiredKeys: [] }), { maxLength: 3 }), loose),
		uploader: fc.oneof(fc.record({ id: loose, label: loose }, { requiredKeys: [] }), loose),
		progress: fc.oneof(
			fc.record(
				{
					percentage: fc.oneof(fc.double({ min: -10, max: 300 }), fc.constantFrom(0, 1, 0.5, '42', '0.3'), loose), status: loose, lastDevice: loose,
					lastTimestamp: date, startedAt: date, finishedAt: date, pausedAt: date, manuallySet: loose, externallySet: loose,
				},
				{ requiredKeys: [] },
			),
			fc.constant(null),
		),
	},
	{ requiredKeys: ['id'] },
);

const options = fc.record({
	timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Kiritimati'),
	tagPrefix: fc.constantFrom('', 'books', 'lib/books', '#x y'),
	genresAsTags: fc.boolean(),
	links: fc.record({ author: fc.boolean(), series: fc.boolean(), publisher: fc.boolean(), genres: fc.boolean() }),
	fileNameTemplate: fc.constantFrom('{{title}}', '{{author}} - {{title}}', '{{series}}/{{seriesIndex}} {{title}}', '{{id}}', '{{isbn13}} {{ title }}'),
});

/** What the note holds after being written as UTF-8 and read back. */
function throughDisk(text: string): string {
	return new TextDecoder().decode(new TextEncoder().encode(text));
}

describe('renderer fuzz', () => {
	it(`any decodable record (${NUM_RUNS} runs): properties read back exactly, the name is portable, the note is quiet and inert`, () => {
		fc.assert(
			fc.property(record, options, (raw, picked) => {
				const decoded = decodeRecord(JSON.parse(JSON.stringify(raw)) as unknown);
				if (!decoded.ok) return;
				const renderOptions: RenderOptions = { ...DEFAULT_RENDER_OPTIONS, ...picked, serverUrl: 'https://books.example.org/lib' };
				const base = fileBaseName(decoded.record, renderOptions.fileNameTemplate);
				for (const name of [base, disambiguate(base, decoded.record.id)]) {
					expect(name).not.toMatch(/[\\/:*?"<>|#^[\]]|%%|[\u202a-\u202e\u2066-\u2069\u200b\ufeff]/u);
					expect([...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f' || (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff'))).toBe(false);
					expect(name).not.toMatch(/^[.\s]|[.\s]$/);
					expect(name.split('.')[0]?.trim()).not.toMatch(/^(?:CON|PRN|AUX|NUL|COM\d|LPT\d)$/i);
					expect(new TextEncoder().encode(`${name}.md`).length).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
					expect(name).toBe(name.normalize('NFC'));
				}
				const rendered = renderBook(decoded.record, renderOptions, { baseName: base });
				const text = composeNewNote(rendered);
				const linked = (['author', 'series', 'publisher', 'genres'] as const).filter((key) => renderOptions.links[key]);
				assertInert(text, { serverUrl: renderOptions.serverUrl, linkedProperties: linked });
				const data = parseNote(text).data;
				expect(Object.entries(data)).toEqual(rendered.properties);
				const onDisk = throughDisk(text);
				expect(mergeNote(onDisk, rendered, managedPropertyNames(renderOptions))).toBe(onDisk);
			}),
			{ numRuns: NUM_RUNS },
		);
	}, 60_000);
});
