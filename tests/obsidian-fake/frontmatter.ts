/**
 * Frontmatter the way Obsidian finds it: a `---` line at the very start,
 * YAML up to the next `---` line. Parsed with a YAML 1.2 parser, so dates
 * stay strings (as in Obsidian's properties), and invalid YAML yields no
 * frontmatter rather than an exception.
 */
import { parse, stringify } from 'yaml';

export interface FakeFrontMatterInfo {
	exists: boolean;
	frontmatter: string;
	from: number;
	to: number;
	contentStart: number;
}

export function getFrontMatterInfo(content: string): FakeFrontMatterInfo {
	const none: FakeFrontMatterInfo = { exists: false, frontmatter: '', from: 0, to: 0, contentStart: 0 };
	const open = /^---[ \t]*\r?\n/.exec(content);
	if (!open) return none;
	const from = open[0].length;
	let lineStart = from;
	while (lineStart <= content.length) {
		const newline = content.indexOf('\n', lineStart);
		const lineEnd = newline < 0 ? content.length : newline;
		const line = content.slice(lineStart, lineEnd).replace(/\r$/, '').trimEnd();
		if (line === '---') {
			return {
				exists: true,
				frontmatter: content.slice(from, lineStart),
				from,
				to: lineStart,
				contentStart: newline < 0 ? content.length : newline + 1,
			};
		}
		if (newline < 0) break;
		lineStart = newline + 1;
	}
	return none;
}

/** Parses YAML like Obsidian's parseYaml: throws on invalid YAML. */
export function parseYaml(text: string): unknown {
	return parse(text) as unknown;
}

export function stringifyYaml(value: unknown): string {
	return stringify(value, { lineWidth: 0 });
}

/** The frontmatter object, or undefined when there is none or it is not valid YAML mapping. */
export function readFrontmatter(content: string): Record<string, unknown> | undefined {
	const info = getFrontMatterInfo(content);
	if (!info.exists) return undefined;
	try {
		const value = parseYaml(info.frontmatter);
		if (value === null || value === undefined) return {};
		if (typeof value !== 'object' || Array.isArray(value)) return undefined;
		return value as Record<string, unknown>;
	} catch {
		return undefined;
	}
}
