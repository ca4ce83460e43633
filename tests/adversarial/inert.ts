/**
 * The one checker of "nothing from the server can run in the vault"
 * (README, Guarantees: inert), shared by every adversarial, model and fuzz test.
 *
 * `assertInert(noteText)` throws (with a reason naming the offending
 * snippet) when a note written by sync could make Obsidian or a common
 * plugin do something: run code (Dataview `dataview`/`dataviewjs` blocks,
 * inline `= ...`/`$= ...` queries, Templater `<% %>`, any fenced block with
 * a language a plugin could claim, raw HTML with scripts or event
 * handlers), load something (remote image embeds, `![[...]]` embeds,
 * iframes), navigate somewhere dangerous (`obsidian://`, `javascript:`,
 * `vbscript:`, `data:`, `file:` links), hide text (`%%`), or break the note
 * (invalid or non-flat YAML, `null`/`NaN`/
 * `Invalid Date` values).
 *
 * In the properties (#11 classes 7 and 8): a link or embed appears only in
 * a property the renderer builds links for (`cover`, `possible_duplicate_of`
 * and those the caller names as linked by a setting), and there only as one
 * clean wikilink; every other value, `aliases` included, holds no `[[`
 * (Obsidian's and Dataview's link syntax, embeds included) and no `](`
 * (a Markdown link, which plugins read). `cover` holds a downloaded image or
 * an address Obsidian may load by itself: with `serverUrl` given, only the
 * server's own origin, or another public one when `allowOtherOrigins`.
 */
import { isPrivateHost } from '../../src/core/covers/cover-policy';
import { parseNote } from '../../src/core/render/frontmatter';
import { REGION_BEGIN, REGION_END } from '../../src/core/render/note';

