/**
 * Makes Markdown from the server inert in Obsidian: nothing from the server
 * may run (Dataview, DataviewJS, Templater, other code-block processors),
 * load (remote images, embeds, iframes), navigate somewhere dangerous
 * (`obsidian://`, `javascript:` ...), hide text (`%%`, HTML comments), add
 * vault structure (wikilinks, tags, inline fields) or break the note (our
 * region markers, frontmatter delimiters, unclosed code fences).
 *
 * Text outside code is defused with HTML entities (Obsidian renders them as
 * the character, while plugins scanning the source no longer see the
 * syntax); text inside code, where entities would show literally, with an
 * invisible zero-width space.
 *
 * No regex lookbehind anywhere: old iOS web views do not support it.
 */
import { isPlainText, stripInvisible } from './text';

const ZWSP = '\u200B';
/** Link destinations allowed to stay clickable. */
const SAFE_DESTINATION = /^(?:https?:\/\/[^\s]|mailto:[^\s])/i;
const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
// A fence inside a blockquote or list item: rewritten but not tracked.
const NESTED_FENCE = /^((?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])[ \t]*)+)(`{3,}|~{3,})(.*)$/;
const HEADING = /^( {0,3})(#{1,6})([ \t]|$)/;
const DASH_LINE = /^ {0,3}-{3,}[ \t]*$/;
const REFERENCE_DEFINITION = /^( {0,3})\[([^\]]*)\]:/;
const IMAGE = /(\\?)!\[([^\]\n]*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const LINK = /(\\?)\[([^\]\n]*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
// Placeholders for links already checked (private-use characters, removed from the input first).
const TOKEN = /\uE000(\d+)\uE001/g;
const DANGEROUS_SCHEME = /\b(obsidian|javascript|vbscript|file|data):/gi;

function isSafeDestination(destination: string): boolean {
	return SAFE_DESTINATION.test(destination);
}

// Characters in a kept URL that Obsidian or a plugin could read as syntax.
function encodeDestination(destination: string): string {
	return destination
		.replace(/%%/g, '%25%')
		.replace(/[<>"[\]`\s]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Entity-escapes the syntax that matters in plain Markdown text (no link handling). */
