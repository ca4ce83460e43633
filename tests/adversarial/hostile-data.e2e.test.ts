/**
 * Hostile records through the built CLI against the reference server. One
 * sync (pages of 7) carries every record; each test then asserts on one
 * book's note. README, Guarantees: complete, contained, inert, YAML never broken.
 */
import { Buffer } from 'node:buffer';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameKey } from '../../src/core/render/file-name';
import { snapshot, tempVault } from '../cli/run-cli';
import type { RawBook } from '../server/raw-book';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { notesById, only, parseReport, strayFiles, syncCli, tempFiles, type JsonReport, type NoteView } from './helpers';
import { assertInert } from './inert';

const TOKEN = 'hostile-data-token-5150';
const raw = (fields: Record<string, unknown>): RawBook => fields as RawBook;
const MB = 1024 * 1024;

const HOSTILE_HTML = [
	'<p>Intro <script>alert(document.cookie)</script> and <img src="x" onerror="alert(1)"> end.</p>',
	'<iframe src="https://evil.example/"></iframe>',
	'<pre><code class="language-dataviewjs">dv.paragraph(app.vault.getFiles().length)</code></pre>',
	'<p>```dataviewjs\ndv.el("b", "pwned")\n```</p>',
	'<p>`$= dv.current().file.name` and `= this.file.name` and <code>$=app.vault.adapter.remove("x")</code></p>',
	'<p><% tp.system.prompt("x") %> <%* await app.vault.delete(app.vault.getFiles()[0]) %></p>',
	'<p><a href="obsidian://open?vault=Secret&file=x">open</a> <a href="javascript:alert(1)">js</a> <a href="https://ok.example/">fine</a></p>',
	'<p><img src="https://tracker.example/pixel.png"> ![remote](https://tracker.example/a.png) ![[Private note]] [[Another note]]</p>',
	'<p>%%hidden%% <!-- comment --> key:: value #tag [ref]: javascript:alert(1)</p>',
	'<div onclick="alert(1)" style="background:url(javascript:alert(1))">div</div><svg onload="alert(1)"></svg>',
	'<p>data:text/html;base64,PHNjcmlwdD4= and file:///etc/passwd and vbscript:msgbox</p>',
	'<p>---</p><p><!-- library-sync:end --></p><p>after</p>',
].join('\n');

function hugeDescription(): string {
	const paragraph = `<p>${'Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit. '.repeat(20)}</p>\n`;
	let out = '<p>HUGE-START <script>alert(1)</script></p>\n';
	while (out.length < MB) out += paragraph;
	return `${out}<p>HUGE-END</p>`;
}

const LONG_EMOJI_TITLE = '👩‍👩‍👧‍👦'.repeat(40);

