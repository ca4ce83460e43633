import process from 'node:process';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/core/errors';
import { assertTimeZone, formatDate, formatDateTime } from '../../../src/core/render/dates';

const at = (iso: string): number => Date.parse(iso);
const originalTz = process.env.TZ;

afterEach(() => {
	process.env.TZ = originalTz;
});

describe('formatDateTime / formatDate', () => {
	it('renders the same instant in different zones', () => {
		const instant = at('2024-07-01T12:00:00Z');
		expect(formatDateTime(instant, 'UTC')).toBe('2024-07-01T12:00:00');
		expect(formatDateTime(instant, 'Europe/Berlin')).toBe('2024-07-01T14:00:00');
		expect(formatDateTime(instant, 'America/New_York')).toBe('2024-07-01T08:00:00');
		expect(formatDateTime(instant, 'Asia/Kolkata')).toBe('2024-07-01T17:30:00');
	});

	it('crosses the date line per zone', () => {
		const instant = at('2024-01-01T03:00:00Z');
		expect(formatDate(instant, 'Europe/Berlin')).toBe('2024-01-01');
		expect(formatDate(instant, 'America/New_York')).toBe('2023-12-31');
	});

	it('follows daylight saving time', () => {
		// Berlin: CET->CEST at 2024-03-31 01:00Z, back at 2024-10-27 01:00Z.
		expect(formatDateTime(at('2024-03-31T00:59:59Z'), 'Europe/Berlin')).toBe('2024-03-31T01:59:59');
		expect(formatDateTime(at('2024-03-31T01:00:00Z'), 'Europe/Berlin')).toBe('2024-03-31T03:00:00');
		expect(formatDateTime(at('2024-10-27T00:30:00Z'), 'Europe/Berlin')).toBe('2024-10-27T02:30:00');
		expect(formatDateTime(at('2024-10-27T01:30:00Z'), 'Europe/Berlin')).toBe('2024-10-27T02:30:00');
		// New York: EST->EDT at 2024-03-10 07:00Z.
		expect(formatDateTime(at('2024-03-10T06:59:00Z'), 'America/New_York')).toBe('2024-03-10T01:59:00');
		expect(formatDateTime(at('2024-03-10T07:00:00Z'), 'America/New_York')).toBe('2024-03-10T03:00:00');
	});

	it('does not depend on the process time zone', () => {
		const instant = at('2024-03-31T01:30:00Z');
		process.env.TZ = 'Pacific/Kiritimati';
		const a = formatDateTime(instant, 'America/New_York');
		process.env.TZ = 'America/Los_Angeles';
		const b = formatDateTime(instant, 'America/New_York');
		expect(a).toBe('2024-03-30T21:30:00');
		expect(b).toBe(a);
	});

	it('returns undefined for missing or invalid instants, never "Invalid Date"', () => {
		for (const value of [undefined, Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, -1e17]) {
			expect(formatDateTime(value, 'UTC')).toBeUndefined();
			expect(formatDate(value, 'UTC')).toBeUndefined();
		}
		// Year 10000 cannot be written as YYYY.
		expect(formatDateTime(at('+010000-01-01T00:00:00Z'), 'UTC')).toBeUndefined();
		expect(formatDateTime(0, 'UTC')).toBe('1970-01-01T00:00:00');
	});

	it('rejects unknown time zones with a config error', () => {
		for (const zone of ['Mars/Olympus', '', 'Europe/Berlinn']) {
			expect(() => formatDateTime(0, zone)).toThrow(SyncError);
			try {
				assertTimeZone(zone);
			} catch (error) {
				expect((error as SyncError).kind).toBe('config');
			}
		}
	});
});

describe('formatDateTime in UTC (integer arithmetic, not Date#toISOString)', () => {
	const viaDate = (instant: number): string | undefined => {
		const date = new Date(instant);
		const year = date.getUTCFullYear();
		return year >= 0 && year <= 9999 ? date.toISOString().slice(0, 19) : undefined;
	};

	it('writes what the Date would, at the edges of days, months, leap years, eras and the range', () => {
		const edges = [
			0, -1, 1, 999, -999, 0.5, -0.5, 1.9999, -1.9999, -0,
			Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 1, 28, 12), Date.UTC(2100, 2, 1),
			Date.UTC(1600, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 500), Date.UTC(1970, 0, 1, 0, 0, 0, 1),
			// The first and last instants of years 0000 and 9999, and one beyond each.
			-62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15,
		];
		for (const instant of edges) expect(formatDateTime(instant, 'UTC'), String(instant)).toBe(viaDate(instant));
	});

	it('writes what the Date would for twenty thousand instants across years 0 to 9999 and beyond', () => {
		let seed = 7;
		const random = (): number => {
			seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
			return seed / 2 ** 32;
		};
		for (let i = 0; i < 20_000; i++) {
			const instant = (random() * 2 - 1) * 2.6e14 + (i % 3 === 0 ? random() : 0);
			expect(formatDateTime(instant, 'UTC')).toBe(viaDate(instant));
			expect(formatDateTime(instant, 'Etc/UTC')).toBe(viaDate(instant));
		}
	});
});
