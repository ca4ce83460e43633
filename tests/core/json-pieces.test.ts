import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../src/core/json-pieces';

describe('jsonPieces', () => {
	it('adds up to JSON.stringify of the same value, byte for byte, with either indent', () => {
		const changes = Array.from({ length: 1234 }, (_, i) => ({
			id: `b${i}`,
			title: i % 3 === 0 ? `“Quoted” \\ "${i}"\n` : `Title ${i}`,
			action: 'created',
			path: `Books/Title ${i}.md`,
			from: i % 2 === 0 ? undefined : `Old/${i}.md`,
		}));
		const values: object[] = [
			{},
			{ only: undefined },
			{ ok: true, nested: { a: [1, { b: 'c' }], empty: {} }, list: [], missing: undefined, skip: () => 1 },
			{ mode: 'full', counts: { created: 1234 }, changes, failures: [undefined, null, 'x', { reason: 'é' }], durationMs: 12.5 },
		];
		for (const value of values) {
			for (const indent of ['  ', '\t']) expect([...jsonPieces(value, indent)].join('')).toBe(`${JSON.stringify(value, null, indent)}\n`);
		}
	});

	it('writes a Map as the object of its entries, keys sorted', () => {
		const paths = new Map(Array.from({ length: 1234 }, (_, i) => [`b "${1234 - i}" é`, i % 2 === 0 ? `Books/${i}.md` : { nested: [i] }] as const));
		const sorted = Object.fromEntries([...paths].sort(([a], [b]) => (a < b ? -1 : 1)));
		for (const indent of ['  ', '\t']) {
			expect([...jsonPieces({ a: 1, paths, empty: new Map() }, indent)].join('')).toBe(`${JSON.stringify({ a: 1, paths: sorted, empty: {} }, null, indent)}\n`);
		}
	});

	it('writes a long list a few hundred entries at a time', () => {
		const pieces = [...jsonPieces({ ids: Array.from({ length: 5000 }, (_, i) => i) }, '  ')];
		expect(pieces.length).toBeGreaterThan(5);
		expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(10_000);
	});
});
