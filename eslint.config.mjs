// @ts-check
import { defineConfig, globalIgnores } from 'eslint/config';
import obsidianmd from 'eslint-plugin-obsidianmd';
import globals from 'globals';

/** Folders that must stay pure (docs/architecture.md): no shell, no platform. */
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'child_process', 'url', 'buffer', 'util', 'stream', 'events'];
const pureCore = {
	paths: [
		{ name: 'obsidian', message: 'The core is pure: no Obsidian API (docs/architecture.md).' },
		...nodeBuiltins.map((name) => ({ name, message: 'The core is pure: no Node modules (docs/architecture.md).' })),
	],
	patterns: [
		{ group: ['node:*'], message: 'The core is pure: no Node modules (docs/architecture.md).' },
		{ group: ['**/obsidian/**', '**/ui/**', '**/cli/**', '**/main'], message: 'The core never imports an adapter or a shell.' },
	],
};

export default defineConfig([
	globalIgnores(['node_modules/', 'dist/', 'main.js', 'demo-vault/', 'coverage/', 'tests/browser/fixtures/**']),
	...obsidianmd.configs.recommended,
	{
		languageOptions: {
			parserOptions: {
				projectService: { allowDefaultProject: ['eslint.config.mjs', 'esbuild.config.mjs', 'version-bump.mjs', 'scripts/*.mjs', 'scripts/bench/*.mjs'] },
				tsconfigRootDir: import.meta.dirname,
			},
		},
	},
	{
		// js-yaml is already in every bundle as gray-matter's parser; depending on it
		// directly (for its core schema) adds no bytes, a "preferred" replacement would
		// add a second YAML parser. The rule stays on for every other package.
		files: ['package.json'],
		rules: {
			'depend/ban-dependencies': ['error', { presets: ['native', 'microutilities', 'preferred'], allowed: ['js-yaml'] }],
		},
	},
	{
		files: ['src/core/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', pureCore],
			'no-restricted-globals': ['error',
				{ name: 'window', message: 'The core is pure: no window (docs/architecture.md).' },
				{ name: 'document', message: 'The core is pure: no document (docs/architecture.md).' },
				{ name: 'setTimeout', message: 'The core gets time through an injected Sleep.' },
				{ name: 'fetch', message: 'The core talks through the HttpTransport port.' },
			],
			'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'The core reads time from the injected Clock.' }],
		},
	},
	{
		files: ['src/obsidian/**/*.ts', 'src/ui/**/*.ts', 'src/main.ts'],
		rules: {
			'no-restricted-imports': ['error', {
				paths: nodeBuiltins.map((name) => ({ name, message: 'The plugin runs on mobile: no Node modules.' })),
				patterns: [
					{ group: ['node:*'], message: 'The plugin runs on mobile: no Node modules.' },
					{ group: ['**/cli/**'], message: 'The plugin never imports the CLI shell.' },
				],
			}],
		},
	},
	{
		files: ['src/cli/**/*.ts'],
		languageOptions: { globals: { ...globals.node } },
		rules: {
			'no-restricted-imports': ['error', {
				patterns: [
					{ group: ['obsidian'], message: 'The CLI runs without Obsidian.' },
					{ group: ['**/obsidian/**', '**/ui/**', '**/main'], message: 'The CLI never imports the plugin shell.' },
				],
			}],
		},
	},
	{
		// Tests, scripts and the reference server are Node programs, not plugin code.
		files: ['tests/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs', '*.mjs', 'vitest.config.ts'],
		languageOptions: { globals: { ...globals.node } },
		rules: {
			// Rules about code that runs inside Obsidian; tests, scripts and the
			// reference server run on Node (and the fakes must name `.obsidian`).
			'obsidianmd/no-nodejs-modules': 'off',
			'obsidianmd/hardcoded-config-path': 'off',
			'obsidianmd/prefer-window-timers': 'off',
			'obsidianmd/no-global-this': 'off',
			'no-restricted-globals': 'off',
			'import/no-nodejs-modules': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
]);
