/**
 * A strict, platform-independent ISO 8601 parser. `Date.parse` is not used
 * because engines disagree on non-ISO strings and read an offset-less
 * date-time as local time, which would make notes depend on the device's
 * time zone.
 */

// Extended (2024-03-01T10:20:30.123+02:00) or basic (20240301T102030Z) form;
// a space may stand in for the T; the zone is optional (none means UTC).
const ISO_DATE_TIME =
	/^([+-]\d{6}|\d{4})-?(\d{2})-?(\d{2})(?:[Tt ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses an ISO 8601 date (`2024-03-01`, midnight UTC) or date-time, with or
 * without a zone (no zone means UTC), in extended or basic form, to epoch
 * milliseconds. Fractions beyond milliseconds are truncated; a leap second
 * (`:60`) is read as the last millisecond of that minute; `24:00:00` is the
 * next midnight. Returns undefined for anything that is not a real instant
 * (`2023-02-29`, `25:00`, free text).
 */
export function parseIsoInstant(text: string): number | undefined {
	const match = ISO_DATE_TIME.exec(text.trim());
	if (!match) return undefined;
	const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText, zoneText] = match;
	const year = Number(yearText);
	const month = Number(monthText);
	const day = Number(dayText);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;

	const hour = hourText === undefined ? 0 : Number(hourText);
	const minute = minuteText === undefined ? 0 : Number(minuteText);
	let second = secondText === undefined ? 0 : Number(secondText);
	let millis = fractionText === undefined ? 0 : Number(fractionText.slice(0, 3).padEnd(3, '0'));
	if (hour === 24) {
		if (minute !== 0 || second !== 0 || millis !== 0) return undefined;
	} else if (hour > 23 || minute > 59 || second > 60) {
		return undefined;
	}
	if (second === 60) {
		second = 59;
		millis = 999;
	}

	let offsetMinutes = 0;
	if (zoneText !== undefined && zoneText.toUpperCase() !== 'Z') {
		const sign = zoneText.startsWith('-') ? -1 : 1;
		const digits = zoneText.slice(1).replace(':', '');
		const offsetHours = Number(digits.slice(0, 2));
		const offsetMins = digits.length > 2 ? Number(digits.slice(2)) : 0;
		if (offsetHours > 23 || offsetMins > 59) return undefined;
		offsetMinutes = sign * (offsetHours * 60 + offsetMins);
	}

	// What `new Date(0)` with setUTCFullYear(year, month - 1, day) and
	// setUTCHours(hour, minute, second, millis) holds, by integer arithmetic
	// (years 0..99 stay literal; a Date is invalid beyond 8.64e15 ms either
	// side of 1970, at midnight of the day as well as at the time itself).
	const midnight = daysFromCivil(year, month, day) * MS_PER_DAY;
	const local = midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
	if (Math.abs(midnight) > MAX_TIME || Math.abs(local) > MAX_TIME) return undefined;
	return local - offsetMinutes * 60_000;
}

const MS_PER_DAY = 86_400_000;
const MAX_TIME = 8.64e15;

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (any year, month 1-12). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) {
		const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
		return leap ? 29 : 28;
	}
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
