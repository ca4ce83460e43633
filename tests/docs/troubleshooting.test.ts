/**
 * The README's Troubleshooting table quotes messages the tool prints. Each
 * quoted message, cut at its "…" (the part that varies), must still be in
 * the source, so that a reworded message cannot leave the README behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourceText(dir: string): string {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
		.map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
		.join('\n');
}

/** The first cell of every row of the table under "## Troubleshooting". */
function quotedMessages(readme: string): string[] {
	const section = readme.split(/^## Troubleshooting$/m)[1]?.split(/^## /m)[0] ?? '';
	return section
		.split('\n')
		.filter((line) => line.startsWith('| ') && !line.startsWith('| message') && !line.startsWith('| ---'))
		.map((line) => line.split(' | ')[0]?.slice(2).trim() ?? '');
}

describe('README Troubleshooting', () => {
	const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const source = sourceText(path.join(ROOT, 'src'));
	const messages = quotedMessages(readme);

	it('quotes at least the messages of the common failures', () => {
		expect(messages.length).toBeGreaterThanOrEqual(10);
	});

	it.each(messages)('the source still prints "%s"', (message) => {
		const fragments = message
			.split('…')
			// The quotes and colon around a varying part belong to the template, not to a fixed piece.
			.map((fragment) => fragment.trim().replace(/^["':]+\s*|\s*["':]+$/g, ''))
			.filter((fragment) => fragment.length >= 4);
		expect(fragments.length).toBeGreaterThan(0);
		for (const fragment of fragments) expect(source, fragment).toContain(fragment);
	});
});
