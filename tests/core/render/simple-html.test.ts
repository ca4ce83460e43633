import { describe, expect, it } from 'vitest';
import { nodeHtmlMarkdown } from '../../../src/core/render/html-to-markdown';
import { simpleHtmlToMarkdown } from '../../../src/core/render/simple-html';
import { createRandom } from '../../server/synthetic';

// Text that exercises every escaping and spacing rule: Markdown characters,
// line-start markers, entities (named, numeric, whitespace ones), runs of
// whitespace and newlines.
const PIECES = [
	'word', 'Dune', 'é', ' ', ' ', '  ', '\n', '\n ', '\t', '*', '**', '_', '`', '~', '[', ']', '\\', '-', '+ ', '# ', '## ', '>', '=',
	'1. ', '12. ', '.', ':', '(', ')', '&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&nbsp;', '&#32;', '&#x2A;', '&eacute;', '&copy', '&bogus;',
	'&lt;!DOCTYPE html&gt;', '%%', '!', '|',
];
const SPAN_TAGS = ['em', 'i', 'strong', 'b'];

function generator(seed: number): () => string {
	const random = createRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
	const text = (max: number): string => Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(PIECES)).join('');
	const inline = (breaks: boolean): string => {
		const parts: string[] = [];
		for (let n = 1 + Math.floor(random() * 5); n > 0; n--) {
			const roll = random();
			if (roll < 0.45) parts.push(text(6));
			else if (roll < 0.7) {
				const tag = pick(SPAN_TAGS);
				parts.push(`<${tag}>${text(4)}</${tag}>`);
			} else if (roll < 0.85) parts.push(`<a href="${pick(['https://example.org/a_(b)*c', 'https://x.example/', 'mailto:a@b.example'])}">${text(4)}</a>`);
			else if (breaks) parts.push(pick(['<br>', '<br/>', '<br />']));
			else parts.push(text(3));
		}
		return parts.join('');
	};
	const block = (): string => {
		const roll = random();
		if (roll < 0.6) return `<p>${inline(true)}</p>`;
		const tag = roll < 0.8 ? 'ul' : 'ol';
		const items = Array.from({ length: 1 + Math.floor(random() * 4) }, () => `${pick(['', '\n', ' '])}<li>${inline(false)}</li>`);
		return `<${tag}>${items.join('')}${pick(['', '\n'])}</${tag}>`;
	};
	return () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => block()).join(pick(['', '\n', ' ', '\n\n', '&nbsp;']));
}

// Small changes that leave the subset: the fast path must decline them (or still agree).
const MUTATIONS: Array<(html: string) => string> = [
	(html) => html.replace('<p>', '<P>'),
	(html) => html.replace('<p>', '<p class="x">'),
	(html) => html.replace('<em>', '<em><b>'),
	(html) => html.replace('</p>', '<div>x</div></p>'),
	(html) => `text before ${html}`,
	(html) => html.replace('<li>', '<li><p>'),
	(html) => html.replace('<p>', '<p/>'),
	(html) => html.replace('<p>', '<p><em></em>'),
	(html) => html.replace('<li>', '<li> </li><li>'),
	(html) => html.replace('</p>', '<!-- c --></p>'),
	(html) => html.replace('<p>', '<p><code>x</code>'),
	(html) => `${html}<h2>Heading</h2>`,
];

describe('simpleHtmlToMarkdown', () => {
	it('gives what node-html-markdown gives, for generated descriptions in its subset', () => {
		const next = generator(11);
		let handled = 0;
		const runs = 3000;
		for (let run = 0; run < runs; run++) {
			const html = next();
			const fast = simpleHtmlToMarkdown(html);
			if (fast === undefined) continue;
			handled++;
			expect(fast, html).toBe(nodeHtmlMarkdown(html));
		}
		// Most of the subset takes the fast path: the comparison is not vacuous.
		expect(handled).toBeGreaterThan(runs * 0.3);
	});

	it('declines (or still agrees on) HTML just outside its subset', () => {
		const next = generator(12);
		for (let run = 0; run < 600; run++) {
			const html = MUTATIONS[run % MUTATIONS.length]?.(next()) ?? '';
			const fast = simpleHtmlToMarkdown(html);
			if (fast !== undefined) expect(fast, html).toBe(nodeHtmlMarkdown(html));
		}
		expect(simpleHtmlToMarkdown('<p class="x">a</p>')).toBeUndefined();
		expect(simpleHtmlToMarkdown('<p>a<img src="x"></p>')).toBeUndefined();
		expect(simpleHtmlToMarkdown('<p><em>a <b>b</b></em></p>')).toBeUndefined();
	});

	it('handles the descriptions of the synthetic library and of plain text', () => {
		const description = '<p><em>The Silent Harbour 1</em>: The quiet city. A storm.</p>\n<ul><li>First one.</li><li>Second.</li></ul>\n<p>More at <a href="https://example.org/reviews">the review site</a>.</p>';
		expect(simpleHtmlToMarkdown(description)).toBe('*The Silent Harbour 1*: The quiet city. A storm.\n\n- First one.\n- Second.\n\nMore at [the review site](https://example.org/reviews).');
		expect(simpleHtmlToMarkdown('<p>One &amp; two<br>- three</p><p>1984. Four</p>')).toBe('One & two  \n\\- three\n\n1984\\. Four');
	});
});