const BOOKS: RawBook[] = [
	raw({
		id: 'h-nulls', status: null, title: null, author: null, isbn10: null, isbn13: null, publisher: null, publishedYear: null,
		language: null, description: null, coverUrl: null, coverPath: null, pageCount: null, series: null, seriesIndex: null,
		genres: [null, null], tags: null, hardcoverBookId: null, hardcoverEditionId: null, createdBy: null, possibleDuplicateOf: null,
		approvedAt: null, createdAt: null, updatedAt: null, files: [null, {}], uploader: null,
		progress: { percentage: null, status: null, lastDevice: null, lastTimestamp: null, startedAt: null, finishedAt: null, pausedAt: null, manuallySet: null, externallySet: null },
	}),
	raw({ id: 'h-only-id' }),
	raw({ id: 'h-strings', title: 'Strings For Numbers', publishedYear: '1813', pageCount: '432', seriesIndex: '2.5', series: 'S', hardcoverBookId: '77', hardcoverEditionId: ' 78 ', isbn13: 9780141439518 }),
	raw({ id: 'h-bools', title: 'Booleans As Strings', progress: { percentage: 10, manuallySet: 'true', externallySet: 0 } }),
	raw({ id: 'h-pct-over', title: 'Percent Over', progress: { percentage: 250 } }),
	raw({ id: 'h-pct-neg', title: 'Percent Negative', progress: { percentage: -5 } }),
	raw({ id: 'h-pct-fraction', title: 'Percent Fraction', progress: { percentage: 0.42 } }),
	raw({ id: 'h-pct-string', title: 'Percent String', progress: { percentage: '57.5' } }),
	raw({ id: 'h-pct-one-finished', title: 'Percent One Finished', progress: { percentage: 1, status: 'finished' } }),
	raw({ id: 'h-pct-junk', title: 'Percent Junk', progress: { percentage: 'lots', status: 'reading' } }),
	raw({
		id: 'h-dates', title: 'Odd Dates',
		createdAt: 1700000000, updatedAt: '1700000000000', approvedAt: '2024-03-01T10:20:30',
		progress: { lastTimestamp: 1700000000, startedAt: '2024-02-30', finishedAt: 'yesterday', pausedAt: '2024-03-01T10:20:30+05:30' },
	}),
	raw({ id: 'h-dates-ms', title: 'Epoch Milliseconds', progress: { lastTimestamp: 1700000000123, startedAt: '0000-00-00', pausedAt: '' } }),
	raw({ id: 'h-huge', title: 'Huge Description', description: hugeDescription() }),
	raw({ id: 'h-lone-surrogate', title: 'Broken \ud800 surrogate', author: '\udfff', description: '<p>half \ud83d pair</p>' }),
	raw({ id: 'h-emoji', title: '👩‍👩‍👧 Family 🇺🇦 Stories' }),
	raw({ id: 'h-rtl', title: 'كتاب الرمل עברית' }),
	raw({ id: 'h-zero-width', title: 'Zero\u200Bwidth\uFEFF\u2060Title' }),
	raw({ id: 'h-bidi', title: 'invoice\u202Etxt.exe' }),
	raw({ id: 'h-combining', title: 'Z̸̢̛a̵̡l̷̨g̶̛o̴̢ text' }),
	raw({ id: 'h-long-emoji', title: LONG_EMOJI_TITLE }),
	raw({ id: 'h-emma-1', title: 'Emma' }),
	raw({ id: 'h-emma-2', title: 'EMMA' }),
	raw({ id: 'h-emma-3', title: 'emma' }),
	raw({ id: 'h-cafe-nfc', title: 'Caf\u00e9' }),
	raw({ id: 'h-cafe-nfd', title: 'Cafe\u0301' }),
	raw({ id: 'h-con', title: 'CON' }),
	raw({ id: 'h-nul-ext', title: 'nul.txt' }),
	raw({ id: 'h-com1', title: 'com1' }),
	raw({ id: 'h-lpt', title: 'LPT9 ' }),
	raw({ id: 'h-dotdot', title: '../../../../etc/passwd', author: '../../x', series: '/abs/series' }),
	raw({ id: 'h-abs', title: '/etc/passwd' }),
	raw({ id: 'h-win', title: 'C:\\Windows\\System32\\drivers' }),
	raw({ id: 'h-backslash', title: '..\\..\\evil' }),
	raw({ id: 'h-dot', title: '.hidden' }),
	raw({ id: 'h-dots', title: '..' }),
	raw({ id: '../../../escape-id' }),
	JSON.parse('{"id":"h-proto","title":"Prototype","__proto__":{"title":"polluted","isAdmin":true},"constructor":{"prototype":{"polluted":true}},"progress":{"__proto__":{"percentage":99},"percentage":5}}') as RawBook,
	raw({ id: 'h-tags', title: 'Tags', tags: ['science fiction', '#classic', '1984', 'Classic', 'classic', 'a#b', '  ', 'x/y z', '#', 12, null] }),
	raw({ id: 'h-yaml-keys', title: 'Title\nbook_id: stolen\nprogress: 100', author: 'A\r\n---\ninjected: true\n---' }),
	raw({ id: 'h-yaml-scalars', title: 'yes', author: "&anchor *alias !!js/function 'x' \"y\" {a: b} [c] # comment", publisher: '~', series: 'null', language: '0x1F', createdBy: '- item', status: '@at `tick` | pipe > gt' }),
	raw({ id: 'h-templater', title: '<% tp.system.prompt() %> and <%* await app.vault.delete() %>', author: '<%+ tp.date.now() %>' }),
	raw({ id: 'h-inert', title: 'Inert Description', description: HOSTILE_HTML }),
	raw({
		id: 'h-inert-title',
		title: '[[Secret]] ![[x.png]] #tag %%hidden%% `$= dv.pages()` <script>alert(1)</script> [click](obsidian://open?vault=x) javascript:alert(1)',
		author: 'javascript:alert(1)', publisher: 'obsidian://open?vault=x',
		genres: ['[[Wiki]]', '#genre', '<b>bold</b>'],
		files: [{ id: 'f1', format: 'EPUB<script>', originalName: '<img src=x onerror=alert(1)>.epub', fileSize: '99999999999999999999' }],
		progress: { lastDevice: '<img src=x onerror=alert(1)> `= this`', status: '[[reading]]' },
		coverPath: '../../../etc/shadow',
	}),
	raw({ id: 'h-cover-js', title: 'Cover Javascript', coverUrl: 'javascript:alert(1)' }),
	raw({ id: 'h-cover-obsidian', title: 'Cover Obsidian', coverUrl: 'obsidian://open?vault=x' }),
	raw({ id: 'h-cover-data', title: 'Cover Data', coverUrl: 'data:image/svg+xml;base64,PHN2Zy8+' }),
	raw({ id: 'h-cover-relative', title: 'Cover Relative', coverUrl: '/covers/1.jpg' }),
	raw({
		id: 'h-property-links',
		title: '[[Brackets]] ![[x.png]]',
		author: '[[Evil]] | Author', series: '[[Series]]', publisher: '[home](obsidian://open?vault=x)',
		possibleDuplicateOf: '[[Dup]]', createdBy: '![[Embed]]',
	}),
	// Another server the user did not allow (never fetched: covers from other origins are off).
	raw({ id: 'h-cover-elsewhere', title: 'Cover Elsewhere', coverUrl: 'https://tracker.example.net/pixel.jpg?u=reader' }),
	raw({ id: 42, title: 'Numeric Id' }),
];

