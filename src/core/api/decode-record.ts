import type { BookFile, BookProgress, BookRecord, BookUploader } from './record';
import {
	isJsonObject,
	ownField,
	readBoolean,
	readDigits,
	readEpoch,
	readInstant,
	readInteger,
	readNumber,
	readString,
	readStringList,
} from './coerce';
import { isFinishedStatus, normalisePercentage, type PercentageScale } from './percentage';

/** Options of record decoding. */
export interface DecodeOptions {
	/** How `progress.percentage` is scaled; 'auto' by default (see normalisePercentage). */
	percentageScale?: PercentageScale;
}

/** A decoded record, or why the raw item cannot be used. */
export type DecodeRecordResult = { ok: true; record: BookRecord } | { ok: false; reason: string };

/**
 * Decodes one item of the feed's `data` array, leniently: every field may be
 * missing, null or of a looser type than the contract says. Only an item that
 * is not an object, or has no usable id (a non-empty string or a finite
 * number), is rejected. The output is built field by field from own
 * properties, so keys such as `__proto__` or `constructor` in the JSON can
 * never reach a prototype. Rules:
 * - strings are trimmed; empty becomes undefined; numbers are taken as text;
 * - integers (publishedYear, pageCount, hardcover ids) accept numeric
 *   strings and whole-valued numbers; pageCount and hardcover ids must be
 *   positive; publishedYear also accepts an ISO date (its year);
 * - seriesIndex may be fractional; a numeric string is accepted;
 * - booleans accept "true"/"false" and 1/0;
 * - instants (createdAt, updatedAt, approvedAt, progress dates) accept any
 *   ISO 8601 date or date-time (no zone = UTC) or an epoch number;
 *   lastTimestamp is epoch seconds (< 1e11) or milliseconds; all become ms;
 * - genres and tags: a list of trimmed non-empty strings, deduplicated; a
 *   single string is one item;
 * - files: objects with id, format (as sent; the renderer owns its display),
 *   originalName, fileSize (a decimal digit string; a safe integer number is
 *   converted); empty file objects are dropped; a single object is a list;
 * - uploader: an object, or a string taken as its label;
 * - progress: undefined when missing, null or empty; percentage per
 *   normalisePercentage.
 */
export function decodeRecord(raw: unknown, options: DecodeOptions = {}): DecodeRecordResult {
	if (!isJsonObject(raw)) {
		return { ok: false, reason: raw === null ? 'the record is null' : `the record is ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not an object` };
	}
	const id = readId(ownField(raw, 'id'));
	if (id === undefined) return { ok: false, reason: 'the record has no id' };

	const record: BookRecord = {
		id,
		status: readString(ownField(raw, 'status')),
		title: readString(ownField(raw, 'title')),
		author: readString(ownField(raw, 'author')),
		isbn10: readString(ownField(raw, 'isbn10')),
		isbn13: readString(ownField(raw, 'isbn13')),
		publisher: readString(ownField(raw, 'publisher')),
		publishedYear: readYear(ownField(raw, 'publishedYear')),
		language: readString(ownField(raw, 'language')),
		description: readString(ownField(raw, 'description')),
		coverUrl: readString(ownField(raw, 'coverUrl')),
		coverPath: readString(ownField(raw, 'coverPath')),
		pageCount: readPositiveInteger(ownField(raw, 'pageCount')),
		series: readString(ownField(raw, 'series')),
		seriesIndex: readNumber(ownField(raw, 'seriesIndex')),
		genres: readStringList(ownField(raw, 'genres')),
		tags: readStringList(ownField(raw, 'tags')),
		hardcoverBookId: readPositiveInteger(ownField(raw, 'hardcoverBookId')),
		hardcoverEditionId: readPositiveInteger(ownField(raw, 'hardcoverEditionId')),
		createdBy: readString(ownField(raw, 'createdBy')),
		possibleDuplicateOf: readId(ownField(raw, 'possibleDuplicateOf')),
		approvedAt: readInstant(ownField(raw, 'approvedAt')),
		createdAt: readInstant(ownField(raw, 'createdAt')),
		updatedAt: readInstant(ownField(raw, 'updatedAt')),
		files: readFiles(ownField(raw, 'files')),
		uploader: readUploader(ownField(raw, 'uploader')),
		progress: readProgress(ownField(raw, 'progress'), options.percentageScale ?? 'auto'),
	};
	return { ok: true, record };
}

