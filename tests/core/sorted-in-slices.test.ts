import { describe, expect, it } from 'vitest';
import { SORT_SLICE, sortedInSlices } from '../../src/core/sorted-in-slices';
import { createRandom } from '../server/synthetic';

describe('sortedInSlices', () => {
	it('sorts as Array.prototype.sort does (code units, stable), breathing between slices', async () => {
		const random = createRandom(7);
		for (const size of [0, 1, 2, SORT_SLICE - 1, SORT_SLICE, SORT_SLICE + 1, 3 * SORT_SLICE + 17, 10_000]) {
			// Duplicates, non-ASCII and astral characters, a prefix of another id.
			const items = Array.from({ length: size }, (_, i) => ['b', 'B', 'é', 'e\u0301', '😀', 'b1', 'b10', ''][i % 8] + String(Math.floor(random() * size)));
			let breaths = 0;
			const sorted = await sortedInSlices(items, async () => {
				breaths++;
			});
			expect(sorted).toEqual([...items].sort());
			// Sorting every slice, and every slice of each merge round: the larger the list, the more breaths.
			expect(breaths).toBeGreaterThanOrEqual(Math.floor(size / SORT_SLICE));
		}
	});
});
