/**
 * Lenient readers for the values of a decoded JSON record. Each returns a
 * normalised value or undefined; none throws. Servers of this kind send
 * numbers as strings, booleans as strings and nulls freely.
 */
import { parseIsoInstant } from './iso-date';

/** A plain JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object's own property `key`. Inherited members (`constructor`,
 * `__proto__`, `toString`) are never read, so a record cannot smuggle them in.
 */
export function ownField(object: JsonObject, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** A trimmed non-empty string; finite numbers become their decimal text. */
export function readString(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number, or a string holding one in plain decimal notation. */
export function readNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (!DECIMAL.test(trimmed)) return undefined;
		const parsed = Number(trimmed);
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}

/** A safe integer (a number or numeric string whose fractional part is zero). */
export function readInteger(value: unknown): number | undefined {
	const number = readNumber(value);
	return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
}

/** true/false, the strings "true"/"false" (any case), or 1/0 (number or string). */
export function readBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true' || text === '1') return true;
		if (text === 'false' || text === '0') return false;
	}
	return undefined;
}

/** Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
export const SECONDS_THRESHOLD = 1e11;

/**
 * An epoch time in seconds or milliseconds (numbers or numeric strings;
 * values below 1e11 are seconds) as whole milliseconds. Zero and negative
 * values mean "never" and give undefined.
 */
export function readEpoch(value: unknown): number | undefined {
	const number = readNumber(value);
	if (number === undefined || number <= 0) return undefined;
	const ms = Math.round(number < SECONDS_THRESHOLD ? number * 1000 : number);
	return ms <= 8.64e15 ? ms : undefined;
}

/**
 * An instant as epoch milliseconds: an ISO 8601 date or date-time string
 * (no zone means UTC; a date alone is midnight UTC), or an epoch number in
 * seconds or milliseconds (see readEpoch). Anything else is undefined.
 */
export function readInstant(value: unknown): number | undefined {
	if (typeof value === 'number') return readEpoch(value);
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (/^\d{9,}(?:\.\d+)?$/.test(text)) return readEpoch(text);
	return parseIsoInstant(text);
}

/**
 * A list of trimmed non-empty strings, deduplicated (first occurrence kept,
 * order preserved). A single string is a one-item list; non-string items
 * (except finite numbers, taken as text) are dropped.
 */
export function readStringList(value: unknown): string[] {
	const items = Array.isArray(value) ? value : [value];
	const seen = new Set<string>();
	const out: string[] = [];
	for (const item of items) {
		const text = readString(item);
		if (text === undefined || seen.has(text)) continue;
		seen.add(text);
		out.push(text);
	}
	return out;
}

/**
 * A byte count as a string of decimal digits without leading zeros (it may
 * exceed 2^53, so it stays text). A number is accepted when it is a
 * non-negative safe integer.
 */
export function readDigits(value: unknown): string | undefined {
	if (typeof value === 'number') {
		return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!/^\d+$/.test(text)) return undefined;
	return text.replace(/^0+(?=\d)/, '');
}
