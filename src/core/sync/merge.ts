/**
 * Merging a freshly rendered book into the note on disk. Sync owns only the
 * managed properties and the generated region; everything else (the user's
 * properties with their formatting and comments, the user's text before and
 * after the region) is kept byte for byte.
 *
 * The frontmatter is edited as text, one top-level entry at a time (a key
 * line at column 0 plus its continuation lines), so that only managed
 * entries are ever re-written; the YAML parser then validates the result.
 * Line endings: a CRLF note stays CRLF (new lines use the note's ending).
 */
import { SyncError } from '../errors';
import { dumpProperties, dumpProperty, parseProperties, splitFrontmatter, type PropertyValue } from '../render/frontmatter';
import { REGION_BEGIN, REGION_END, regionBlock, type RenderedNote } from '../render/note';

const UNSUPPORTED_YAML = "The note's properties are written in a form Library Sync cannot update safely (for example anchors, complex keys or duplicate keys); simplify them and sync again.";
const LINE = /[^\n]*\n|[^\n]+$/g;

interface Chunk {
	/** The entry's key; undefined for comments and blank lines between entries. */
	key?: string;
	text: string;
}

function lineEnding(text: string): string {
	const newline = text.indexOf('\n');
	return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

function withEnding(text: string, eol: string): string {
	return eol === '\n' ? text : text.replace(/\n/g, eol);
}

function splitLines(text: string): string[] {
	return text.match(LINE) ?? [];
}

function stripEnding(line: string): string {
	return line.replace(/\r?\n$/, '').replace(/\r$/, '');
}

// The end index (exclusive) of a quoted scalar starting at 0, or -1.
function closingQuote(line: string): number {
	const quote = line[0];
	for (let i = 1; i < line.length; i++) {
		if (quote === '"' && line[i] === '\\') i++;
		else if (line[i] === quote) {
			if (quote === "'" && line[i + 1] === "'") i++;
			else return i + 1;
		}
	}
	return -1;
}

/**
 * The key of a top-level entry's first line, or undefined when the line is
 * not a simple `key: ...` (flow mappings, complex keys, sequences ...).
 */
function entryKey(content: string): string | undefined {
	const first = content[0];
	if (first === undefined || /[\s#{}[\],&*!|>%@`]/.test(first)) return undefined;
	if (first === '"' || first === "'") {
		const end = closingQuote(content);
		if (end === -1 || !/^[ \t]*:(?:[ \t]|$)/.test(content.slice(end))) return undefined;
		const keys = Object.keys(parseProperties(`${content.slice(0, end)}: 0\n`));
		return keys.length === 1 ? keys[0] : undefined;
	}
	if ((first === '?' || first === '-' || first === ':') && /^.(?:[ \t]|$)/.test(content)) return undefined;
	const colon = /:(?:[ \t]|$)/.exec(content);
	if (colon === null) return undefined;
	const key = content.slice(0, colon.index).trimEnd();
	return key.includes(' #') ? undefined : key;
}

/** The YAML's top-level entries, or undefined when it is not a plain block mapping Library Sync can edit. */
function chunkYaml(yaml: string): Chunk[] | undefined {
	const chunks: Chunk[] = [];
	let entry: Chunk | undefined;
	let pending = '';
	for (const line of splitLines(yaml)) {
		const content = stripEnding(line);
		if (content.trim() === '' || content.startsWith('#')) {
			pending += line;
			continue;
		}
		if (/^[ \t]/.test(content) || /^-(?:[ \t]|$)/.test(content)) {
			// Continuation of the entry above (comments and blank lines inside it included).
			if (entry === undefined) return undefined;
			entry.text += pending + line;
			pending = '';
			continue;
		}
		const key = entryKey(content);
		if (key === undefined) return undefined;
		if (pending !== '') chunks.push({ text: pending });
		pending = '';
		entry = { key, text: line };
		chunks.push(entry);
	}
	if (pending !== '') chunks.push({ text: pending });
	return chunks;
}

function sameValue(current: unknown, wanted: PropertyValue): boolean {
	if (Array.isArray(wanted)) {
		return Array.isArray(current) && current.length === wanted.length && wanted.every((item, i) => current[i] === item);
	}
	return current === wanted;
}

function ownValue(data: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined;
}

/**
 * True when the managed entries are exactly as the sync would write them
 * (each rendered property present once, in its canonical text, and no
 * managed property that is no longer rendered): the merge would change
 * nothing, so the YAML need not be parsed. This is the common case, a
 * book that did not change, and parsing is most of a merge's cost. The
 * user's own entries are not checked: a sync only validates what it edits.
 */
function alreadyMerged(chunks: readonly Chunk[], wanted: ReadonlyMap<string, PropertyValue>, managed: Set<string>, entryText: (name: string, value: PropertyValue) => string): boolean {
	const seen = new Set<string>();
	for (const { key, text } of chunks) {
		if (key === undefined) continue;
		if (seen.has(key)) return false;
		seen.add(key);
		if (!managed.has(key) && !wanted.has(key)) continue;
		const value = wanted.get(key);
		if (value === undefined || text !== entryText(key, value)) return false;
	}
	return [...wanted.keys()].every((name) => seen.has(name));
}

/** The YAML text with managed entries updated, added and removed. */
function mergeYaml(yaml: string, rendered: RenderedNote, managed: Set<string>, eol: string): string {
	// Most often the properties are exactly the rendered ones, as the sync wrote them.
	if (yaml === withEnding(dumpProperties(rendered.properties), eol)) return yaml;
	const chunks = chunkYaml(yaml);
	const entryText = (name: string, value: PropertyValue): string => `${withEnding(dumpProperty(name, value), eol)}${eol}`;
	const wanted = new Map(rendered.properties);
	if (chunks !== undefined && alreadyMerged(chunks, wanted, managed, entryText)) return yaml;
	const data = parseProperties(yaml);
	if (chunks === undefined) throw new SyncError('io', UNSUPPORTED_YAML);
	const keys = chunks.flatMap((chunk) => (chunk.key === undefined ? [] : [chunk.key]));
	const dataKeys = Object.keys(data);
	if (new Set(keys).size !== keys.length || keys.length !== dataKeys.length || dataKeys.some((key) => !keys.includes(key))) {
		throw new SyncError('io', UNSUPPORTED_YAML);
	}

	const merged: Chunk[] = [];
	for (const chunk of chunks) {
		const key = chunk.key;
		if (key === undefined || (!managed.has(key) && !wanted.has(key))) {
			merged.push(chunk);
			continue;
		}
		const value = wanted.get(key);
		if (value === undefined) continue;
		// An entry that already holds the value keeps its bytes.
		merged.push(sameValue(ownValue(data, key), value) ? chunk : { key, text: entryText(key, value) });
	}

	const indexOf = (name: string): number => merged.findIndex((chunk) => chunk.key === name);
	const order = rendered.properties.map(([name]) => name);
	rendered.properties.forEach(([name, value], position) => {
		if (indexOf(name) !== -1) return;
		const added: Chunk = { key: name, text: entryText(name, value) };
		// Next to its canonical neighbour when one is there, else at the end.
		const before = order.slice(0, position).reverse().map(indexOf).find((index) => index !== -1);
		if (before !== undefined) {
			merged.splice(before + 1, 0, added);
			return;
		}
		const after = order.slice(position + 1).map(indexOf).find((index) => index !== -1);
		if (after !== undefined) merged.splice(after, 0, added);
		else merged.push(added);
	});
	return merged.map((chunk) => chunk.text).join('');
}

/** Start of the region's begin line and end of its end line (before its line ending), or undefined. */
function findRegion(body: string): { start: number; end: number } | undefined {
	let start: number | undefined;
	let offset = 0;
	for (const line of splitLines(body)) {
		const content = stripEnding(line).trim();
		if (start === undefined && content === REGION_BEGIN) start = offset;
		else if (start !== undefined && content === REGION_END) return { start, end: offset + stripEnding(line).length };
		offset += line.length;
	}
	return undefined;
}

function mergeRegion(body: string, region: string, eol: string): string {
	const block = withEnding(regionBlock(region), eol);
	// Most often the note starts with this very region (a region holds no marker line of its own).
	if (body.startsWith(block) && (body.length === block.length || body.startsWith(eol, block.length))) return body;
	const found = findRegion(body);
	if (found !== undefined) {
		if (body.slice(found.start, found.end) === block) return body;
		return body.slice(0, found.start) + block + body.slice(found.end);
	}
	// No (complete) region yet: it goes first, a blank line before the user's text.
	if (body === '') return `${block}${eol}${eol}`;
	return body.startsWith('\n') || body.startsWith('\r\n') ? `${block}${eol}${body}` : `${block}${eol}${eol}${body}`;
}

function assertWritten(yaml: string, rendered: RenderedNote): void {
	const data = parseProperties(yaml);
	for (const [name, value] of rendered.properties) {
		if (!sameValue(ownValue(data, name), value)) {
			throw new SyncError('io', `Library Sync could not write the property "${name}" safely; the note was left unchanged.`);
		}
	}
}

/**
 * Merges a rendered book into an existing note's text:
 * - managed properties (names in `managed`, or rendered) updated in place,
 *   new ones inserted next to their canonical neighbours, managed ones
 *   absent from `rendered` removed; an entry already holding the rendered
 *   value keeps its bytes;
 * - every other property kept byte for byte (formatting, comments);
 * - the generated region between the marker lines replaced, or inserted
 *   right after the frontmatter when the note has no complete region;
 * - a frontmatter added when the note has none;
 * - everything else kept byte for byte; CRLF notes stay CRLF.
 * Idempotent; returns `existing` itself when nothing changes. Throws the
 * SyncError('io') of `parseNote` when the note's YAML is invalid, or
 * SyncError('io') when its YAML cannot be edited safely.
 */
export function mergeNote(existing: string, rendered: RenderedNote, managed: Set<string>): string {
	const eol = lineEnding(existing);
	const parts = splitFrontmatter(existing);
	let head: string;
	let body: string;
	if (parts === undefined) {
		const bom = existing.startsWith('\uFEFF') ? '\uFEFF' : '';
		const yaml = withEnding(dumpProperties(rendered.properties), eol);
		assertWritten(yaml, rendered);
		head = `${bom}---${eol}${yaml}---${eol}`;
		body = existing.slice(bom.length);
	} else {
		const yaml = mergeYaml(parts.yaml, rendered, managed, eol);
		const closing = /\n$/.test(parts.closing) ? parts.closing : `${parts.closing}${eol}`;
		head = parts.bom + parts.opening + yaml + closing;
		body = parts.body;
		if (yaml !== parts.yaml) assertWritten(yaml, rendered);
	}
	const merged = head + mergeRegion(body, rendered.region, eol);
	return merged === existing ? existing : merged;
}

/**
 * The note's id (the `idProperty` frontmatter value) or undefined. Cheap
 * (a line scan; the YAML parser only for quoted or unusual values) and
 * tolerant: never throws, whatever the text.
 */
export function readNoteId(text: string, idProperty: string): string | undefined {
	try {
		const parts = splitFrontmatter(text);
		if (parts === undefined) return undefined;
		const yaml = parts.yaml;
		// Line by line as splitLines cuts them, without cutting them all: the id is usually the first.
		for (let at = 0; at < yaml.length; ) {
			const newline = yaml.indexOf('\n', at);
			const end = newline === -1 ? yaml.length : newline + 1;
			const line = yaml.slice(at, end);
			at = end;
			const content = stripEnding(line);
			if (content === '' || /^[\s#-]/.test(content)) continue;
			if (!content.startsWith(idProperty) && !/^["']/.test(content)) continue;
			if (entryKey(content) !== idProperty) continue;
			const colon = content.startsWith('"') || content.startsWith("'") ? closingQuote(content) : 0;
			const rest = content.slice(content.indexOf(':', colon) + 1).trim();
			const plain = /^[^\s"'|>&*![{#]/.test(rest) ? rest.replace(/[ \t]+#.*$/, '').trim() : undefined;
			const value = plain ?? ownValue(parseProperties(rest === '' || /^[|>]/.test(rest) ? parts.yaml : `${content}\n`), idProperty);
			if (typeof value === 'string' && value !== '') return value;
			if (typeof value === 'number' && Number.isFinite(value)) return String(value);
			return undefined;
		}
		return undefined;
	} catch {
		return undefined;
	}
}

/**
 * Sets and removes properties of a note without touching anything else
 * (the generated region included): for marks that do not come from a
 * record, such as `removed`. Same rules as `mergeNote` for the YAML; the
 * note must already have frontmatter. Returns `existing` when nothing changes.
 */
export function updateProperties(existing: string, set: Array<[string, PropertyValue]>, remove: ReadonlySet<string>): string {
	const parts = splitFrontmatter(existing);
	if (parts === undefined) throw new SyncError('io', 'The note has no properties to update.');
	const eol = lineEnding(existing);
	const change: RenderedNote = { properties: set, region: '' };
	const managed = new Set([...remove, ...set.map(([name]) => name)]);
	const yaml = mergeYaml(parts.yaml, change, managed, eol);
	if (yaml === parts.yaml) return existing;
	assertWritten(yaml, change);
	return parts.bom + parts.opening + yaml + parts.closing + parts.body;
}
