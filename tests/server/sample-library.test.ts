import { describe, expect, it } from 'vitest';
import type { RawBook } from './raw-book';
import { sampleLibrary } from './sample-library';

function isValidIsbn10(isbn: string): boolean {
	if (!/^\d{9}[\dX]$/.test(isbn)) return false;
	let sum = 0;
	for (let i = 0; i < 10; i++) sum += (10 - i) * (isbn[i] === 'X' ? 10 : Number(isbn[i]));
	return sum % 11 === 0;
}

function isValidIsbn13(isbn: string): boolean {
	if (!/^\d{13}$/.test(isbn)) return false;
	let sum = 0;
	for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(isbn[i]);
	return sum % 10 === 0;
}

const books = sampleLibrary();
const byId = (id: string): RawBook => {
	const found = books.find((record) => record.id === id);
	if (!found) throw new Error(`missing ${id}`);
	return found;
};

describe('sample library', () => {
	it('has at least 120 books with unique, stable ids', () => {
		expect(books.length).toBeGreaterThanOrEqual(120);
		expect(new Set(books.map((record) => record.id)).size).toBe(books.length);
		for (const record of books) expect(record.id).toMatch(/^bk_\d{4}$/);
		expect(byId('bk_0001').title).toBe('A Study in Scarlet');
	});

	it('is deterministic plain JSON, and a fresh deep copy on every call', () => {
		const again = sampleLibrary();
		expect(again).toEqual(books);
		expect(JSON.parse(JSON.stringify(books))).toEqual(JSON.parse(JSON.stringify(again)));
		(again[0] as RawBook).title = 'Changed';
		again[0]?.files?.push({ id: 'x' });
		expect(sampleLibrary()[0]).toEqual(books[0]);
	});

	it('holds the named series with real indices, one fractional', () => {
		const series = new Set(books.map((record) => record.series));
		for (const name of ['Sherlock Holmes', 'Barsoom', 'Oz', 'Tarzan', 'Anne of Green Gables', 'Leatherstocking Tales']) expect(series).toContain(name);
		expect(books.some((record) => typeof record.seriesIndex === 'number' && !Number.isInteger(record.seriesIndex))).toBe(true);
		expect(books.find((record) => record.title === 'The Hound of the Baskervilles' && record.id === 'bk_0005')?.seriesIndex).toBe(5);
	});

	it('has mostly English books with some French, German and Russian originals', () => {
		const count = (language: string): number => books.filter((record) => record.language === language).length;
		expect(count('en')).toBeGreaterThan(books.length / 2);
		for (const language of ['fr', 'de', 'ru']) expect(count(language)).toBeGreaterThanOrEqual(3);
	});

	it('has well-formed ISBNs, server-relative covers, HTML descriptions and files', () => {
		for (const record of books.filter((b) => /^bk_0[0-8]/.test(b.id))) {
			if (record.isbn10 !== null) expect(isValidIsbn10(String(record.isbn10)), String(record.isbn10)).toBe(true);
			expect(isValidIsbn13(String(record.isbn13)), String(record.isbn13)).toBe(true);
			if (record.coverUrl !== null) expect(record.coverUrl).toBe(`/covers/${record.id}.jpg`);
			expect(record.description).toMatch(/^<p>/);
			for (const file of record.files ?? []) expect(String(file.fileSize)).toMatch(/^\d+$/);
		}
		expect(books.some((record) => (record.files?.length ?? 0) >= 2)).toBe(true);
		const formats = new Set(books.flatMap((record) => (record.files ?? []).map((file) => file.format)));
		for (const format of ['epub', 'pdf', 'mobi', 'azw3', 'm4b']) expect(formats).toContain(format);
		const sizes = books.flatMap((record) => (record.files ?? []).map((file) => String(file.fileSize)));
		expect(sizes.some((size) => /^\d+$/.test(size) && BigInt(size) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
		expect(books.some((record) => /<a href="https:/.test(String(record.description)))).toBe(true);
		expect(books.some((record) => /<ul><li>/.test(String(record.description)))).toBe(true);
		expect(books.some((record) => /<em>/.test(String(record.description)))).toBe(true);
	});

	it('has reading progress on about 40% of books, in every flavour', () => {
		const withProgress = books.filter((record) => record.progress);
		expect(withProgress.length / books.length).toBeGreaterThan(0.3);
		expect(withProgress.length / books.length).toBeLessThan(0.5);
		const statuses = new Set(withProgress.map((record) => record.progress?.status));
		for (const status of ['unread', 'reading', 'paused', 'finished']) expect(statuses).toContain(status);
		const stamps = withProgress.map((record) => record.progress?.lastTimestamp).filter((t): t is number => typeof t === 'number' && t > 0);
		expect(stamps.some((t) => t < 1e11)).toBe(true);
		expect(stamps.some((t) => t > 1e11)).toBe(true);
		const fractions = withProgress.filter((record) => typeof record.progress?.percentage === 'number' && record.progress.percentage > 0 && record.progress.percentage < 1);
		expect(fractions.length).toBeGreaterThanOrEqual(2);
		expect(new Set(withProgress.map((record) => record.progress?.lastDevice))).toContain('Kobo Libra 2');
	});

	it('keeps its dates in 2023-2025 for the regular books', () => {
		for (const record of books.filter((b) => /^bk_0[0-8]/.test(b.id))) {
			for (const value of [record.createdAt, record.updatedAt]) {
				const ms = Date.parse(String(value));
				expect(ms).toBeGreaterThanOrEqual(Date.UTC(2023, 0, 1));
				expect(ms).toBeLessThan(Date.UTC(2026, 0, 1));
			}
		}
	});

	it('includes the odd records', () => {
		expect(books.some((record) => !('title' in record))).toBe(true);
		const allNull = byId('bk_0902');
		expect(Object.entries(allNull).filter(([key]) => key !== 'id').every(([, value]) => value === null)).toBe(true);
		expect(byId('bk_0903')).toMatchObject({ publishedYear: '1922', pageCount: '247', seriesIndex: '1.5' });
		expect(books.some((record) => /\/.*:|:.*\//.test(String(record.title)))).toBe(true);
		expect(books.some((record) => /\p{Extended_Pictographic}/u.test(String(record.title)) && /[\u0590-\u08FF]/.test(String(record.title)))).toBe(true);
		const titles = books.map((record) => record.title).filter((title) => typeof title === 'string');
		expect(titles.length - new Set(titles).size).toBeGreaterThanOrEqual(1);
		expect(titles).toContain('CON');
		const hostile = books.find((record) => /<script/.test(String(record.description)));
		expect(hostile?.description).toMatch(/onclick=/);
		expect(hostile?.description).toMatch(/href="javascript:/);
		const duplicate = books.find((record) => typeof record.possibleDuplicateOf === 'string' && books.some((other) => other.id === record.possibleDuplicateOf));
		expect(duplicate).toBeDefined();
		expect(byId('bk_0917').title?.length).toBeGreaterThan(255);
	});
});