const DANGEROUS_SCHEME = /\b(?:obsidian|javascript|vbscript|file|data):(?!\u200B)/i;
// What a renderer bug prints: unquoted in the YAML source (a server string "null" is quoted and fine).
const BAD_SCALARS = /^\s*(?:-\s+|[^\s:#][^:]*:\s+)(?:null|~|undefined|NaN|\.nan|Invalid Date|\[object Object\])\s*$/m;

function fail(reason: string, snippet: string): never {
	const shown = snippet.length > 120 ? `${snippet.slice(0, 120)}…` : snippet;
	throw new Error(`note is not inert: ${reason}: ${JSON.stringify(shown)}`);
}

/** Fenced code blocks out of the body: their info strings are checked, their text is shown as code. */
function stripFences(body: string): string {
	const out: string[] = [];
	let fence: string | undefined;
	for (const line of body.split('\n')) {
		if (fence !== undefined) {
			const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
			if (close !== null && close[1]?.[0] === fence[0] && (close[1]?.length ?? 0) >= fence.length) fence = undefined;
			if (line.includes('<%')) fail('Templater tag in a code block', line);
			continue;
		}
		const open = /^[ \t]*(?:(?:>|[-*+]|\d+[.)])[ \t]*)*(`{3,}|~{3,})(.*)$/.exec(line);
		if (open !== null) {
			const info = (open[2] ?? '').trim();
			if (info !== '' && info !== 'text') fail('a fenced block with a language a plugin could run', line);
			fence = open[1];
			continue;
		}
		out.push(line);
	}
	if (fence !== undefined) fail('an unclosed code fence', body.slice(-80));
	return out.join('\n');
}

/** Inline code spans out of a line (checked for Dataview inline queries first), the way CommonMark pairs backtick runs. */
function stripInlineCode(line: string): string {
	let out = '';
	let i = 0;
	while (i < line.length) {
		const ch = line[i] as string;
		if (ch === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1] as string)) {
			out += line.slice(i, i + 2);
			i += 2;
			continue;
		}
		if (ch !== '`') {
			out += ch;
			i++;
			continue;
		}
		let run = 1;
		while (line[i + run] === '`') run++;
		let close = -1;
		for (let j = i + run; j < line.length; j++) {
			if (line[j] !== '`') continue;
			let k = j;
			while (line[k] === '`') k++;
			if (k - j === run) {
				close = j;
				break;
			}
			j = k;
		}
		if (close === -1) {
			out += line.slice(i, i + run);
			i += run;
			continue;
		}
		const code = line.slice(i + run, close);
		if (/^[ \t]*\$?=/.test(code)) fail('a Dataview inline query', code);
		if (/<(?:%|!--)/.test(code)) fail('Templater or comment syntax in inline code', code);
		out += ' ';
		i = close + run;
	}
	return out;
}

/** What the note was rendered with, as far as the checker needs to know. */
export interface InertContext {
	/** Properties a setting asked to be links ("Link authors" and the like), by their names in the note. */
	linkedProperties?: readonly string[];
	/** The server URL of the sync: a `cover` URL must then be one Obsidian may load. */
	serverUrl?: string;
	/** Covers from other servers are allowed. */
	allowOtherOrigins?: boolean;
}

const CLEAN_WIKILINK = /^\[\[[^[\]|#^\n]+\]\]$/;

function checkPropertyLinks(data: Record<string, unknown>, context: InertContext): void {
	const linkable = new Set(['cover', 'possible_duplicate_of', ...(context.linkedProperties ?? [])]);
	for (const [key, value] of Object.entries(data)) {
		// The id is the note's identity and is written exactly as sent (a known limit, docs/security.md).
		if (key === 'book_id') continue;
		for (const item of Array.isArray(value) ? value : [value]) {
			if (typeof item !== 'string') continue;
			if (linkable.has(key) && CLEAN_WIKILINK.test(item)) continue;
			if (item.includes('[[')) fail(`property ${key} holds a link or embed no setting asked for`, item);
			if (item.includes('](')) fail(`property ${key} holds a Markdown link`, item);
		}
	}
}

/** A `cover` URL must be one the user allowed Obsidian to load: the server's origin, or another public one when allowed. */
function checkCoverOrigin(cover: string, context: InertContext): void {
	if (context.serverUrl === undefined || !/^https?:\/\//i.test(cover)) return;
	const server = new URL(context.serverUrl);
	const target = new URL(cover);
	if (target.origin === server.origin) return;
	if (!context.allowOtherOrigins) fail('a cover on another server, which the user did not allow, where Obsidian loads it', cover);
	if (target.hostname !== server.hostname && isPrivateHost(target.hostname)) fail('a cover on a local or private address where Obsidian loads it', cover);
}

function checkProperties(yaml: string, data: Record<string, unknown>, context: InertContext): void {
	if (yaml.includes('<%')) fail('a raw Templater tag in the properties', yaml);
	const broken = BAD_SCALARS.exec(yaml);
	if (broken !== null) fail('a property that reads as a broken value', broken[0]);
	for (const [key, value] of Object.entries(data)) {
		const values = Array.isArray(value) ? value : [value];
		for (const item of values) {
			if (item === null || item === undefined) fail(`property ${key} is null`, key);
			if (typeof item === 'object') fail(`property ${key} is not flat`, JSON.stringify(item));
			if (typeof item === 'number' && !Number.isFinite(item)) fail(`property ${key} is not a finite number`, String(item));
		}
	}
	const cover = data.cover;
	// An http(s) URL, or a link to a downloaded image in a covers folder (never a path that climbs out).
	const localCover = typeof cover === 'string' && /^\[\[(?:[^\]|#^]+\/)?covers\/[A-Za-z0-9_-]+\.(?:jpg|png|gif|webp)\]\]$/.test(cover) && !cover.includes('..');
	if (cover !== undefined && !localCover && !(typeof cover === 'string' && /^https?:\/\//i.test(cover))) fail('a cover that is neither an http(s) URL nor a downloaded image', JSON.stringify(cover));
	if (typeof cover === 'string' && !localCover) checkCoverOrigin(cover, context);
	checkPropertyLinks(data, context);
}

/**
 * Throws unless `noteText` (a whole note written by sync) is inert; see the
 * module comment for what that means. Returns the parsed properties so
 * callers can go on asserting on them.
 */
const LOCAL_COVER_EMBED = /!\[\[(?:[^\]|#^./][^\]|#^/]*\/)*covers\/[A-Za-z0-9_-]+\.(?:jpg|png|gif|webp)(?:\|\d+)?\]\]/g;

export function assertInert(noteText: string, context: InertContext = {}): Record<string, unknown> {
	if (noteText.includes('<%')) fail('a Templater tag', noteText.slice(noteText.indexOf('<%'), noteText.indexOf('<%') + 40));
	let parsed;
	try {
		parsed = parseNote(noteText);
	} catch (error) {
		fail(`the properties do not parse (${error instanceof Error ? error.message : String(error)})`, noteText.slice(0, 200));
	}
	if (!parsed.hasFrontmatter) fail('no frontmatter', noteText.slice(0, 80));
	checkProperties(parsed.frontmatter, parsed.data, context);

	const body = parsed.body;
	const begin = body.indexOf(REGION_BEGIN);
	const end = body.indexOf(REGION_END);
	if (begin === -1 || end === -1 || end < begin) fail('no complete generated region', body.slice(0, 80));
	if (body.indexOf(REGION_BEGIN, begin + 1) !== -1 || body.indexOf(REGION_END, end + 1) !== -1) fail('the region markers repeat', body);
	// The one embed sync writes: the downloaded cover, a vault image in a covers folder.
	const region = body.slice(begin + REGION_BEGIN.length, end).replace(LOCAL_COVER_EMBED, '');

	const prose = stripFences(region)
		.split('\n')
		.map((line) => stripInlineCode(line))
		.join('\n');
	for (const line of prose.split('\n')) {
		if (/^ {4,}\S/.test(line) && !/^ {4,}[-*+] /.test(line)) fail('an indented code block', line);
	}
	const checks: Array<[RegExp, string]> = [
		[/<[A-Za-z/!?]/, 'raw HTML'],
		[/%%/, 'an Obsidian comment'],
		[/!\[/, 'an embed'],
		[/\[\[/, 'a wikilink from server data'],
		[DANGEROUS_SCHEME, 'a dangerous link scheme'],
		[/^[ \t]*\[[^\]]*\]:/m, 'a reference definition'],
		[/\]\((?!https?:\/\/|mailto:)/i, 'a link to something other than http(s) or mail'],
		[/\b\w[\w ]*::/, 'a Dataview inline field'],
		[/(?:^|\s)#[^\s#&]/, 'a tag from server data'],
	];
	for (const [pattern, reason] of checks) {
		const match = pattern.exec(prose);
		if (match !== null) fail(reason, prose.slice(Math.max(0, match.index - 20), match.index + 60));
	}
	return parsed.data;
}
