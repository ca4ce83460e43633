import { describe, expect, it } from 'vitest';
import { fingerprintLines, fingerprintsFromLines } from '../../../src/core/sync/fingerprint-lines';
import { FingerprintTable } from '../../../src/core/sync/fingerprint-table';

/** `books` fingerprints; with `times`, each with its note's size and time. */
function table(books: number, times = true): FingerprintTable {
	const fingerprints = new FingerprintTable();
	for (let n = 0; n < books; n++) {
		const id = `sy_${String(n).padStart(6, '0')}`;
		fingerprints.set(id, n, n * 7, 0xffffffff - n, 0x12345678);
		if (times) fingerprints.stat(id, 2_000 + n, 1_790_000_000_000 + n);
	}
	return fingerprints;
}

describe('fingerprint lines (the plugin\'s form in local storage)', () => {
	it('round-trips every fingerprint with its size and time, and odd ids', async () => {
		const fingerprints = table(5);
		fingerprints.set('an id with spaces', 1, 2, 3, 4);
		fingerprints.set('__proto__', 5, 6, 7, 8, 10, 20);
		const text = await fingerprintLines(fingerprints, 1_000_000, async () => undefined);
		expect(text?.split('\n')[0]).toBe(`${fingerprints.get('sy_000000')} sy_000000`);
		const back = await fingerprintsFromLines(text, async () => undefined);
		expect(new Map(back ?? [])).toEqual(new Map(fingerprints));
		expect(back?.statMatches('sy_000004', 2_004, 1_790_000_000_004)).toBe(true);
	});

	it('leaves out an id with a line break, and drops lines that are not a fingerprint and an id', async () => {
		const fingerprints = table(1);
		fingerprints.set('two\nlines', 1, 2, 3, 4);
		const text = await fingerprintLines(fingerprints, 1_000_000, async () => undefined);
		expect(text).toBe(`${fingerprints.get('sy_000000')} sy_000000\n`);
		const junk = `${text}no fingerprint here\n0123 short\n${'a'.repeat(16)}.${'b'.repeat(16)}\n${'a'.repeat(16)}.${'b'.repeat(16)} \n\n`;
		expect([...((await fingerprintsFromLines(junk, async () => undefined)) ?? [])]).toEqual([...fingerprints].slice(0, 1));
		for (const notText of [undefined, null, 42, { a: 'b' }, ['x']]) expect(await fingerprintsFromLines(notText, async () => undefined)).toBeUndefined();
	});

	it('fits the budget, counted as the JSON that local storage keeps: whole, else without the sizes and times, else nothing', async () => {
		const fingerprints = table(100);
		const whole = await fingerprintLines(fingerprints, 1_000_000, async () => undefined);
		const wholeLength = JSON.stringify(whole).length;
		expect(await fingerprintLines(fingerprints, wholeLength, async () => undefined)).toBe(whole);
		const bare = await fingerprintLines(fingerprints, wholeLength - 1, async () => undefined);
		expect(bare?.split('\n')[0]).toBe(`${fingerprints.get('sy_000000')?.slice(0, 33)} sy_000000`);
		expect((await fingerprintsFromLines(bare, async () => undefined))?.hasStat('sy_000000')).toBe(false);
		expect(await fingerprintLines(fingerprints, JSON.stringify(bare).length, async () => undefined)).toBe(bare);
		expect(await fingerprintLines(fingerprints, JSON.stringify(bare).length - 1, async () => undefined)).toBeUndefined();
	});

	it('gives the app a turn every few thousand books, both ways', async () => {
		let turns = 0;
		const breathe = async (): Promise<void> => {
			turns += 1;
		};
		const text = await fingerprintLines(table(10_000), 10_000_000, breathe);
		expect(turns).toBeGreaterThanOrEqual(4);
		turns = 0;
		expect((await fingerprintsFromLines(text, breathe))?.size).toBe(10_000);
		expect(turns).toBeGreaterThanOrEqual(4);
	});

	// The guard is the timeout: the scan for each line's space once ran on past the line,
	// so this text took 15 s to read (quadratic); in one pass it takes milliseconds.
	it('reads junk in one pass: a million lines without a space do not each scan on to the next space', { timeout: 3_000 }, async () => {
		const junk = '\n'.repeat(1_500_000) + `x\n`.repeat(100_000) + `${'0'.repeat(16)}.${'f'.repeat(16)} b1\n`;
		const table = await fingerprintsFromLines(junk, async () => undefined);
		expect([...(table ?? [])]).toEqual([['b1', `${'0'.repeat(16)}.${'f'.repeat(16)}`]]);
	});
});
