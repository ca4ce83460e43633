/**
 * How long the renderer takes per note, with no network or disk: the CPU
 * work a full sync does for every book on top of the floor. Renders the
 * synthetic library (plus the sample library and the golden fixtures) as
 * new notes, then merges each into its own note as a full sync of a synced
 * vault does. Prints µs per note for each step and a digest of every byte
 * produced, so an optimisation can show both that it is faster and that
 * it changed nothing.
 *
 *   npx tsx scripts/bench/render.ts [--books 10000] [--reps 5] [--zone UTC]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../src/core/render/options';
import { fullRecord, GOLDEN_OPTIONS, hostileRecord, minimalRecord } from '../../tests/core/render/fixtures';
import { sampleLibrary } from '../../tests/server/sample-library';
import { syntheticLibrary } from '../../tests/server/synthetic';
import { bundleAndLoad, SHELL_ALIASES } from './bundle';
import type * as Pass from './render-pass';
import { formatTable, median } from './table';

const { values } = parseArgs({
	args: process.argv.slice(2),
	options: {
		books: { type: 'string', default: '10000' },
		reps: { type: 'string', default: '5' },
		zone: { type: 'string', default: 'UTC' },
	},
});
const reps = Math.max(1, Number(values.reps));

const dir = mkdtempSync(path.join(os.tmpdir(), 'library-sync-render-'));
try {
	// Bundled like the shells: the timed code is the shipped code.
	const pass = await bundleAndLoad<typeof Pass>('scripts/bench/render-pass.ts', path.join(dir, 'render-pass.cjs'), SHELL_ALIASES, 'utf8');
	const records = [
		...pass.decodeAll([...syntheticLibrary(Number(values.books)), ...sampleLibrary()]),
		fullRecord(), minimalRecord(), hostileRecord(),
	];
	const rows: string[][] = [];
	const optionSets: Array<[string, RenderOptions]> = [['defaults', { ...DEFAULT_RENDER_OPTIONS, timeZone: values.zone }], ['golden options', GOLDEN_OPTIONS]];
	for (const [name, options] of optionSets) {
		const passes = Array.from({ length: reps }, () => pass.renderPass(records, options));
		const digests = new Set(passes.map((p) => p.digest));
		if (digests.size !== 1) throw new Error(`The renderer gave different bytes on different passes: ${[...digests].join(', ')}`);
		const us = (pick: (p: Pass.RenderPass) => number): string => median(passes.map(pick)).toFixed(1);
		rows.push([name, us((p) => p.renderUs), us((p) => p.composeUs), us((p) => p.mergeUs), passes[0]?.digest ?? '']);
	}
	process.stdout.write(`Renderer: ${records.length.toLocaleString('en-US')} records, median of ${reps} passes, µs per note\n\n`);
	process.stdout.write(`${formatTable(['options', 'render', 'compose', 'merge', 'digest'], rows).join('\n')}\n`);
} finally {
	rmSync(dir, { recursive: true, force: true });
}
