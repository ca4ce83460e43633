import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { BookRecord } from '../../../src/core/api/record';
import { configError } from '../../sync-errors';
import { renderBody, tidyRegion } from '../../../src/core/render/body';
import { DEFAULT_BODY_TEMPLATE } from '../../../src/core/render/default-template';
import { renderBook } from '../../../src/core/render/note';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../../src/core/render/options';
import { renderTemplate, validateTemplate } from '../../../src/core/render/template';
import { progressBar, templateView, type TemplateView } from '../../../src/core/render/template-view';
import { fullRecord, GOLDEN_OPTIONS, hostileRecord, minimalRecord } from './fixtures';

const context = { baseName: 'Dune - Deluxe Edition' };

function body(record: BookRecord, bodyTemplate: string, options: RenderOptions = GOLDEN_OPTIONS, extra: { coverPath?: string } = {}): string {
	return renderBody(record, { ...options, bodyTemplate }, { ...context, ...extra });
}

describe('templateView', () => {
	it('gives every field, formatted and neutralised', () => {
		const view = templateView(fullRecord(), GOLDEN_OPTIONS, { ...context, duplicateOfLink: 'Books/Other.md' });
		expect(view.title).toBe('Dune: Deluxe Edition');
		expect(view.author_link).toBe('[[Frank Herbert]]');
		expect(view.series_text).toBe('Dune (book 1)');
		expect(view.byline).toBe('By Frank Herbert · Dune (book 1)');
		expect(view.added).toBe('2024-01-15 10:05:07');
		expect(view.added_date).toBe('2024-01-15');
		expect(view.approved_date).toBe('2024-03-31');
		expect(view.progress).toBe('42.5');
		expect(view.progress_text).toBe('42.5%');
		expect(view.progress_bar).toBe('████░░░░░░');
		expect(view.last_read_text).toBe('2024-10-27 02:30:00 on Kobo Clara');
		expect(view.progress_external).toBe(true);
		expect(view.progress_manual).toBe(false);
		expect(view.genres).toEqual(['Science Fiction', 'Classics']);
		expect(view.genres_text).toBe('Science Fiction, Classics');
		expect(view.genre_links_text).toBe('[[Science Fiction]], [[Classics]]');
		expect(view.tags).toEqual(['books/space-opera', 'books/favourite', 'books/1965', 'books/Science-Fiction', 'books/Classics']);
		expect(view.formats_text).toBe('epub, pdf');
		expect(view.files).toEqual([
			{ format: 'epub', name: 'Dune - Frank Herbert.epub', size: '1.2 MB', bytes: '1234567' },
			{ format: 'pdf', name: 'dune.pdf', size: '98.8 GB', bytes: '98765432109' },
			{ format: 'epub', name: 'dune (1).epub', size: '999 B', bytes: '999' },
		]);
		expect(view.cover).toBe('https://books.example.org/library/covers/dune.jpg');
		expect(view.cover_embed).toBe('');
		expect(view.has_cover).toBe(false);
		expect(view.possible_duplicate_of).toBe('[[Books/Other]]');
		expect(view.has_progress && view.has_files && view.has_details && view.has_description).toBe(true);
	});

	it('is plain, frozen data: no functions, no prototypes to walk', () => {
		const seen: unknown[] = [];
		const walk = (value: unknown): void => {
			expect(typeof value).not.toBe('function');
			if (typeof value !== 'object' || value === null) return;
			seen.push(value);
			expect(Object.isFrozen(value)).toBe(true);
			if (!Array.isArray(value)) expect(Object.getPrototypeOf(value)).toBeNull();
			for (const item of Object.values(value)) walk(item);
		};
		walk(templateView(fullRecord(), GOLDEN_OPTIONS, context));
		walk(templateView(hostileRecord(), GOLDEN_OPTIONS, context));
		expect(seen.length).toBeGreaterThan(4);
	});

	it('always has every key, empty when the record has no value', () => {
		const full = templateView(fullRecord(), GOLDEN_OPTIONS, context);
		const minimal = templateView(minimalRecord(), DEFAULT_RENDER_OPTIONS, { baseName: 'min-1' });
		expect(Object.keys(minimal).sort()).toEqual(Object.keys(full).sort());
		expect(minimal.title).toBe('min-1');
		expect(minimal.author).toBe('');
		expect(minimal.has_progress).toBe(false);
	});

	it('draws the progress bar in ten cells', () => {
		expect(progressBar(0)).toBe('░░░░░░░░░░');
		expect(progressBar(9.99)).toBe('░░░░░░░░░░');
		expect(progressBar(10)).toBe('█░░░░░░░░░');
		expect(progressBar(99.9)).toBe('█████████░');
		expect(progressBar(100)).toBe('██████████');
		expect(progressBar(250)).toBe('██████████');
	});

	it('links a downloaded cover and embeds nothing remote', () => {
		const local = templateView(fullRecord(), GOLDEN_OPTIONS, { ...context, coverPath: 'Books/covers/b7e1.jpg' });
		expect(local.cover).toBe('[[Books/covers/b7e1.jpg]]');
		expect(local.cover_embed).toBe('![[Books/covers/b7e1.jpg]]');
		expect(local.cover_url).toBe('https://books.example.org/library/covers/dune.jpg');
		const odd = templateView(fullRecord(), GOLDEN_OPTIONS, { ...context, coverPath: 'a]]|b#^%%c\n.jpg' });
		expect(odd.cover_embed).toBe('![[ab%c .jpg]]');
	});

	it('gives a cover URL Obsidian would load only when the user allows it (another server) and never a private one', () => {
		const elsewhere = { ...fullRecord(), coverUrl: 'https://cdn.example/1.jpg' };
		expect(templateView(elsewhere, GOLDEN_OPTIONS, context).cover_url).toBe('');
		expect(templateView(elsewhere, GOLDEN_OPTIONS, context).cover).toBe('');
		expect(templateView(elsewhere, { ...GOLDEN_OPTIONS, coversFromOtherOrigins: true }, context).cover_url).toBe('https://cdn.example/1.jpg');
		const lan = { ...fullRecord(), coverUrl: 'http://10.0.0.2/1.jpg' };
		expect(templateView(lan, { ...GOLDEN_OPTIONS, coversFromOtherOrigins: true }, context).cover_url).toBe('');
	});

	it('percent-encodes what could form syntax in a cover URL', () => {
		const record = { ...fullRecord(), coverUrl: 'https://x.example/a_b*c~d$e`f[g]h<i>j%%k::l m' };
		expect(templateView(record, { ...GOLDEN_OPTIONS, coversFromOtherOrigins: true }, context).cover_url).toBe('https://x.example/a%5Fb%2Ac%7Ed%24e%60f%5Bg%5Dh%3Ci%3Ej%25%k:%3Al%20m');
	});
});

