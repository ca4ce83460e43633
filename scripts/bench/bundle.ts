/**
 * Bundles a script's entry point into a CommonJS file and loads it, for the
 * scripts that must time or compare the code as the shells ship it (with
 * the bundle aliases of esbuild.config.mjs) rather than as tsx runs it.
 */
import esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** The aliases both shells are built with (esbuild.config.mjs), `fs` aside. */
export const SHELL_ALIASES: Readonly<Record<string, string>> = {
	he: './shims/he.ts',
	'js-yaml': './shims/js-yaml.ts',
	'css-select': './shims/css-select.ts',
};

/**
 * Bundles `entry` (relative to the project root) into `outfile` with `alias`
 * (and gray-matter's unused `fs` left out, as in the shells), then loads it.
 * `charset: 'utf8'` as the shells are built: the entity trie travels as UTF-8.
 */
export async function bundleAndLoad<T>(entry: string, outfile: string, alias: Readonly<Record<string, string>>, charset?: 'utf8'): Promise<T> {
	await esbuild.build({
		entryPoints: [path.join(ROOT, entry)],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		logLevel: 'error',
		absWorkingDir: ROOT,
		alias: { fs: './shims/empty.ts', ...alias },
		charset,
	});
	return require(outfile) as T;
}
