/**
 * Instants rendered in one configured IANA time zone, never the device's:
 * the same record gives the same text on every device, OS and locale.
 */
import { TZDate } from '@date-fns/tz';
import type { Instant } from '../api/record';
import { SyncError } from '../errors';

// The range ECMAScript dates can hold.
const MAX_INSTANT = 8.64e15;
const checkedZones = new Set<string>();

/**
 * Throws SyncError('config') unless `timeZone` is an IANA zone name this
 * runtime knows (checked once per name).
 */
export function assertTimeZone(timeZone: string): void {
	if (checkedZones.has(timeZone)) return;
	try {
		if (timeZone.trim() === '') throw new RangeError('empty time zone');
		new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
	} catch (error) {
		throw new SyncError('config', `The time zone "${timeZone}" is not a known IANA time zone name; pick one such as Europe/Berlin or UTC.`, { cause: error });
	}
	checkedZones.add(timeZone);
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * Formatted wall-clock times per zone, by instant: a record's dates are
 * formatted for its properties and again for its body. Bounded: cleared
 * when full (a run's records mostly have dates of their own).
 */
const cache = new Map<string, Map<number, string | undefined>>();
const CACHE_LIMIT = 20_000;

const MS_PER_DAY = 86_400_000;

/**
 * `YYYY-MM-DDTHH:mm:ss` in UTC, or undefined outside years 0000-9999:
 * what `new Date(instant).toISOString().slice(0, 19)` gives, by integer
 * arithmetic (the proleptic Gregorian calendar, days from 1970-01-01
 * turned into a civil date), which costs a tenth of building the Date and
 * its ISO text. tests/core/render/dates.test.ts compares the two.
 */
function utcWallClock(instant: number): string | undefined {
	// A Date keeps the instant's whole milliseconds, cut toward zero.
	const time = Math.trunc(instant);
	const days = Math.floor(time / MS_PER_DAY);
	const secondsOfDay = Math.floor((time - days * MS_PER_DAY) / 1000);
	// Days since 0000-03-01, in eras of 400 years (146,097 days).
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const dayOfEra = z - era * 146_097;
	const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
	const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	// toISOString writes years outside 0000-9999 with a sign and six digits.
	if (year < 0 || year > 9999) return undefined;
	const hours = Math.floor(secondsOfDay / 3600);
	const minutes = Math.floor((secondsOfDay % 3600) / 60);
	return `${pad(year, 4)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(secondsOfDay % 60)}`;
}

function two(value: number): string {
	return value < 10 ? `0${value}` : String(value);
}

/** `YYYY-MM-DDTHH:mm:ss` in `timeZone`, or undefined outside years 0000-9999. */
function zonedWallClock(instant: number, timeZone: string): string | undefined {
	const date = new TZDate(instant, timeZone);
	const year = date.getFullYear();
	// Years before 0 or after 9999 cannot be written the way Obsidian reads dates.
	if (!Number.isFinite(year) || year < 0 || year > 9999) return undefined;
	return `${pad(year, 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function wallClock(instant: number, timeZone: string): string | undefined {
	if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return utcWallClock(instant);
	let zone = cache.get(timeZone);
	if (zone === undefined) {
		zone = new Map();
		cache.set(timeZone, zone);
	}
	if (zone.has(instant)) return zone.get(instant);
	const text = zonedWallClock(instant, timeZone);
	if (zone.size >= CACHE_LIMIT) zone.clear();
	zone.set(instant, text);
	return text;
}

function formatIn(instant: Instant | undefined, timeZone: string): string | undefined {
	assertTimeZone(timeZone);
	if (typeof instant !== 'number' || !Number.isFinite(instant) || Math.abs(instant) > MAX_INSTANT) return undefined;
	return wallClock(instant, timeZone);
}

/**
 * `YYYY-MM-DDTHH:mm:ss` (no offset) for the instant's wall-clock time in
 * `timeZone`, or undefined for a missing or invalid instant. Throws
 * SyncError('config') for an unknown time zone.
 */
export function formatDateTime(instant: Instant | undefined, timeZone: string): string | undefined {
	return formatIn(instant, timeZone);
}

/**
 * `YYYY-MM-DD` for the instant's calendar day in `timeZone`, or undefined
 * for a missing or invalid instant. Throws SyncError('config') for an
 * unknown time zone.
 */
export function formatDate(instant: Instant | undefined, timeZone: string): string | undefined {
	return formatIn(instant, timeZone)?.slice(0, 10);
}