function readId(value: unknown): string | undefined {
	if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return readString(value);
	return undefined;
}

function readPositiveInteger(value: unknown): number | undefined {
	const number = readInteger(value);
	return number !== undefined && number > 0 ? number : undefined;
}

function readYear(value: unknown): number | undefined {
	const number = readInteger(value);
	if (number !== undefined) return number;
	if (typeof value === 'string') {
		const match = /^(\d{4})-\d{2}(?:-\d{2})?(?:[Tt ].*)?$/.exec(value.trim());
		if (match) return Number(match[1]);
	}
	return undefined;
}

function readFiles(value: unknown): BookFile[] {
	const items = Array.isArray(value) ? value : isJsonObject(value) ? [value] : [];
	const files: BookFile[] = [];
	for (const item of items) {
		if (!isJsonObject(item)) continue;
		const file: BookFile = {
			id: readId(ownField(item, 'id')),
			format: readString(ownField(item, 'format')),
			originalName: readString(ownField(item, 'originalName')),
			fileSize: readDigits(ownField(item, 'fileSize')),
		};
		if (anyDefined(file)) files.push(file);
	}
	return files;
}

function readUploader(value: unknown): BookUploader | undefined {
	if (typeof value === 'string') {
		const label = readString(value);
		return label === undefined ? undefined : { id: undefined, label };
	}
	if (!isJsonObject(value)) return undefined;
	const uploader: BookUploader = {
		id: readId(ownField(value, 'id')),
		label: readString(ownField(value, 'label')),
	};
	return anyDefined(uploader) ? uploader : undefined;
}

function readProgress(value: unknown, scale: PercentageScale): BookProgress | undefined {
	if (!isJsonObject(value)) return undefined;
	const status = readString(ownField(value, 'status'));
	const finishedAt = readInstant(ownField(value, 'finishedAt'));
	const finished = isFinishedStatus(status) || finishedAt !== undefined;
	const progress: BookProgress = {
		percentage: normalisePercentage(ownField(value, 'percentage'), finished, scale),
		status,
		lastDevice: readString(ownField(value, 'lastDevice')),
		lastTimestamp: readLastTimestamp(ownField(value, 'lastTimestamp')),
		startedAt: readInstant(ownField(value, 'startedAt')),
		finishedAt,
		pausedAt: readInstant(ownField(value, 'pausedAt')),
		manuallySet: readBoolean(ownField(value, 'manuallySet')),
		externallySet: readBoolean(ownField(value, 'externallySet')),
	};
	return anyDefined(progress) ? progress : undefined;
}

function readLastTimestamp(value: unknown): number | undefined {
	// The contract says number; an ISO string is accepted too rather than lost.
	if (typeof value === 'string' && !/^\s*[\d.]+\s*$/.test(value)) return readInstant(value);
	return readEpoch(value);
}

/**
 * Whether any field has a value. Decoded objects keep every key, undefined
 * ones included, so all records (files, progress, uploaders) share one
 * shape: the renderer reads every record's fields many times, and with a
 * shape per combination of present fields each of those reads was a
 * polymorphic lookup. Undefined fields count as absent everywhere (the
 * fingerprint skips them, JSON leaves them out, `toEqual` ignores them).
 */
function anyDefined(value: object): boolean {
	for (const item of Object.values(value)) if (item !== undefined) return true;
	return false;
}
