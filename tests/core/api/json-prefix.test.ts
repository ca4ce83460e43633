import { describe, expect, it } from 'vitest';
import { isJsonPrefix } from '../../../src/core/api/json-prefix';

const DOCUMENT = JSON.stringify({
	data: [{ id: 'a', title: 'Dune "spice" \\ / \u00e9 \ud83d\udcda', n: -12.5e-3, zero: 0, list: [true, false, null, [], {}], esc: '\u0001\b\f\n\r\t' }],
	pagination: { page: 1, limit: 100, total: 1, totalPages: 1 },
	serverTime: '2024-03-01T12:00:00.000Z',
});

describe('isJsonPrefix', () => {
	it('is true for every proper prefix of a document, with or without whitespace between tokens', () => {
		for (const text of [DOCUMENT, JSON.stringify(JSON.parse(DOCUMENT), null, '\t')]) {
			for (let end = 0; end < text.length; end++) expect(isJsonPrefix(text.slice(0, end)), text.slice(0, end)).toBe(true);
		}
	});

	it('is false for a complete document, and for one with anything after it', () => {
		expect(isJsonPrefix(DOCUMENT)).toBe(false);
		expect(isJsonPrefix(`${DOCUMENT}\n`)).toBe(false);
		expect(isJsonPrefix(`${DOCUMENT},`)).toBe(false);
		expect(isJsonPrefix(`${DOCUMENT}{`)).toBe(false);
		expect(isJsonPrefix('{"a":1}}')).toBe(false);
	});

	it.each([
		'{"a":1,}', '{,', '{"a" 1', '{"a":}', '{a:1', "{'a':1", '[1 2', '{"a":[1,]', '{"a":01', '{"a":1.}', '{"a":-}', '{"a":.5',
		'{"a":1e}', '{"a":+1', '{"a":"\\x"', '{"a":"\\u12g', '{"a":"tab\there"', '{"a":tru,', '{"a":nul}', '{"a":True', '{"a":1]', '[1}',
		'<html>', 'Service Unavailable', '{"a":"x"}garbage',
	])('is false for text with an error before its end: %s', (text) => {
		expect(isJsonPrefix(text)).toBe(false);
	});

	it.each(['{"a":"\\', '{"a":"\\u', '{"a":"\\u00', '{"a":tr', '{"a":fals', '{"a":n', '{"a":-', '{"a":1.', '{"a":1e', '{"a":1e+', '{"a":[[[[', '', '  \n'])(
		'is true when the text ends inside a token: %s',
		(text) => {
			expect(isJsonPrefix(text)).toBe(true);
		},
	);

	it('scans a deeply nested cut without recursion', () => {
		expect(isJsonPrefix(`${'['.repeat(200_000)}1`)).toBe(true);
		expect(isJsonPrefix(`${'{"a":'.repeat(100_000)}"x`)).toBe(true);
	});
});