describe('renderTemplate', () => {
	it('renders a custom template with dates, lists, links and files', () => {
		const template = [
			'## {{title}} ({{published}})',
			'{{author_link}} · added {{added_date}}',
			'Genres: {{#genres}}#{{.}} {{/genres}}',
			'Tags: {{tags_text}}',
			'{{#files}}',
			'- {{format}}: {{size}}',
			'{{/files}}',
			'{{^has_cover}}No local cover.{{/has_cover}}',
			'{{#progress_text}}Progress {{progress_bar}} {{progress_text}}{{/progress_text}}',
		].join('\n');
		expect(body(fullRecord(), template)).toBe([
			'## Dune: Deluxe Edition (1965)',
			'[[Frank Herbert]] · added 2024-01-15',
			'Genres: #Science Fiction #Classics ',
			'Tags: books/space-opera, books/favourite, books/1965, books/Science-Fiction, books/Classics',
			'- epub: 1.2 MB',
			'- pdf: 98.8 GB',
			'- epub: 999 B',
			'No local cover.',
			'Progress ████░░░░░░ 42.5%',
		].join('\n'));
	});

	it('prints values as they are, in double and triple braces alike (no HTML escaping)', () => {
		const view = templateView({ ...minimalRecord(), title: 'Tom & Jerry "quoted"' }, DEFAULT_RENDER_OPTIONS, { baseName: 'x' });
		expect(renderTemplate('{{title}}|{{{title}}}|{{& title}}', view)).toBe('Tom &amp; Jerry "quoted"|Tom &amp; Jerry "quoted"|Tom &amp; Jerry "quoted"');
		expect(renderTemplate('{{genres}}{{files}}{{has_files}}', templateView(fullRecord(), GOLDEN_OPTIONS, context)))
			.toBe('Science Fiction, Classicstrue');
	});

	it('keeps a hostile record inert whatever braces the template uses', () => {
		const record = hostileRecord();
		const scalars = Object.entries(templateView(record, GOLDEN_OPTIONS, context))
			.filter(([, value]) => typeof value === 'string')
			.map(([name]) => name);
		const template = [
			...scalars.map((name) => `${name}: {{${name}}} / {{{${name}}}}`),
			'{{#genres}}- {{{.}}}\n{{/genres}}',
			'{{#genre_links}}- {{{.}}}\n{{/genre_links}}',
			'{{#tags}}#{{{.}}} {{/tags}}',
			'{{#files}}| {{{format}}} | {{{name}}} | {{{size}}} |\n{{/files}}',
			'{{{cover_embed}}}',
			'> {{{title}}}',
			'{{{description}}}',
		].join('\n');
		const out = body(record, template);
		expect(out).toContain('title: Evil &lt;script&gt;');
		// Only the description's code block keeps a `<`, broken by a zero-width space.
		expect(out.replace(/<\u200B/g, '')).not.toContain('<');
		expect(out).not.toMatch(/!\[/);
		expect(out).not.toContain('%%');
		expect(out).not.toContain('::');
		expect(out).not.toMatch(/^[ \t]*(?:```|~~~)[ \t]*(?!text\b)\S/m);
		expect(out).not.toMatch(/`\s*\$?=/);
		expect(out).not.toMatch(/\b(?:javascript|obsidian|data|vbscript):(?!\u200B)/i);
		expect(out).not.toContain('[[Home]]');
		// The only links are the ones the template asked for, to sanitised targets.
		for (const link of out.match(/\[\[[^\]]*\]\]/g) ?? []) expect(link).toMatch(/^\[\[[^[\]|#^`<>]*\]\]$/);
	});

	it('reports syntax errors as config errors naming the problem and the line', () => {
		expect(configError(() => renderTemplate('# {{title}}\n{{#genres}}\n- {{.}}', {})).message)
			.toBe('The body template is not valid Mustache: the section "genres" is opened but never closed with {{/genres}}.');
		expect(configError(() => renderTemplate('{{/genres}}', {})).message).toMatch(/^The body template is not valid Mustache: unopened section "genres"/);
		expect(configError(() => renderTemplate('{{title', {})).message).toMatch(/^The body template is not valid Mustache: unclosed tag/);
		expect(configError(() => renderTemplate('{{#a}}{{/b}}', {})).message).toMatch(/unclosed section "a"|section "a" is opened/);
		expect(configError(() => renderTemplate('ok\n{{/genres}}', {})).message).toMatch(/on line 2\.$/);
	});

	it('refuses partials', () => {
		expect(configError(() => renderTemplate('{{> header}}', {})).message).toMatch(/partial "header"/);
	});

	it('refuses variables inside code a plugin runs, allows them in plain code', () => {
		expect(configError(() => validateTemplate('```dataviewjs\ndv.paragraph("{{title}}")\n```')).message)
			.toBe('The body template puts {{title}} inside a dataviewjs code block; values from the server must stay out of code that a plugin runs.');
		configError(() => validateTemplate('~~~dataview\nLIST WHERE x = "{{{author}}}"\n~~~'));
		configError(() => validateTemplate('```js\n{{#genres}}{{.}}{{/genres}}\n'));
		configError(() => validateTemplate('Now `$= dv.span("{{title}}")`'));
		configError(() => validateTemplate('Now `= "{{title}}"`'));
		configError(() => validateTemplate('<%* tR += "{{title}}" %>'));
		expect(() => validateTemplate('```\n{{title}}\n```\n```text\n{{description}}\n```\n`{{isbn13}}`\n```dataviewjs\ndv.paragraph(1)\n```')).not.toThrow();
	});

	it('never evaluates code: no prototype walk, no lambdas', () => {
		const view = templateView(fullRecord(), GOLDEN_OPTIONS, context);
		const probes = [
			'{{constructor}}', '{{#constructor}}x{{/constructor}}', '{{__proto__}}', '{{#__proto__}}x{{/__proto__}}',
			'{{toString}}', '{{hasOwnProperty}}', '{{title.constructor}}', '{{title.constructor.constructor}}',
			'{{title.constructor.name}}', '{{title.length}}', '{{genres.constructor.constructor}}',
			'{{title.constructor.constructor.prototype.constructor}}',
			'{{#title.constructor.constructor.prototype.constructor}}return globalThis.pwned = 1{{/title.constructor.constructor.prototype.constructor}}',
			'{{#genres}}{{constructor}}{{valueOf}}{{/genres}}', '{{#files}}{{constructor}}{{__proto__}}{{/files}}',
		];
		for (const probe of probes) expect(renderTemplate(probe, view)).toBe('');
		expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
		// Own data still works through dots.
		expect(renderTemplate('{{files.0.format}} {{genres.1}} {{genres.length}}', view)).toBe('epub Classics 2');
	});

	it('never calls a function found in a view', () => {
		const lambda = vi.fn(() => 'called');
		const view = { f: lambda, nested: { g: lambda } } as unknown as TemplateView;
		expect(renderTemplate('{{f}}{{{f}}}{{#f}}x{{/f}}{{^f}}absent{{/f}}{{nested.g}}{{#nested}}{{g}}{{/nested}}', view)).toBe('absent');
		expect(lambda).not.toHaveBeenCalled();
	});

	it('uses a Mustache build that contains no eval and no Function constructor', () => {
		const require = createRequire(import.meta.url);
		for (const file of ['mustache/mustache.js', 'mustache/mustache.mjs']) {
			const source = readFileSync(require.resolve(file), 'utf8');
			expect(source).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/);
		}
	});
});

describe('renderBody', () => {
	it('renders the default template when the settings give none', () => {
		const record = fullRecord();
		expect(renderBody(record, GOLDEN_OPTIONS, context)).toBe(body(record, DEFAULT_BODY_TEMPLATE));
	});

	it('embeds a downloaded cover above the title, and nothing when there is none', () => {
		const withCover = renderBook(fullRecord(), GOLDEN_OPTIONS, { ...context, coverPath: 'Books/covers/b7e1.jpg' });
		expect(withCover.region.startsWith('![[Books/covers/b7e1.jpg|200]]\n\n# Dune: Deluxe Edition\n')).toBe(true);
		expect(new Map(withCover.properties).get('cover')).toBe('[[Books/covers/b7e1.jpg]]');
		const without = renderBook(fullRecord(), GOLDEN_OPTIONS, context);
		expect(without.region).not.toContain('![');
		expect(new Map(without.properties).get('cover')).toBe('https://books.example.org/library/covers/dune.jpg');
	});

	it('collapses blank lines left by empty sections', () => {
		expect(body(minimalRecord(), '\n\n{{#author}}By {{author}}{{/author}}\n\n\n# {{title}}\n \n\t\n\n{{description}}\n\n', DEFAULT_RENDER_OPTIONS)).toBe('# Dune - Deluxe Edition');
		expect(tidyRegion('a\r\n\r\n\r\nb  \n')).toBe('a\n\nb');
	});

	it('refuses a template that writes the region markers', () => {
		configError(() => body(fullRecord(), '# {{title}}\n<!-- library-sync:end -->'));
	});
});

describe('docs/templates.md', () => {
	const docs = readFileSync(new URL('../../../docs/templates.md', import.meta.url), 'utf8');
	const blocks = Array.from(docs.matchAll(/```mustache\n([\s\S]*?)```/g), (match) => match[1] ?? '');

	it('shows the default template as it is', () => {
		expect(blocks[0]).toBe(DEFAULT_BODY_TEMPLATE);
	});

	it('has example templates that are valid and render', () => {
		expect(blocks.length).toBeGreaterThan(1);
		for (const template of blocks) {
			const out = body(fullRecord(), template, GOLDEN_OPTIONS, { coverPath: 'Books/covers/b7e1.jpg' });
			expect(out).toContain('Dune: Deluxe Edition');
		}
	});
});
