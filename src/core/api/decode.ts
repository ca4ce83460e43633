import { SyncError } from '../errors';
import { isJsonObject, ownField, readNumber, type JsonObject } from './coerce';
import { decodeRecord, type DecodeOptions } from './decode-record';
import { parseIsoInstant } from './iso-date';
import { nestsDeeperThan } from './json-depth';
import { isJsonPrefix } from './json-prefix';
import { MAX_FEED_DEPTH } from './limits';
import type { BookRecord, SyncPage } from './record';

export { decodeRecord, type DecodeOptions, type DecodeRecordResult } from './decode-record';

const HTML_MESSAGE =
	'The server answered with a web page instead of library data; check the server URL (a proxy or login page may be in the way).';
const NOT_JSON_MESSAGE = 'The server sent a response that is not valid JSON; check the server URL or update the server.';
const NO_CONTENT_MESSAGE = 'The server sent an empty response instead of library data; check the server URL.';
const TOO_DEEP_MESSAGE = `The server's answer is nested too deeply to be library sync data (over ${MAX_FEED_DEPTH} levels); check the server URL or update the server.`;

/** Where a body came from: the host names it in a message, the status tells "no content" from a cut. */
export interface AnswerSource {
	host?: string;
	status?: number;
}

/**
 * The error for a 2xx answer that stopped before the end of its JSON: kind
 * 'incomplete', which the client retries like a 5xx. Names only the host.
 */
export function cutOffError(host: string | undefined): SyncError {
	const from = host === undefined || host === '' ? 'the server' : host;
	return new SyncError('incomplete', `The answer from ${from} was cut off (incomplete JSON); try again later.`);
}

/**
 * Decodes the body of a 2xx answer from the feed: strict on the envelope,
 * lenient on the records. A leading UTF-8 byte-order mark is ignored.
 *
 * A body that is not the complete JSON document is told apart from one
 * that is complete but wrong, because only the first may pass:
 * - cut off (SyncError 'incomplete', retried by the client): the body is
 *   empty or whitespace (a stream cut before its first byte; 204 and 205
 *   excepted, which say on purpose that there is no content), or it opens
 *   an object (`{`) and is a valid beginning of JSON that stops before its
 *   end (isJsonPrefix: an unclosed object, string or literal). Whatever the
 *   content type: a proxy that cuts a stream keeps the upstream's headers.
 * - not retried (SyncError 'protocol', one sentence): HTML (a login page or
 *   proxy error: it starts with `<`, or is not JSON and is labelled HTML),
 *   text that opens more than MAX_FEED_DEPTH arrays or objects inside one
 *   another (checked before any parse, complete or cut off),
 *   text that is not JSON or has an error before its end (a stray
 *   character, text after the document: the same bytes would come again),
 *   complete JSON that is not the documented envelope: an object with a
 *   `data` array and a `pagination` object whose `page`, `limit`, `total`
 *   and `totalPages` are non-negative whole numbers (numbers or numeric
 *   strings; page and limit at least 1).
 * A `serverTime` that is missing or not an ISO 8601 date-time does not fail
 * the page: `serverTime` is then undefined, the books are mirrored and the
 * run does not move the cursor. Never returns "an empty library" for an
 * unusable body. Items of `data` that cannot be used are listed in
 * `skipped` with their index instead of failing the page.
 */
export function decodePage(body: string, contentType?: string, options: DecodeOptions = {}, source: AnswerSource = {}): SyncPage {
	const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
	const trimmed = text.trim();
	if (trimmed === '') {
		if (source.status === 204 || source.status === 205) throw protocolError(NO_CONTENT_MESSAGE);
		throw cutOffError(source.host);
	}
	if (trimmed.startsWith('<')) throw protocolError(HTML_MESSAGE);
	// Before any parse: JSON.parse and the prefix check both keep every open level (32 MB of `[` took 1.5 GB).
	if (nestsDeeperThan(trimmed, MAX_FEED_DEPTH)) throw protocolError(TOO_DEEP_MESSAGE);

	let json: unknown;
	try {
		json = JSON.parse(trimmed);
	} catch (error) {
		if (trimmed.startsWith('{') && isJsonPrefix(trimmed)) throw cutOffError(source.host);
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
	const serverTimeText = typeof serverTimeRaw === 'string' ? serverTimeRaw.trim() : '';
	const serverTime = parseIsoInstant(serverTimeText) === undefined ? undefined : serverTimeText;

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
