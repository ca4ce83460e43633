import { describe, expect, it } from 'vitest';
import { createRandom, syntheticLibrary } from './synthetic';

describe('synthetic library', () => {
	it('builds 50,000 books deterministically from the seed', () => {
		const first = syntheticLibrary(50_000);
		const second = syntheticLibrary(50_000);
		expect(first).toHaveLength(50_000);
		expect(JSON.stringify(second)).toBe(JSON.stringify(first));
		expect(new Set(first.map((book) => book.id)).size).toBe(50_000);
		const titles = new Set(first.map((book) => book.title));
		expect(titles.size).toBeGreaterThan(49_000);
		expect(titles.size).toBeLessThan(50_000);
	});

	it('differs between seeds but keeps the ids', () => {
		const a = syntheticLibrary(50, 1);
		const b = syntheticLibrary(50, 2);
		expect(a.map((book) => book.id)).toEqual(b.map((book) => book.id));
		expect(a.map((book) => book.title)).not.toEqual(b.map((book) => book.title));
		expect(syntheticLibrary(50, 2)).toEqual(b);
	});

	it('makes books of realistic size and shape', () => {
		const books = syntheticLibrary(2_000, 7);
		for (const book of books) {
			const description = String(book.description);
			expect(description.length).toBeGreaterThan(150);
			expect(description).toMatch(/^<p>/);
			expect(book.files?.length).toBeGreaterThanOrEqual(1);
			expect(book.files?.length).toBeLessThanOrEqual(3);
			for (const file of book.files ?? []) expect(file.fileSize).toMatch(/^\d+$/);
		}
		const withProgress = books.filter((book) => book.progress).length / books.length;
		expect(withProgress).toBeGreaterThan(0.2);
		expect(withProgress).toBeLessThan(0.5);
		expect(books.slice(0, 10)).toEqual(syntheticLibrary(10, 7).slice(0, 10));
	});

	it('has a PRNG that repeats per seed and stays in [0, 1)', () => {
		const a = createRandom(42);
		const b = createRandom(42);
		const values = Array.from({ length: 1000 }, () => a());
		expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
		expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
		expect(new Set(values).size).toBe(1000);
	});
});
