/**
 * What the feed decoder costs on the worst bodies within the 32 MB cap that
 * it must tell apart (cut off, damaged, nested too deep): prints, per body,
 * the time of `decodePage` (JSON.parse, then the depth or cut-off check)
 * and of `isJsonPrefix` alone, median of the runs.
 *
 *   npx tsx scripts/bench/json-prefix.ts [--reps 3]
 */
import { decodePage } from '../../src/core/api/decode';
import { isJsonPrefix } from '../../src/core/api/json-prefix';

const repsAt = process.argv.indexOf('--reps');
const reps = repsAt > 0 ? Math.max(1, Number(process.argv[repsAt + 1])) : 3;
const SIZE = 32 * 1024 * 1024 - 64;
const fill = (piece: string): string => `{"data":[${piece.repeat(Math.floor(SIZE / piece.length))}`;
const bodies: Record<string, string> = {
	'cut off: numbers 1,1,1,...': fill('1,'),
	'cut off: floats -1.5e3,...': fill('-1.5e3,'),
	'cut off: literals true,...': fill('true,'),
	'cut off: objects {"a":1},...': fill('{"a":1},'),
	'cut off: one long string': `{"data":["${'a'.repeat(SIZE)}`,
	'nested: [[[[...': fill('['),
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const time = (work: () => void): number => {
	const start = process.hrtime.bigint();
	work();
	return Number(process.hrtime.bigint() - start) / 1e6;
};

for (const [name, body] of Object.entries(bodies)) {
	const decode: number[] = [];
	const prefix: number[] = [];
	let outcome = '';
	for (let rep = 0; rep < reps; rep++) {
		decode.push(
			time(() => {
				try {
					decodePage(body);
					outcome = 'decoded';
				} catch (error) {
					outcome = (error as { kind?: string }).kind ?? 'error';
				}
			}),
		);
		prefix.push(time(() => isJsonPrefix(body)));
	}
	process.stdout.write(`${name.padEnd(32)} ${outcome.padEnd(11)} decodePage ${median(decode).toFixed(0).padStart(5)} ms   isJsonPrefix ${median(prefix).toFixed(0).padStart(5)} ms\n`);
}
