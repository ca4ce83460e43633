/**
 * Book descriptions from HTML (or plain text) to Markdown, with
 * node-html-markdown: pure JavaScript, no DOM, so the plugin (desktop and
 * mobile) and the CLI produce the same bytes. The output is NOT yet safe:
 * always pass it through `neutraliseMarkdown`.
 */
import { NodeHtmlMarkdown } from 'node-html-markdown';
import { simpleHtmlToMarkdown } from './simple-html';

// Elements whose content is never description text (and some of which
// would only ever carry active content).
const IGNORED_ELEMENTS = [
	'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
	'svg', 'math', 'canvas', 'video', 'audio', 'source', 'track', 'head', 'title', 'meta', 'link', 'base',
	'form', 'button', 'input', 'select', 'option', 'textarea', 'dialog',
];
const LOOKS_LIKE_HTML = /<[A-Za-z!/?]/;
/**
 * Descriptions longer than this (UTF-16 code units) are cut before
 * conversion: the converter's time grows much faster than the input (about
 * 0.2 s for 128 KB, 46 s for 1 MB of HTML), and one book must never stall
 * a sync. No real description comes near it.
 */
export const MAX_DESCRIPTION_LENGTH = 100_000;
const SHORTENED_NOTE = '(The description was shortened: it is longer than 100,000 characters.)';
const PARAGRAPH_BREAK = /\n[ \t]*\n+/;

let converter: NodeHtmlMarkdown | undefined;

// One instance for the whole run: building one compiles its translators.
function getConverter(): NodeHtmlMarkdown {
	converter ??= new NodeHtmlMarkdown({
		preferNativeParser: false,
		codeBlockStyle: 'fenced',
		codeFence: '```',
		bulletMarker: '-',
		emDelimiter: '*',
		strongDelimiter: '**',
		maxConsecutiveNewlines: 2,
		keepDataImages: false,
		useLinkReferenceDefinitions: false,
		// `<url>` autolinks would be escaped into text by the neutraliser.
		useInlineLinks: false,
		ignore: IGNORED_ELEMENTS,
	});
	return converter;
}

/** node-html-markdown's Markdown for the HTML, untrimmed (simple-html.ts must match it). */
export function nodeHtmlMarkdown(html: string): string {
	return getConverter().translate(html);
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Plain-text descriptions keep their paragraphs and line breaks, which HTML
// conversion would otherwise fold into one line.
function plainTextToHtml(text: string): string {
	return text
		.split(PARAGRAPH_BREAK)
		.map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
		.join('');
}

// The first MAX_DESCRIPTION_LENGTH code units, never splitting a surrogate pair.
function shorten(text: string): string {
	if (text.length <= MAX_DESCRIPTION_LENGTH) return text;
	const last = text.charCodeAt(MAX_DESCRIPTION_LENGTH - 1);
	return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_DESCRIPTION_LENGTH - 1 : MAX_DESCRIPTION_LENGTH);
}

/**
 * Converts a description (HTML, or plain text with newlines) to Markdown.
 * Never throws; returns '' for empty input. A description longer than
 * MAX_DESCRIPTION_LENGTH is cut there and ends with a sentence saying so.
 */
export function htmlToMarkdown(description: string | undefined): string {
	if (typeof description !== 'string') return '';
	const full = description.replace(/\r\n?/g, '\n');
	if (full.trim() === '') return '';
	const text = shorten(full);
	const suffix = text.length < full.length ? `\n\n${SHORTENED_NOTE}` : '';
	const html = LOOKS_LIKE_HTML.test(text) ? text : plainTextToHtml(text);
	try {
		return (simpleHtmlToMarkdown(html) ?? nodeHtmlMarkdown(html)).trim() + suffix;
	} catch {
		// A converter failure must not fail the book: keep the bare text, the
		// neutraliser makes it inert.
		return text.replace(/<[^>]*>/g, ' ').trim() + suffix;
	}
}
