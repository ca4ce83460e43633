/**
 * Body templates, rendered with Mustache (logic-less: the template can only
 * print values and open sections over them; mustache.js 4.2 compiles
 * templates by scanning them into tokens and never uses `eval` or
 * `new Function`).
 *
 * Hardening on top of Mustache:
 * - values are looked up as OWN properties of plain data only, so
 *   `{{constructor}}`, `{{__proto__}}`, `{{title.constructor.constructor}}`
 *   find nothing, and a function found in a view is never called (no
 *   lambdas);
 * - no HTML escaping (values are pre-neutralised Markdown, see
 *   template-view.ts), so `{{x}}` and `{{{x}}}` print the same safe text;
 * - partials are refused;
 * - a variable inside code that a plugin runs (a fenced block in a language
 *   other than plain text or Markdown, Dataview's `= ...` / `$= ...` inline
 *   code, a Templater `<% ... %>` command) is refused: neutralisation makes
 *   server text inert as Markdown, not as code.
 * Problems are reported as SyncError('config') with one sentence.
 */
import { splitFrontmatter } from './frontmatter';
import Mustache from 'mustache';
import { SyncError } from '../errors';
import type { TemplateView } from './template-view';

const TAGS: Mustache.OpeningAndClosingTags = ['{{', '}}'];
// Fence languages no plugin runs.
const INERT_FENCE_LANGUAGES = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'md', 'markdown']);
const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const CODE_SPAN = /(`+)([^`]|[^`][^\n]*?[^`])\1(?!`)/g;
const TEMPLATER = /<%[\s\S]*?(?:%>|$)/g;

type Token = [string, string, number, number, Token[]?, number?];

interface CodeRange {
	start: number;
	end: number;
	what: string;
}

function own(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

// `head.rest...` looked up the Mustache way (the first name up the context
// stack, the rest inside what it found), through own properties only.
function findValue(start: Mustache.Context, head: string, rest: readonly string[]): unknown {
	for (let context: Mustache.Context | undefined = start; context !== undefined; context = context.parent) {
		const view: unknown = context.view;
		if (!isObject(view) || !own(view, head)) continue;
		let value: unknown = view[head];
		for (const key of rest) {
			if (!isObject(value) || !own(value, key)) return undefined;
			value = value[key];
		}
		return typeof value === 'function' ? undefined : value;
	}
	return undefined;
}

/** Mustache context that only reads own properties of plain data and never calls anything. */
class DataContext extends Mustache.Context {
	override push(view: unknown): DataContext {
		return new DataContext(view, this);
	}

	override lookup(name: string): unknown {
		if (name === '.') return typeof this.view === 'function' ? undefined : this.view;
		let parts = nameParts.get(name);
		if (parts === undefined) {
			const [head = '', ...rest] = name.split('.');
			parts = { head, rest };
			if (nameParts.size >= MAX_NAME_PARTS) nameParts.clear();
			nameParts.set(name, parts);
		}
		return findValue(this, parts.head, parts.rest);
	}
}

// Names split at their dots, once: a template looks the same few names up for every book.
const nameParts = new Map<string, { head: string; rest: readonly string[] }>();
const MAX_NAME_PARTS = 1024;

/** A looked-up value as text: lists joined with ", ", objects and absent values empty. */
function textOf(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return value.map((item) => textOf(item)).filter((item) => item !== '').join(', ');
	return '';
}

/** Mustache writer printing values as text, with no HTML escaping (values are pre-neutralised). */
class DataWriter extends Mustache.Writer {
	override escapedValue(token: string[], context: Mustache.Context): string {
		return textOf(context.lookup(token[1] ?? ''));
	}

	override unescapedValue(token: string[], context: Mustache.Context): string {
		return textOf(context.lookup(token[1] ?? ''));
	}
}

const writer = new DataWriter();
/** Validated templates, each with its tokens and the variable names it uses. */
const validated = new Map<string, { tokens: Token[]; names: ReadonlySet<string> }>();
const MAX_VALIDATED = 64;

function configError(sentence: string, cause?: unknown): SyncError {
	return new SyncError('config', sentence, cause === undefined ? {} : { cause });
}

function lineOf(template: string, offset: number): number {
	return template.slice(0, offset).split('\n').length;
}

// Mustache says "Unclosed tag at 42": name the line instead of the offset.
function describeParseError(template: string, error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const unclosed = /^Unclosed section "(.*)" at \d+$/.exec(message);
	// That offset is where the scan stopped, not where the section opened.
	if (unclosed !== null) {
		const name = unclosed[1] ?? '';
		return `The body template is not valid Mustache: the section "${name}" is opened but never closed with {{/${name}}}.`;
	}
	const located = /^(.*) at (\d+)$/.exec(message);
	const what = (located?.[1] ?? message).replace(/\.$/, '');
	const where = located?.[2] === undefined ? '' : ` on line ${lineOf(template, Number(located[2]))}`;
	return `The body template is not valid Mustache: ${what.charAt(0).toLowerCase()}${what.slice(1)}${where}.`;
}

/** Where the template has code a plugin would run: fenced blocks, Dataview inline code, Templater commands. */
function activeCodeRanges(template: string): CodeRange[] {
	const ranges: CodeRange[] = [];
	let offset = 0;
	let fence: { marker: string; language: string; start: number } | undefined;
	for (const line of template.split('\n')) {
		const end = offset + line.length + 1;
		const open = FENCE.exec(line);
		if (fence !== undefined) {
			const close = FENCE_CLOSE.exec(line)?.[1] ?? '';
			if (close !== '' && close[0] === fence.marker[0] && close.length >= fence.marker.length) {
				if (!INERT_FENCE_LANGUAGES.has(fence.language)) ranges.push({ start: fence.start, end, what: `a ${fence.language} code block` });
				fence = undefined;
			}
		} else if (open !== null && !((open[1] ?? '').startsWith('`') && line.slice(open[0].length).includes('`'))) {
			fence = { marker: open[1] ?? '```', language: (open[2] ?? '').toLowerCase(), start: offset };
		} else {
			for (const span of line.matchAll(CODE_SPAN)) {
				const code = (span[2] ?? '').trim();
				if (code.startsWith('=') || code.startsWith('$=')) {
					const start = offset + (span.index ?? 0);
					ranges.push({ start, end: start + span[0].length, what: 'a Dataview inline query' });
				}
			}
		}
		offset = end;
	}
	if (fence !== undefined && !INERT_FENCE_LANGUAGES.has(fence.language)) {
		ranges.push({ start: fence.start, end: template.length, what: `a ${fence.language} code block` });
	}
	for (const command of template.matchAll(TEMPLATER)) {
		const start = command.index ?? 0;
		ranges.push({ start, end: start + command[0].length, what: 'a Templater command' });
	}
	return ranges;
}

