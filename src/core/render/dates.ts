/**
 * Instants rendered in one configured IANA time zone, never the device's:
 * the same record gives the same text on every device, OS and locale.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Instant } from '../api/record';
import { SyncError } from '../errors';

// The range ECMAScript dates can hold.
const MAX_INSTANT = 8.64e15;
const FOUR_DIGIT_YEAR = /^\d{4}-/;
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

function formatIn(instant: Instant | undefined, timeZone: string, pattern: string): string | undefined {
	assertTimeZone(timeZone);
	if (typeof instant !== 'number' || !Number.isFinite(instant) || Math.abs(instant) > MAX_INSTANT) return undefined;
	const date = new TZDate(instant, timeZone);
	if (Number.isNaN(date.getTime())) return undefined;
	const text = format(date, pattern);
	// Years before 0 or after 9999 cannot be written the way Obsidian reads dates.
	return FOUR_DIGIT_YEAR.test(text) ? text : undefined;
}

/**
 * `YYYY-MM-DDTHH:mm:ss` (no offset) for the instant's wall-clock time in
 * `timeZone`, or undefined for a missing or invalid instant. Throws
 * SyncError('config') for an unknown time zone.
 */
export function formatDateTime(instant: Instant | undefined, timeZone: string): string | undefined {
	return formatIn(instant, timeZone, "yyyy-MM-dd'T'HH:mm:ss");
}

/**
 * `YYYY-MM-DD` for the instant's calendar day in `timeZone`, or undefined
 * for a missing or invalid instant. Throws SyncError('config') for an
 * unknown time zone.
 */
export function formatDate(instant: Instant | undefined, timeZone: string): string | undefined {
	return formatIn(instant, timeZone, 'yyyy-MM-dd');
}
