/**
 * Reading a note's frontmatter safely, and writing properties.
 *
 * gray-matter is configured so that parsing is safe and portable:
 * - YAML through js-yaml's CORE_SCHEMA: dates stay strings (no Date objects,
 *   no time-zone shifts), no custom tags;
 * - its JavaScript front-matter engine (which `eval`s) replaced by one that
 *   throws;
 * - an options object on every call, because without one gray-matter caches
 *   every input string forever (a leak at tens of thousands of notes).
 * Where the frontmatter starts and ends is decided here, the way Obsidian
 * does it (a first line `---`, closed by the next line `---`), so that the
 * merge and the parser always agree on the same bytes.
 */
import matter from 'gray-matter';
import { CORE_SCHEMA, safeLoad } from 'js-yaml';
import { SyncError } from '../errors';

export { dumpProperties, dumpProperty, isRepresentable, yamlKey, yamlString } from './yaml-dump';
export type { PropertyValue } from './yaml-dump';

/** The raw pieces of a note, split where Obsidian splits them; concatenated they give the note back. */
export interface NoteParts {
	/** A byte-order mark the note started with, or ''. */
	bom: string;
	/** The opening `---` line including its line ending. */
	opening: string;
	/** The YAML text between the delimiter lines (every line with its ending). */
	yaml: string;
	/** The closing `---` line including its line ending ('' ending at end of file). */
	closing: string;
	/** Everything after the closing line. */
	body: string;
}

/** A parsed note. */
export interface ParsedNote {
	/** The properties (own keys only; `__proto__` is a plain key). */
	data: Record<string, unknown>;
	/** The raw YAML text ('' without frontmatter). */
	frontmatter: string;
	/** The text after the frontmatter (the whole note without one). */
	body: string;
	hasFrontmatter: boolean;
}

const OPENING = /^---[ \t]*\r?\n/;
const DELIMITER = /^---[ \t]*\r?$/;
const INVALID_YAML = "The note's properties are not valid YAML; fix them and sync again.";

/**
 * Splits a note into its frontmatter pieces, or returns undefined when the
 * note has no (closed) frontmatter. Never throws.
 */
export function splitFrontmatter(text: string): NoteParts | undefined {
	const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
	const rest = bom === '' ? text : text.slice(1);
	const open = OPENING.exec(rest);
	if (open === null) return undefined;
	let pos = open[0].length;
	while (pos < rest.length) {
		const newline = rest.indexOf('\n', pos);
		const lineEnd = newline === -1 ? rest.length : newline + 1;
		// Only a line starting with `-` can close the frontmatter: no other line is cut out and tested.
		if (rest.charCodeAt(pos) === 0x2d && DELIMITER.test(rest.slice(pos, newline === -1 ? rest.length : newline))) {
			return {
				bom,
				opening: open[0],
				yaml: rest.slice(open[0].length, pos),
				closing: rest.slice(pos, lineEnd),
				body: rest.slice(lineEnd),
			};
		}
		pos = lineEnd;
	}
	return undefined;
}

function refuse(language: string): never {
	throw new Error(`front matter in ${language} is not supported`);
}

function loadYaml(yaml: string): object {
	const data = safeLoad(yaml, { schema: CORE_SCHEMA });
	if (data === null || data === undefined) return {};
	if (typeof data !== 'object' || Array.isArray(data)) throw new Error('the frontmatter is not a mapping');
	return data;
}

const MATTER_OPTIONS = {
	language: 'yaml',
	engines: {
		yaml: { parse: loadYaml, stringify: (): string => refuse('yaml') },
		javascript: { parse: (): object => refuse('javascript') },
		js: { parse: (): object => refuse('javascript') },
		coffee: { parse: (): object => refuse('coffee') },
		json: { parse: (): object => refuse('json') },
	},
};

/**
 * Parses YAML properties text (as found between the delimiters) into a fresh
 * object of own properties. Throws SyncError('io') when it is not a valid
 * YAML mapping.
 */
export function parseProperties(yaml: string): Record<string, unknown> {
	let parsed: { data: unknown; matter: string };
	try {
		parsed = matter(`---\n${yaml}---\n`, MATTER_OPTIONS);
	} catch (error) {
		throw new SyncError('io', INVALID_YAML, { cause: error });
	}
	// gray-matter closes at any line starting with `---`; when that is not
	// our delimiter it parsed less than the whole block.
	if (parsed.matter !== `\n${yaml}`.replace(/\n$/, '') && yaml.trim() !== '') {
		throw new SyncError('io', INVALID_YAML);
	}
	const data: Record<string, unknown> = {};
	if (parsed.data !== null && typeof parsed.data === 'object') {
		for (const [key, value] of Object.entries(parsed.data)) {
			// defineProperty so that a `__proto__` key stays an ordinary own key.
			Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
		}
	}
	return data;
}

/**
 * Parses a note. Throws SyncError('io') with a one-sentence message when
 * the frontmatter is not valid YAML (or not a mapping); the caller leaves
 * such a note alone.
 */
export function parseNote(text: string): ParsedNote {
	const parts = splitFrontmatter(text);
	if (parts === undefined) return { data: {}, frontmatter: '', body: text, hasFrontmatter: false };
	return { data: parseProperties(parts.yaml), frontmatter: parts.yaml, body: parts.body, hasFrontmatter: true };
}
