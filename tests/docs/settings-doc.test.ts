/**
 * docs/settings.md lists every key of data.json with its default: the table
 * must name exactly the keys of DEFAULT_SETTINGS, each with its default as
 * JSON, so that the document cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings/schema';

const DOC = readFileSync(path.resolve(import.meta.dirname, '../../docs/settings.md'), 'utf8');

/** key → default cell, from the rows of the table. */
function documented(): Map<string, string> {
	const rows = new Map<string, string>();
	for (const line of DOC.split('\n')) {
		const match = /^\| `([A-Za-z]+)` \| `(.*?)` \| .+ \|$/.exec(line);
		if (match?.[1] !== undefined && match[2] !== undefined) rows.set(match[1], match[2]);
	}
	return rows;
}

describe('docs/settings.md', () => {
	const rows = documented();

	it('lists exactly the settings the code knows', () => {
		expect([...rows.keys()].sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
	});

	it.each(Object.entries(DEFAULT_SETTINGS))('gives the default of %s as the code has it', (key, value) => {
		expect(rows.get(key)).toBe(JSON.stringify(value));
	});
});
