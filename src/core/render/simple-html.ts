/**
 * A fast path for the HTML most descriptions are made of: paragraphs of
 * text with line breaks, emphasis, bold and links, and flat lists. For such
 * input it returns exactly what node-html-markdown (with the options in
 * html-to-markdown.ts) returns, without building a DOM: it follows the same
 * steps (text escaping, the same spacing rules around emphasis, the same
 * newline bookkeeping) on a token list. Anything else (another tag, an
 * attribute, nesting, an empty element) gives undefined, and the caller
 * uses node-html-markdown. tests/core/render/simple-html.test.ts compares
 * the two on generated HTML.
 */
import { decodeHTML } from 'entities/lib/decode.js';

type Inline =
	| { kind: 'text'; raw: string }
	| { kind: 'br' }
	| { kind: 'span'; delimiter: string; raw: string }
	| { kind: 'link'; href: string; raw: string };

type Block =
	| { kind: 'space' }
	| { kind: 'p'; children: Inline[] }
	| { kind: 'list'; ordered: boolean; items: Inline[][] };

const TOKEN = /<(\/?)([a-z]+)((?: href="[^"&<>]+")?) ?(\/?)>|[^<]+/y;
const SPANS: Readonly<Record<string, string>> = { em: '*', i: '*', strong: '**', b: '**' };
const WHITESPACE_NODE = /^(?:\s|&nbsp;)*$/;

// Without an `&` there is no entity: the text decodes to itself.
function decoded(raw: string): string {
	return raw.includes('&') ? decodeHTML(raw) : raw;
}

// Whitespace once entities are decoded (node-html-markdown drops such emphasis).
function isBlank(raw: string): boolean {
	return WHITESPACE_NODE.test(raw) || !/\S/.test(decoded(raw));
}

// Whitespace that the collapse to single spaces would change: anything but a lone space.
const UNCOLLAPSED = /[^\S ]| {2}/;
// What the escapes below could match: Markdown characters, and a line that starts like a block or `1. `.
const MARKDOWN_CHARACTER = /[\\`*_~[\]]/;
const BLOCK_START = /^\s*[+=>#-]|\d\.\s|^<!/i;

interface Token {
	close: boolean;
	tag: string;
	href: string;
	text?: string;
}

function tokenize(html: string): Token[] | undefined {
	const tokens: Token[] = [];
	TOKEN.lastIndex = 0;
	while (TOKEN.lastIndex < html.length) {
		const match = TOKEN.exec(html);
		if (match === null) return undefined;
		if (match[2] === undefined) {
			// node-html-markdown deletes a decoded `<!DOCTYPE ...>` from text: leave such text to it.
			if (match[0].includes('&') && decodeHTML(match[0]).includes('<!')) return undefined;
			tokens.push({ close: false, tag: '', href: '', text: match[0] });
		}
		// Only a line break may be written self-closing.
		else if (match[4] === '/' && (match[2] !== 'br' || match[1] === '/')) return undefined;
		else tokens.push({ close: match[1] === '/', tag: match[2], href: (match[3] ?? '').slice(7, -1) });
	}
	return tokens;
}

/** Inline content up to the closing tag `end`; undefined for anything outside the subset. */
function inlines(tokens: Token[], at: { i: number }, end: string, allowBreak: boolean): Inline[] | undefined {
	const out: Inline[] = [];
	for (;;) {
		const token = tokens[at.i++];
		if (token === undefined) return undefined;
		if (token.text !== undefined) {
			out.push({ kind: 'text', raw: token.text });
			continue;
		}
		if (token.close) return token.tag === end && out.length > 0 ? out : undefined;
		if (token.tag === 'br' && allowBreak && token.href === '') {
			out.push({ kind: 'br' });
			continue;
		}
		const delimiter = SPANS[token.tag];
		const isLink = token.tag === 'a' && token.href !== '';
		if ((delimiter === undefined || token.href !== '') && !isLink) return undefined;
		const inner = tokens[at.i++];
		const close = tokens[at.i++];
		// Text only inside: no nesting, never empty or only whitespace.
		if (inner?.text === undefined || isBlank(inner.text) || !close?.close || close.tag !== token.tag) return undefined;
		out.push(isLink ? { kind: 'link', href: token.href, raw: inner.text } : { kind: 'span', delimiter: delimiter ?? '', raw: inner.text });
	}
}

function parse(html: string): Block[] | undefined {
	const tokens = tokenize(html);
	if (tokens === undefined) return undefined;
	const blocks: Block[] = [];
	const at = { i: 0 };
	while (at.i < tokens.length) {
		const token = tokens[at.i++] as Token;
		if (token.text !== undefined) {
			if (!WHITESPACE_NODE.test(token.text)) return undefined;
			blocks.push({ kind: 'space' });
		} else if (token.close || token.href !== '') {
			return undefined;
		} else if (token.tag === 'p') {
			const children = inlines(tokens, at, 'p', true);
			if (children === undefined) return undefined;
			blocks.push({ kind: 'p', children });
		} else if (token.tag === 'ul' || token.tag === 'ol') {
			const items: Inline[][] = [];
			for (;;) {
				const next = tokens[at.i++];
				if (next?.text !== undefined && WHITESPACE_NODE.test(next.text)) continue;
				if (next?.close === true && next.tag === token.tag && items.length > 0) break;
				if (next === undefined || next.close || next.tag !== 'li' || next.href !== '') return undefined;
				const item = inlines(tokens, at, 'li', false);
				// node-html-markdown drops an item with nothing in it, and renumbers.
				if (item === undefined || item.every((child) => child.kind === 'text' && isBlank(child.raw))) return undefined;
				items.push(item);
			}
			blocks.push({ kind: 'list', ordered: token.tag === 'ol', items });
		} else {
			return undefined;
		}
	}
	return blocks;
}

/** node-html-markdown's result text, with its bookkeeping of trailing whitespace. */
class Writer {
	text = '';
	private whitespace = 0;
	private newlines = 0;

	append(s: string, startPos?: number, spaceIfRepeating = false): void {
		if (s === '' && startPos === undefined) return;
		if (startPos !== undefined) this.text = this.text.slice(0, startPos);
		const piece = (spaceIfRepeating && this.text.slice(-1) === s[0] ? ' ' : '') + s;
		this.text += piece;
		// The trailing whitespace within the last ten characters. Counted in
		// the piece when it holds them all, or anything but whitespace (then
		// the count stops inside it): reading the whole text would flatten it
		// at every append.
		const inPiece = piece.length >= 10 || /\S/.test(piece);
		const tail = inPiece ? piece : this.text;
		this.whitespace = 0;
		this.newlines = 0;
		for (let i = tail.length - 1; i >= Math.max(tail.length - 10, 0); i--) {
			const ch = tail[i] ?? '';
			if (!/\s/.test(ch)) break;
			this.whitespace++;
			if (ch === '\n' || ch === '\r') this.newlines++;
		}
	}

	appendNewlines(count: number): void {
		this.append('\n'.repeat(Math.max(0, count - this.newlines)));
	}

	/** A text node, escaped and spaced as node-html-markdown does. */
	appendText(raw: string): void {
		if (WHITESPACE_NODE.test(raw)) {
			if (this.text.length > 0 && this.whitespace === 0) this.append(' ');
			return;
		}
		const source = decoded(raw);
		// Each step only where it could change something (the same result, fewer passes).
		let text = UNCOLLAPSED.test(source) ? source.replace(/\s+/g, ' ') : source;
		if (MARKDOWN_CHARACTER.test(text)) text = text.replace(/[\\`*_~[\]]/gm, '\\$&');
		if (BLOCK_START.test(text)) {
			text = text
				.replace(/^(\s*?)((?:\+\s)|(?:[=>-])|(?:#{1,6}\s))|(?:(\d+)(\.\s))/gm, '$1$3\\$2$4')
				.replace(/^<!DOCTYPE.*>/gim, '');
		}
		if (text !== '') {
			if (source.startsWith('\n')) text = text.replace(/^ /, '');
			if (!/\s$/.test(source)) text = text.replace(/ +$/, '');
		}
		this.append(text);
	}
}

// node-html-markdown's tagSurround for one line: the delimiters go inside the outer spaces.
function surround(content: string, delimiter: string): string {
	let text = content;
	if (text.includes(delimiter)) text = text.replace(new RegExp(`([^\\\\])\\${delimiter.split('').join('\\')}`, 'gm'), '$1');
	const start = text.search(/\S/);
	if (start === -1) return text;
	let end = text.length - 1;
	while (/\s/.test(text[end] ?? '')) end--;
	return `${text[start - 1] ?? ''}${delimiter}${text.slice(start, end + 1)}${delimiter}${text[end + 1] ?? ''}`;
}

function writeInline(out: Writer, node: Inline): void {
	if (node.kind === 'text') return out.appendText(node.raw);
	if (node.kind === 'br') return out.append('  \n');
	if (node.kind === 'link') {
		out.append('[');
		const start = out.text.length;
		out.appendText(node.raw);
		out.append(out.text.slice(start), start);
		out.append(`](${node.href.replace(/[()_*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)})`);
		return;
	}
	const start = out.text.length;
	out.appendText(node.raw);
	out.append(surround(out.text.slice(start), node.delimiter), start, true);
}

/**
 * Markdown for a description in the simple subset, byte for byte what
 * node-html-markdown gives (before html-to-markdown.ts trims it), or
 * undefined when the HTML is not in the subset.
 */
export function simpleHtmlToMarkdown(html: string): string | undefined {
	const blocks = parse(html);
	if (blocks === undefined) return undefined;
	const out = new Writer();
	for (const block of blocks) {
		if (block.kind === 'space') {
			out.appendText(' ');
		} else if (block.kind === 'p') {
			out.appendNewlines(2);
			for (const child of block.children) writeInline(out, child);
			out.appendNewlines(2);
		} else {
			// A list's own newlines are single ones (node-html-markdown sees it as inside a list).
			out.appendNewlines(1);
			block.items.forEach((item, index) => {
				out.appendNewlines(1);
				out.append(block.ordered ? `${index + 1}. ` : '- ');
				const start = out.text.length;
				for (const child of item) writeInline(out, child);
				out.append(out.text.slice(start).trim(), start);
				out.appendNewlines(1);
			});
			out.appendNewlines(1);
		}
	}
	let result = out.text.replace(/(?:\r?\n\s*)+((?:\r?\n\s*){2})/g, '$1').replace(/^\n+|\n+$/g, '');
	if (result.endsWith(' ') && !result.endsWith('  ')) result = result.trimEnd();
	return result;
}