describe('hostile records through the CLI: one sync, one note each', () => {
	let server: ReferenceServer;
	let vault: string;
	let notes: Map<string, NoteView[]>;
	let report: JsonReport;
	let stderr: string;
	let syncMs = 0;
	const note = (id: string): NoteView => only(notes, id);

	beforeAll(async () => {
		server = await startReferenceServer({ books: BOOKS, token: TOKEN });
		vault = await tempVault();
		const started = Date.now();
		const result = await syncCli(server.url, vault, TOKEN, '--json', '--limit', '7');
		syncMs = Date.now() - started;
		stderr = result.stderr;
		report = parseReport(result.stdout);
		notes = await notesById(vault);
	}, 60_000);

	afterAll(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('syncs every hostile record: exit report ok, one note per book, nothing on stderr', () => {
		expect(stderr).toBe('');
		expect(report.ok).toBe(true);
		expect(report.counts.created).toBe(BOOKS.length);
		expect(notes.size).toBe(BOOKS.length);
		for (const [id, found] of notes) expect(found, id).toHaveLength(1);
	});

	it('keeps every file inside the library folder, whatever the titles, authors, series and ids say', async () => {
		expect(await strayFiles(vault)).toEqual([]);
		for (const [, [found]] of notes) expect(found?.path.split('/')).toHaveLength(2);
		expect(await tempFiles(vault)).toEqual([]);
	});

	it('writes every note inert (assertInert) with properties that parse', () => {
		for (const [, [found]] of notes) expect(() => assertInert(found?.text ?? '', { serverUrl: server.url }), found?.path).not.toThrow();
	});

	it('gives every note a portable name: no reserved characters, no device name, no leading dot, at most 255 bytes', () => {
		const keys = new Set<string>();
		for (const [, [found]] of notes) {
			const name = (found?.path ?? '').slice('Books/'.length);
			expect(name, name).not.toMatch(/[\\/:*?"<>|#^[\]]|%%|[\u202a-\u202e\u2066-\u2069\u200b\ufeff]/);
			expect([...name].some((ch) => ch.charCodeAt(0) < 0x20), name).toBe(false);
			expect(name).not.toMatch(/^\.|[. ]\.md$/);
			expect(name.slice(0, -3).split('.')[0]?.trim()).not.toMatch(/^(?:CON|PRN|AUX|NUL|COM\d|LPT\d)$/i);
			expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(255);
			expect(name.normalize('NFC')).toBe(name);
			keys.add(nameKey(name));
		}
		expect(keys.size).toBe(notes.size);
	});

	it('null in every field: a note with only the id, named after the id, no "null" anywhere', () => {
		const found = note('h-nulls');
		expect(found.path).toBe('Books/h-nulls.md');
		expect(Object.keys(found.data)).toEqual(['book_id']);
		expect(found.text).not.toMatch(/: null|\bundefined\b|\bNaN\b|Invalid Date/);
		expect(found.text).toContain('# h-nulls');
	});

	it('a record with only an id: a note named after the id with the id property', () => {
		const found = note('h-only-id');
		expect(found.path).toBe('Books/h-only-id.md');
		expect(found.data).toEqual({ book_id: 'h-only-id' });
	});

	it('numbers sent as strings become numbers (published_year, pages, series_index, hardcover ids); a numeric ISBN stays text', () => {
		const data = note('h-strings').data;
		expect(data).toMatchObject({ published_year: 1813, pages: 432, series_index: 2.5, hardcover_book_id: 77, hardcover_edition_id: 78, isbn13: '9780141439518' });
	});

	it('booleans sent as "true" and 0 become checkboxes true and false', () => {
		expect(note('h-bools').data).toMatchObject({ progress_manual: true, progress_external: false });
	});

	it('percentage 250 is clamped to 100', () => expect(note('h-pct-over').data.progress).toBe(100));
	it('percentage -5 is clamped to 0', () => expect(note('h-pct-neg').data.progress).toBe(0));
	it('percentage 0.42 (a fraction) is read as 42', () => expect(note('h-pct-fraction').data.progress).toBe(42));
	it('percentage "57.5" (a string) is read as 57.5', () => expect(note('h-pct-string').data.progress).toBe(57.5));
	it('percentage 1 on a finished book is 100', () => expect(note('h-pct-one-finished').data.progress).toBe(100));
	it('percentage "lots" is left out, the status kept', () => {
		const data = note('h-pct-junk').data;
		expect(data.progress).toBeUndefined();
		expect(data.reading_status).toBe('reading');
	});

	it('dates as epoch seconds, epoch-ms strings, ISO without offset and with +05:30 render in UTC; invalid ones are left out', () => {
		const data = note('h-dates').data;
		expect(data).toMatchObject({
			added: '2023-11-14T22:13:20',
			updated: '2023-11-14T22:13:20',
			approved: '2024-03-01T10:20:30',
			last_read: '2023-11-14T22:13:20',
			paused: '2024-03-01T04:50:30',
		});
		expect(data.started).toBeUndefined();
		expect(data.finished).toBeUndefined();
	});

	it('lastTimestamp in milliseconds reads like seconds; "0000-00-00" and "" are left out', () => {
		const data = note('h-dates-ms').data;
		expect(data.last_read).toBe('2023-11-14T22:13:20');
		expect(data.started).toBeUndefined();
		expect(data.paused).toBeUndefined();
	});

	it('a 1 MB description is cut to 100,000 characters with a sentence saying so, converted in bounded time, inert', () => {
		const found = note('h-huge');
		expect(found.text.length).toBeGreaterThan(50_000);
		expect(found.text.length).toBeLessThan(150_000);
		expect(found.text).toContain('HUGE-START');
		expect(found.text).not.toContain('HUGE-END');
		expect(found.text).toContain('The description was shortened');
		expect(found.text).not.toContain('<script');
		expect(syncMs).toBeLessThan(20_000);
	});

	it('a lone surrogate in the title and description is written as U+FFFD, so the note stays stable', () => {
		const found = note('h-lone-surrogate');
		expect(found.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/);
		expect(found.path.startsWith('Books/Broken')).toBe(true);
	});

	it('an emoji title (ZWJ family, flag) keeps its graphemes in the name and the title', () => {
		const found = note('h-emoji');
		expect(found.path).toBe('Books/👩‍👩‍👧 Family 🇺🇦 Stories.md');
		expect(found.data.title).toBe('👩‍👩‍👧 Family 🇺🇦 Stories');
	});

	it('an Arabic and Hebrew (RTL) title is kept as is', () => {
		expect(note('h-rtl').path).toBe('Books/كتاب الرمل עברית.md');
	});

	it('zero-width characters are dropped from the name and the title', () => {
		const found = note('h-zero-width');
		expect(found.path).not.toMatch(/[\u200b\ufeff\u2060]/);
		expect(found.path).toMatch(/^Books\/Zerowidth ?Title\.md$/);
		expect(found.data.title).toBe('ZerowidthTitle');
	});

	it('a bidi override (RLO) never reaches the name or the properties', () => {
		const found = note('h-bidi');
		expect(found.path).toBe('Books/invoicetxt.exe.md');
		expect(found.text).not.toContain('\u202E');
	});

	it('stacked combining characters are kept, normalised to NFC', () => {
		const found = note('h-combining');
		expect(found.data.title).toBe('Z̸̢̛a̵̡l̷̨g̶̛o̴̢ text'.normalize('NFC'));
	});

	it('a 40-emoji title is cut to 255 bytes at a grapheme boundary, the full title stays in the properties', () => {
		const found = note('h-long-emoji');
		const base = found.path.slice('Books/'.length, -3);
		expect(Buffer.byteLength(`${base}.md`)).toBeLessThanOrEqual(255);
		const family = '👩‍👩‍👧‍👦';
		expect(base.length % family.length).toBe(0);
		expect(base).toBe(family.repeat(base.length / family.length));
		expect(found.data.title).toBe(LONG_EMOJI_TITLE);
		expect(found.data.aliases).toEqual([LONG_EMOJI_TITLE]);
	});

	it('"Emma", "EMMA" and "emma" get three distinct names that differ beyond case', () => {
		const paths = ['h-emma-1', 'h-emma-2', 'h-emma-3'].map((id) => note(id).path);
		expect(new Set(paths.map(nameKey)).size).toBe(3);
		expect(paths.filter((path) => /\(h-emma-\d\)\.md$/.test(path))).toHaveLength(2);
	});

	it('"Café" in NFC and NFD get two distinct names after normalisation', () => {
		const paths = ['h-cafe-nfc', 'h-cafe-nfd'].map((id) => note(id).path);
		expect(new Set(paths.map(nameKey)).size).toBe(2);
		for (const id of ['h-cafe-nfc', 'h-cafe-nfd']) expect(note(id).data.title).toBe('Café');
	});

	it('Windows device names (CON, nul.txt, com1, "LPT9 ") are defused but keep their title', () => {
		expect(note('h-con').path).toBe('Books/CON_.md');
		expect(note('h-nul-ext').path).toBe('Books/nul_.txt.md');
		expect(note('h-com1').path).toBe('Books/com1_.md');
		expect(note('h-lpt').path).toBe('Books/LPT9_.md');
		expect(note('h-con').data.title).toBe('CON');
	});

	it('"../../../../etc/passwd", "/etc/passwd", "C:\\Windows\\...", "..\\..\\evil", ".hidden" and ".." stay files in Books/', () => {
		for (const id of ['h-dotdot', 'h-abs', 'h-win', 'h-backslash', 'h-dot', 'h-dots']) {
			const path = note(id).path;
			expect(path, id).toMatch(/^Books\/[^/.][^/]*\.md$/);
		}
		expect(note('h-dotdot').data).toMatchObject({ title: '../../../../etc/passwd', author: ['../../x'], series: '/abs/series' });
	});

	it('an id of "../../../escape-id" with no title is named inside Books/ and keeps its id', () => {
		const found = note('../../../escape-id');
		expect(found.path).toMatch(/^Books\/[^/.][^/]*\.md$/);
		expect(found.data.book_id).toBe('../../../escape-id');
	});

	it('__proto__ and constructor keys in a record are ignored and pollute nothing', () => {
		const found = note('h-proto');
		expect(found.data.title).toBe('Prototype');
		expect(found.data.progress).toBe(5);
		expect(found.text).not.toMatch(/polluted|isAdmin|__proto__/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('tags with spaces, "#", only digits, case duplicates, blanks and numbers become distinct valid tags', () => {
		const tags = note('h-tags').data.tags as string[];
		expect(tags).toEqual(['science-fiction', 'classic', '_1984', 'a-b', 'x/y-z', '_12']);
		for (const tag of tags) {
			expect(tag).toMatch(/^[\p{L}\p{M}\p{N}_\-/]+$/u);
			expect(tag).not.toMatch(/^[\d/]+$/);
		}
	});

	it('YAML key injection through newlines in the title and a "---" author adds no property', () => {
		const data = note('h-yaml-keys').data;
		expect(data.book_id).toBe('h-yaml-keys');
		expect(data.progress).toBeUndefined();
		expect(data.injected).toBeUndefined();
		expect(data.title).toBe('Title book_id: stolen progress: 100');
		expect(data.author).toEqual(['A --- injected: true ---']);
	});

	it('YAML-special scalars (yes, ~, null, 0x1F, anchors, aliases, tags, flow, comments) read back as the same strings', () => {
		expect(note('h-yaml-scalars').data).toMatchObject({
			title: 'yes',
			author: ["&anchor *alias !!js/function 'x' \"y\" {a: b} [c] # comment"],
			publisher: '~',
			series: 'null',
			language: '0x1F',
			created_by: '- item',
			library_status: '@at `tick` | pipe > gt',
		});
	});

	it('Templater tags in title and author never appear raw in the note, and read back as sent', () => {
		const found = note('h-templater');
		expect(found.text).not.toContain('<%');
		expect(found.data.title).toBe('<% tp.system.prompt() %> and <%* await app.vault.delete() %>');
		expect(found.data.author).toEqual(['<%+ tp.date.now() %>']);
	});

	it('a description with scripts, event handlers, dataviewjs, inline DQL/JS, Templater, obsidian:// and javascript: links, remote images and embeds is inert', () => {
		const found = note('h-inert');
		assertInert(found.text);
		expect(found.text).toContain('fine');
		expect(found.text).toContain('https://ok.example/');
		expect(found.text).not.toMatch(/onerror=|onclick=|onload=/);
	});

	it('hostile titles, authors, genres, devices and file names are inert in the body, and in the properties read as sent but for links (class 7)', () => {
		const found = note('h-inert-title');
		assertInert(found.text, { serverUrl: server.url });
		expect(found.data.title).toBe('⟦Secret⟧ !⟦x.png⟧ #tag %%hidden%% `$= dv.pages()` <script>alert(1)</script> [click] (obsidian://open?vault=x) javascript:alert(1)');
		expect(found.data.genres).toEqual(['⟦Wiki⟧', '#genre', '<b>bold</b>']);
		expect(found.path).not.toMatch(/[[\]#]/);
	});

	it('a javascript:, obsidian:// or data: cover URL is dropped; a relative one is fetched from the server into the covers folder', async () => {
		expect(note('h-cover-js').data.cover).toBeUndefined();
		expect(note('h-cover-obsidian').data.cover).toBeUndefined();
		expect(note('h-cover-data').data.cover).toBeUndefined();
		expect(note('h-cover-relative').data.cover).toBe('[[Books/covers/h-cover-relative.jpg]]');
		expect((await fs.stat(path.join(vault, 'Books/covers/h-cover-relative.jpg'))).size).toBeGreaterThan(0);
	});

	it('class 7: server text never becomes a live link or embed in any property, aliases included', () => {
		const found = note('h-property-links');
		assertInert(found.text, { serverUrl: server.url });
		expect(found.data).toMatchObject({
			title: '⟦Brackets⟧ !⟦x.png⟧',
			aliases: ['⟦Brackets⟧ !⟦x.png⟧'],
			author: ['⟦Evil⟧ | Author'],
			series: '⟦Series⟧',
			publisher: '[home] (obsidian://open?vault=x)',
			possible_duplicate_of: '⟦Dup⟧',
			created_by: '!⟦Embed⟧',
		});
	});

	it('class 8: a cover on another server the user did not allow is never requested and never in `cover` (the cards\' image); `cover_url` keeps it as text', () => {
		const found = note('h-cover-elsewhere');
		assertInert(found.text, { serverUrl: server.url });
		expect(found.data.cover).toBeUndefined();
		expect(found.data.cover_url).toBe('https://tracker.example.net/pixel.jpg?u=reader');
		expect(found.text).not.toMatch(/!\[[^\]]*\]\(https:\/\/tracker/);
	});

	it('a numeric id (42) is kept as the text "42"', () => {
		const found = note('42');
		expect(found.data.book_id).toBe('42');
		expect(found.path).toBe('Books/Numeric Id.md');
	});

	it('a second full sync of the hostile library writes nothing: same bytes, same mtimes', async () => {
		const before = await snapshot(vault);
		const again = await syncCli(server.url, vault, TOKEN, '--json', '--full', '--limit', '7');
		const second = parseReport(again.stdout);
		expect(second.ok).toBe(true);
		expect(second.counts.unchanged).toBe(BOOKS.length);
		const after = await snapshot(vault);
		for (const [file, entry] of before) {
			if (!file.startsWith('Books/')) continue;
			expect(after.get(file)?.text, file).toBe(entry.text);
			expect(after.get(file)?.mtimeMs, file).toBe(entry.mtimeMs);
		}
	}, 60_000);
});

describe('hostile names in a file name template', () => {
	it('"{{author}}/{{series}}/{{title}}" with "..", "/" and "\\" in every field still writes one file directly in Books/', async () => {
		const server = await startReferenceServer({
			books: [
				raw({ id: 't1', title: '../../etc', author: '../..', series: '/root' }),
				raw({ id: 't2', title: 'C:\\x', author: '..\\..', series: '\\\\server\\share' }),
			],
		});
		const vault = await tempVault();
		try {
			const result = await syncCli(server.url, vault, undefined, '--template', '{{author}}/{{series}}/{{title}}');
			expect(result.code).toBe(0);
			const found = await notesById(vault);
			for (const id of ['t1', 't2']) expect(only(found, id).path).toMatch(/^Books\/[^/.][^/]*\.md$/);
			expect(await strayFiles(vault)).toEqual([]);
		} finally {
			await server.stop();
			await fs.rm(vault, { recursive: true, force: true });
		}
	});
});
