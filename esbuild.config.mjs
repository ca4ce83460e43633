// Builds the two shells from one core:
//   dist/cli.js       the command-line tool's launcher (Node 20, ESM): runs
//   dist/cli-main.js  the command itself on a worker thread (src/cli/launch.ts
//                     says why); `obsidian` is not external, so anything in
//                     its graph importing it fails here.
//   main.js           the Obsidian plugin (CommonJS, browser platform, no Node).
import esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv[2] === 'production';
const watch = process.argv.includes('--watch');

// js-yaml's loader requires its default schemas (timestamps, binary, ordered
// maps, sets, JavaScript functions and regexps) for calls that name no
// schema. Ours always name CORE_SCHEMA (gray-matter's engines included, see
// src/core/render/frontmatter.ts), so the defaults become that schema too.
const yamlDefaultSchemas = {
	name: 'js-yaml-default-schemas',
	setup(build) {
		build.onResolve({ filter: /^\.\/schema\/default_(?:safe|full)$/ }, (args) =>
			/[\\/]js-yaml[\\/]lib[\\/]js-yaml$/.test(args.resolveDir)
				? { path: path.join(args.resolveDir, 'schema', 'core.js') }
				: undefined);
	},
};

const shared = {
	bundle: true,
	plugins: [yamlDefaultSchemas],
	logLevel: 'info',
	sourcemap: production ? false : 'inline',
	minify: production,
	legalComments: 'none',
	// Non-ASCII characters as UTF-8 instead of \uXXXX escapes: the HTML entity
	// trie in `entities` is a 47 KB string literal that shrinks to 27 KB.
	// Obsidian reads main.js as UTF-8 on every platform; esbuild keeps lone
	// surrogates, which UTF-8 cannot carry, escaped.
	charset: 'utf8',
	// Both shells get the same aliases, so the plugin and the CLI run the same
	// rendering code and write byte-identical notes.
	alias: {
		// gray-matter requires `fs` for a function we never call.
		fs: './shims/empty.ts',
		// node-html-parser decodes entities with `he`, a second copy of the HTML5
		// entity table next to the one in `entities`: decode through `entities`.
		he: './shims/he.ts',
		// js-yaml's loader without its dumper (shims/js-yaml.ts says why).
		'js-yaml': './shims/js-yaml.ts',
		// node-html-parser's CSS selector engine (css-select, domutils, ...);
		// nothing on our path runs a selector. The shim throws if one ever does.
		'css-select': './shims/css-select.ts',
	},
};

/** @type {import('esbuild').BuildOptions[]} */
const cli = {
	...shared,
	// ASCII source is held in one byte a character (V8 keeps any other as two).
	charset: 'ascii',
	platform: 'node',
	format: 'esm',
	target: 'node20',
	minify: false,
	define: { LIBRARY_SYNC_VERSION: JSON.stringify(version) },
};
const builds = [
	{ ...cli, entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
	{
		...cli,
		entryPoints: ['src/cli/main.ts'],
		outfile: 'dist/cli-main.js',
		banner: { js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);' },
	},
];

if (existsSync('src/main.ts')) {
	builds.push({
		...shared,
		entryPoints: ['src/main.ts'],
		outfile: 'main.js',
		platform: 'browser',
		format: 'cjs',
		target: 'es2021',
		inject: ['./shims/buffer.ts'],
		// node-html-markdown reads process.env.LOG_PERF on every conversion; the mobile app has no process.
		define: { 'process.env.LOG_PERF': 'undefined' },
		external: [
			'obsidian',
			'electron',
			'@codemirror/autocomplete',
			'@codemirror/collab',
			'@codemirror/commands',
			'@codemirror/language',
			'@codemirror/lint',
			'@codemirror/search',
			'@codemirror/state',
			'@codemirror/view',
			'@lezer/common',
			'@lezer/highlight',
			'@lezer/lr',
		],
	});
}

if (watch) {
	for (const options of builds) await (await esbuild.context(options)).watch();
} else {
	await Promise.all(builds.map((options) => esbuild.build(options)));
}