function escapeText(text: string): string {
	return text
		// Tags: `#word` after whitespace or at the start.
		.replace(/(^|\s)#(?=[^\s#])/g, '$1&#35;')
		// Raw HTML, HTML comments, autolinks, Templater `<% %>`, our markers.
		.replace(/</g, '&lt;')
		// Obsidian comments.
		.replace(/%%/g, '&#37;&#37;')
		// Wikilinks and embeds, also when the brackets were backslash-escaped.
		.replace(/\\?\[(?=\\?\[)/g, '&#91;')
		.replace(/!\[/g, '!&#91;')
		// Dataview inline fields.
		.replace(/::/g, ':&#58;')
		// Bare dangerous URLs must not be auto-linked.
		.replace(DANGEROUS_SCHEME, `$1:${ZWSP}`);
}

// What neutraliseText could change: brackets (links, images, wikilinks), `#`, `<`, `%`, and a colon in `::` or a dangerous scheme.
const TEXT_SYNTAX = /[[\]#<%\uE000]/;
const COLON_SYNTAX = /::|\b(?:obsidian|javascript|vbscript|file|data):/i;

/** Defuses a Markdown text segment (no code spans in it). */
function neutraliseText(segment: string): string {
	// Most of a description is words: nothing below would match in them.
	if (!TEXT_SYNTAX.test(segment) && !(segment.includes(':') && COLON_SYNTAX.test(segment))) return segment;
	const kept: string[] = [];
	const keep = (markdown: string): string => `\uE000${kept.push(markdown) - 1}\uE001`;
	// A backslash-escaped bracket opens nothing: such matches stay as they are.
	let text = segment.replace(IMAGE, (match: string, escaped: string, alt: string, destination: string) => {
		if (escaped !== '') return match;
		const label = alt.trim() === '' ? 'image' : alt;
		// Remote images become plain links: nothing loads by itself.
		return isSafeDestination(destination) ? keep(`[${escapeText(label)}](${encodeDestination(destination)})`) : alt;
	});
	text = text.replace(LINK, (match: string, escaped: string, label: string, destination: string) => {
		if (escaped !== '') return match;
		return isSafeDestination(destination) ? keep(`[${escapeText(label)}](${encodeDestination(destination)})`) : label;
	});
	text = escapeText(text)
		// Whatever still looks like a link destination was not allowed.
		.replace(/\]\(/g, ']\\(');
	return text.replace(TOKEN, (_m, index: string) => kept[Number(index)] ?? '');
}

/** Defuses code (inline or fenced) without changing what it shows. */
function defuseCode(code: string): string {
	return code
		.replace(/<%/g, `<${ZWSP}%`)
		.replace(/<!--/g, `<${ZWSP}!--`)
		.replace(/%%/g, `%${ZWSP}%`);
}

// Dataview runs inline code starting with `=` (DQL) or `$=` (JavaScript).
function defuseInlineCode(code: string): string {
	const defused = defuseCode(code);
	return /^\s*\$?=/.test(defused) ? `${ZWSP}${defused}` : defused;
}

function isEscapable(ch: string | undefined): boolean {
	return ch !== undefined && /^[!-/:-@[-`{-~]$/.test(ch);
}

// The next backslash or backtick (searched from lastIndex).
const ESCAPE_OR_CODE = /[\\`]/g;

/** Splits a line into text and inline code and defuses each. */
function neutraliseInlineMarkdown(line: string): string {
	let out = '';
	let text = '';
	let i = 0;
	while (i < line.length) {
		ESCAPE_OR_CODE.lastIndex = i;
		const found = ESCAPE_OR_CODE.exec(line);
		if (found === null) {
			text += line.slice(i);
			break;
		}
		text += line.slice(i, found.index);
		i = found.index;
		if (line[i] === '\\') {
			// An escaped character stays with its backslash; a lone backslash is text.
			const length = isEscapable(line[i + 1]) ? 2 : 1;
			text += line.slice(i, i + length);
			i += length;
			continue;
		}
		let run = 1;
		while (line[i + run] === '`') run++;
		const fence = '`'.repeat(run);
		let close = line.indexOf(fence, i + run);
		while (close !== -1 && line[close + run] === '`') {
			let next = close;
			while (line[next] === '`') next++;
			close = line.indexOf(fence, next);
		}
		if (close === -1) {
			// An unmatched backtick run must not open a code span across lines.
			text += '\\`'.repeat(run);
			i += run;
			continue;
		}
		out += neutraliseText(text) + fence + defuseInlineCode(line.slice(i + run, close)) + fence;
		text = '';
		i = close + run;
	}
	return out + neutraliseText(text);
}

function neutraliseLine(line: string): string {
	// A `---` line could read as a frontmatter delimiter or a setext heading.
	if (DASH_LINE.test(line)) return '***';
	const nested = NESTED_FENCE.exec(line);
	if (nested !== null) return `${nested[1] ?? ''}${nested[2] ?? ''}${(nested[3] ?? '').trim() === '' ? '' : 'text'}`;
	let prefix = '';
	let rest = line;
	const heading = HEADING.exec(line);
	if (heading !== null) {
		// Description headings sit below the note's own sections.
		const level = Math.min(6, (heading[2] ?? '').length + 2);
		prefix = `${heading[1] ?? ''}${'#'.repeat(level)}${heading[3] ?? ''}`;
		rest = line.slice(heading[0].length);
	} else if (REFERENCE_DEFINITION.test(line)) {
		// Reference definitions could point anywhere: make them plain text.
		const indent = /^ */.exec(line)?.[0] ?? '';
		prefix = `${indent}\\[`;
		rest = line.slice(indent.length + 1);
	}
	return prefix + neutraliseInlineMarkdown(rest);
}

/**
 * Makes Markdown from the server inert (see the module comment). Every code
 * fence's language becomes `text` (so no plugin processes it), unclosed
 * fences are closed, `\r\n` becomes `\n`, control and bidi characters go,
 * runs of blank lines collapse to one. Deterministic; never throws.
 */
export function neutraliseMarkdown(markdown: string): string {
	const lines = stripInvisible(markdown.replace(/\r\n?/g, '\n')).replace(/[\uE000\uE001]/g, '').split('\n');
	const out: string[] = [];
	let fence: { char: string; length: number } | undefined;
	for (const line of lines) {
		if (fence !== undefined) {
			const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
			if (close !== null && (close[1] ?? '')[0] === fence.char && (close[1] ?? '').length >= fence.length) {
				fence = undefined;
				out.push(line.trim());
			} else {
				out.push(defuseCode(line));
			}
			continue;
		}
		const open = FENCE_OPEN.exec(line);
		const marker = open?.[2] ?? '';
		if (open !== null && !(marker.startsWith('`') && (open[3] ?? '').includes('`'))) {
			fence = { char: marker[0] ?? '`', length: marker.length };
			out.push(`${open[1] ?? ''}${marker}${(open[3] ?? '').trim() === '' ? '' : 'text'}`);
			continue;
		}
		out.push(neutraliseLine(line));
	}
	if (fence !== undefined) out.push(fence.char.repeat(fence.length));
	// Trailing whitespace as `/\s+$/` would match it, then leading newlines.
	return out.join('\n').replace(/\n[ \t]*(?:\n[ \t]*)+\n/g, '\n\n').trimEnd().replace(/^\n+/, '');
}

const INLINE_ESCAPES: Record<string, string> = {
	'\\': '\\\\', '`': '\\`', '*': '\\*', '_': '\\_', '~': '\\~', '=': '\\=', '$': '\\$', '|': '\\|', '^': '\\^',
	'&': '&amp;', '<': '&lt;', '>': '&gt;', '[': '&#91;', ']': '&#93;', '#': '&#35;',
};

/**
 * A short single-line server value (title, author, series, device name,
 * file name ...) made safe to place inside a line of Markdown: one line,
 * no HTML, links, embeds, tags, code, emphasis, comments, Templater or
 * Dataview syntax; table pipes escaped. Renders as the original text.
 */
export function neutraliseInline(text: string): string {
	if (isPlainText(text)) return text;
	return stripInvisible(text.normalize('NFC'))
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/[\\`*_~=$|^&<>[\]#]/g, (ch) => INLINE_ESCAPES[ch] ?? ch)
		.replace(/%%/g, '&#37;&#37;')
		.replace(/::/g, ':&#58;')
		.replace(DANGEROUS_SCHEME, `$1:${ZWSP}`);
}

/**
 * Server text for a property value, made plain text for Obsidian and its
 * plugins while it reads the same in the Properties panel: Obsidian reads
 * `[[…]]` anywhere in a text or list property as a link (and `![[…]]` as an
 * embed), Dataview reads a whole `[[…]]`/`![[…]]` value as one, and plugins
 * such as Frontmatter Markdown Links read `[text](url)`. Each `[[` and `]]`
 * becomes its look-alike `⟦`/`⟧`, and `](` gets a space. A `#` stays: a
 * tag in the properties is only ever an item of `tags`. No invisible
 * characters; stable (the result maps to itself).
 */
export function inertPropertyText(text: string): string {
	return text.replace(/\[\[/g, '\u27E6').replace(/\]\]/g, '\u27E7').replace(/\]\(/g, '] (');
}
