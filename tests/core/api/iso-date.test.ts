import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../src/core/api/iso-date';

// The parser as it was, through a Date, to compare the arithmetic against.
function viaDate(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMinutes: number): number | undefined {
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hour, minute, second, millis);
	const time = date.getTime() - offsetMinutes * 60_000;
	return Number.isFinite(time) ? time : undefined;
}

const pad = (value: number, width: number): string => String(Math.abs(value)).padStart(width, '0');

function yearText(year: number): string {
	return year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(year, 6)}`;
}

describe('parseIsoInstant (calendar arithmetic, not a Date)', () => {
	it('gives the instant a Date gives, for dates across the whole range a Date holds', () => {
		let seed = 11;
		const random = (limit: number): number => {
			seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
			return Math.floor((seed / 2 ** 32) * limit);
		};
		const years = [0, 1, 99, 100, 1600, 1900, 1969, 1970, 2000, 2024, 9999, -1, -271_821, 275_760, -271_822, 275_761, 100_000];
		for (let i = 0; i < 5_000; i++) {
			const year = i < years.length * 40 ? (years[i % years.length] as number) : random(20_000) - 5_000;
			const month = 1 + random(12);
			const day = 1 + random(31);
			const hour = random(25);
			const minute = hour === 24 ? 0 : random(60);
			const second = hour === 24 ? 0 : random(61);
			const millis = hour === 24 ? 0 : random(1000);
			const offset = random(3) === 0 ? 0 : (random(2) === 0 ? -1 : 1) * (random(24) * 60 + random(60));
			const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
			const text = `${yearText(year)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}${zone}`;
			const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
			const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
			const expected = day > days ? undefined : second === 60 ? viaDate(year, month, day, hour, minute, 59, 999, offset) : viaDate(year, month, day, hour, minute, second, millis, offset);
			expect(parseIsoInstant(text), text).toBe(expected);
		}
	});

	it('reads the edges of the range and of a day', () => {
		expect(parseIsoInstant('1970-01-01')).toBe(0);
		expect(parseIsoInstant('1969-12-31T23:59:59.999Z')).toBe(-1);
		expect(parseIsoInstant('2024-02-29T24:00:00Z')).toBe(Date.UTC(2024, 2, 1));
		expect(parseIsoInstant('0000-01-01')).toBe(-62_167_219_200_000);
		expect(parseIsoInstant('+275760-09-13T00:00:00Z')).toBe(8.64e15);
		expect(parseIsoInstant('+275760-09-13T00:00:00.001Z')).toBeUndefined();
		expect(parseIsoInstant('-271821-04-20T00:00:00Z')).toBe(-8.64e15);
		expect(parseIsoInstant('-271821-04-19T23:59:59Z')).toBeUndefined();
		// Midnight inside the range, the time with its offset just outside it: a Date allowed it, and so does the parser.
		expect(parseIsoInstant('+275760-09-13T00:00:00+01:00')).toBe(8.64e15 - 3_600_000);
		expect(parseIsoInstant('2023-02-29')).toBeUndefined();
	});
});
