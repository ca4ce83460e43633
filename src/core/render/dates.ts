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

/** Formatted wall-clock times, per zone and instant: a record's dates are formatted for its properties and its body. */
const cache = new Map<string, string | undefined>();
const CACHE_LIMIT = 20_000;

/** `YYYY-MM-DDTHH:mm:ss` in `timeZone` (UTC without a zone lookup), or undefined outside years 0000-9999. */
function wallClock(instant: number, timeZone: string): string | undefined {
	const key = `${timeZone}|${instant}`;
	if (cache.has(key)) return cache.get(key);
	const date = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? new Date(instant) : new TZDate(instant, timeZone);
	const utc = !(date instanceof TZDate);
	const year = utc ? date.getUTCFullYear() : date.getFullYear();
	let text: string | undefined;
	// Years before 0 or after 9999 cannot be written the way Obsidian reads dates.
	if (Number.isFinite(year) && year >= 0 && year <= 9999) {
		const parts = utc
			? [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
			: [date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
		const [month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = parts;
		text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
	}
	if (cache.size >= CACHE_LIMIT) cache.clear();
	cache.set(key, text);
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
