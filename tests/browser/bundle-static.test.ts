/**
 * What can be seen in the built main.js without running it: the plugin is
 * loaded by the mobile app too, a web view with no Node and, on older iOS,
 * no regex lookbehind. The browser test (plugin-in-browser.test.ts) runs it.
 */
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN_JS = path.resolve(import.meta.dirname, '../../main.js');

function mainJs(): string {
	if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first.`);
	return readFileSync(MAIN_JS, 'utf8');
}

/** Every module named in a literal `require("...")` call. */
function requiredModules(code: string): string[] {
	const pattern = /\brequire\(\s*(["'`])([^"'`]*)\1\s*\)/g;
	return [...new Set([...code.matchAll(pattern)].map((match) => match[2] ?? ''))].sort();
}

describe('the built main.js', () => {
	it('is a CommonJS bundle that requires only obsidian', () => {
		const code = mainJs();
		const bytes = Buffer.byteLength(code, 'utf8');
		console.debug(`main.js: ${bytes.toLocaleString('en-US')} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
		expect(code).toMatch(/\bmodule\.exports\s*=/);
		const modules = requiredModules(code);
		expect(modules, 'main.js may require only the obsidian module').toEqual(['obsidian']);
		// Spelled out so that a failure names the culprit even if the list above changes shape.
		for (const name of ['fs', 'path', 'crypto', 'os', 'child_process', 'electron']) expect(modules).not.toContain(name);
		expect(modules.filter((name) => name.startsWith('node:') || name.startsWith('@codemirror/') || name.startsWith('@lezer/'))).toEqual([]);
		expect(code, 'no dynamic import() of a module').not.toMatch(/\bimport\(\s*["'`]/);
	});

	it('has no regex lookbehind (old iOS web views reject the whole file)', () => {
		const code = mainJs();
		const found = [...code.matchAll(/\(\?<[=!]/g)].map((match) => code.slice(Math.max(0, match.index - 40), match.index + 40));
		expect(found).toEqual([]);
	});
});
