import { SyncError } from '../errors';
import { isJsonObject, ownField, readNumber, type JsonObject } from './coerce';
import { decodeRecord, type DecodeOptions } from './decode-record';
import { parseIsoInstant } from './iso-date';
import type { BookRecord, SyncPage } from './record';

export { decodeRecord, type DecodeOptions, type DecodeRecordResult } from './decode-record';

const HTML_MESSAGE =
	'The server answered with a web page instead of library data; check the server URL (a proxy or login page may be in the way).';
const NOT_JSON_MESSAGE = 'The server sent a response that is not valid JSON (it may have been cut off); try again.';
const EMPTY_MESSAGE = 'The server sent an empty response instead of library data; check the server URL.';

/**
 * Decodes the body of a 200 answer from the feed: strict on the envelope,
 * lenient on the records. A leading UTF-8 byte-order mark is ignored. Throws
 * SyncError 'protocol' (one sentence) when the body is empty, HTML (a login
 * page or proxy error: it starts with `<`, or is not JSON and is labelled
 * HTML), not valid JSON (e.g. truncated), or not the documented
 * envelope: an object with a `data` array, a `pagination` object whose
 * `page`, `limit`, `total` and `totalPages` are non-negative whole numbers
 * (numbers or numeric strings; page and limit at least 1), and a `serverTime`
 * that is an ISO 8601 date-time. Never returns "an empty library" for an
 * unusable body. Items of `data` that cannot be used are listed in
 * `skipped` with their index instead of failing the page.
 */
export function decodePage(body: string, contentType?: string, options: DecodeOptions = {}): SyncPage {
	const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
	const trimmed = text.trim();
	if (trimmed === '') throw protocolError(EMPTY_MESSAGE);
	if (trimmed.startsWith('<')) throw protocolError(HTML_MESSAGE);

	let json: unknown;
	try {
		json = JSON.parse(trimmed);
	} catch (error) {
		// A body that is valid JSON is accepted whatever its content type (some servers mislabel it).
		const html = contentType !== undefined && /\bx?html\b/i.test(contentType);
		throw new SyncError('protocol', html ? HTML_MESSAGE : NOT_JSON_MESSAGE, { cause: error });
	}
	if (!isJsonObject(json)) throw notEnvelope('it is not a JSON object');

	const data = ownField(json, 'data');
	if (!Array.isArray(data)) throw notEnvelope('it has no "data" list');
	const paginationRaw = ownField(json, 'pagination');
	if (!isJsonObject(paginationRaw)) throw notEnvelope('it has no "pagination" object');
	const pagination = {
		page: readCount(paginationRaw, 'page', 1),
		limit: readCount(paginationRaw, 'limit', 1),
		total: readCount(paginationRaw, 'total', 0),
		totalPages: readCount(paginationRaw, 'totalPages', 0),
	};
	const serverTimeRaw = ownField(json, 'serverTime');
	const serverTime = typeof serverTimeRaw === 'string' ? serverTimeRaw.trim() : '';
	if (parseIsoInstant(serverTime) === undefined) throw notEnvelope('its "serverTime" is not a date and time');

	const records: BookRecord[] = [];
	const skipped: SyncPage['skipped'] = [];
	data.forEach((item, index) => {
		const result = decodeRecord(item, options);
		if (result.ok) records.push(result.record);
		else skipped.push({ index, reason: result.reason });
	});
	return { records, skipped, pagination, serverTime };
}

function readCount(pagination: JsonObject, key: string, min: number): number {
	const value = readNumber(ownField(pagination, key));
	if (value === undefined || !Number.isSafeInteger(value) || value < min) {
		throw notEnvelope(`its "pagination.${key}" is not a whole number of at least ${min}`);
	}
	return value;
}

function notEnvelope(why: string): SyncError {
	return protocolError(`The server's answer is not library sync data (${why}); check the server URL or update the server.`);
}

function protocolError(message: string): SyncError {
	return new SyncError('protocol', message);
}