/**
 * Checks the tokens and collects the first part of every name they look up
 * (`files` for `{{files.0.format}}`): inside a section a name may come from
 * the top of the view too, so every one counts.
 */
function checkTokens(tokens: Token[], ranges: CodeRange[], names: Set<string>): void {
	for (const token of tokens) {
		const [type, name, start] = token;
		if (type === '>') {
			throw configError(`The body template includes the partial "${name}", but partials are not supported: put the text in the template itself.`);
		}
		if (type === 'name' || type === '&' || type === '#' || type === '^') {
			const range = ranges.find((candidate) => start >= candidate.start && start < candidate.end);
			if (range !== undefined) {
				throw configError(`The body template puts {{${name}}} inside ${range.what}; values from the server must stay out of code that a plugin runs.`);
			}
			names.add(name.split('.')[0] ?? '');
		}
		const children = token[4];
		if (Array.isArray(children)) checkTokens(children, ranges, names);
	}
}

/**
 * Parses and checks a template (cached), throwing SyncError('config') with
 * one sentence for a syntax error, a partial, or a variable inside code a
 * plugin runs. Returns the names the template looks up (first parts only),
 * so a view need hold no others.
 */
export function validateTemplate(template: string): ReadonlySet<string> {
	return validatedTokens(template).names;
}

function validatedTokens(template: string): { tokens: Token[]; names: ReadonlySet<string> } {
	const known = validated.get(template);
	if (known !== undefined) return known;
	let tokens: Token[];
	try {
		tokens = writer.parse(template, TAGS) as Token[];
	} catch (error) {
		throw configError(describeParseError(template, error), error);
	}
	const names = new Set<string>();
	checkTokens(tokens, activeCodeRanges(template), names);
	if (validated.size >= MAX_VALIDATED) {
		validated.clear();
		writer.clearCache();
	}
	const entry = { tokens, names };
	validated.set(template, entry);
	return entry;
}

/**
 * Renders a Mustache template (tags `{{ }}`) with a view of plain,
 * pre-neutralised data. No HTML escaping (`{{x}}` and `{{{x}}}` print the
 * same), no partials, no lambdas, own properties only. Throws
 * SyncError('config') for an invalid template (see `validateTemplate`).
 */
export function renderTemplate(template: string, view: TemplateView): string {
	// The tokens validated, rendered as Writer#render would render them, without
	// looking them up again under a key of the whole template's text.
	const { tokens } = validatedTokens(template);
	return writer.renderTokens(tokens as string[][], new DataContext(view), undefined, template, RENDER_CONFIG);
}

const RENDER_CONFIG: Mustache.RenderOptions = { tags: TAGS, escape: (value: unknown) => textOf(value) };

/**
 * The template a template note holds: its text without its properties, so
 * a template note can carry tags or a description of its own.
 */
export function templateFromNote(text: string): string {
	const parts = splitFrontmatter(text);
	return parts === undefined ? text : parts.body;
}
