/* eslint-disable no-control-regex -- these tests look for control characters */
import { describe, expect, it } from 'vitest';
import { inertJson, inertText } from '../../../src/core/text/inert-text';

describe('inertText', () => {
	it('shows controls, ESC, BEL, line breaks and bidi overrides as escapes, on one line', () => {
		expect(inertText('a\u001b[2J\u001b]0;x\u0007b\r\nc\td\u0085e\u2028f\u202eg\u2066h\u007f')).toBe('a\\x1b[2J\\x1b]0;x\\x07b\\r\\nc\\td\\x85e\\u2028f\\u202eg\\u2066h\\x7f');
	});

	it('leaves every other character alone, backslashes, emoji and right-to-left scripts included', () => {
		const text = 'C:\\Books\\ 👩‍👩‍👧 كتاب עברית Café <b>**x**</b>';
		expect(inertText(text)).toBe(text);
	});
});

describe('inertJson', () => {
	it('escapes what JSON.stringify leaves raw, and the JSON keeps its values', () => {
		const value = { title: 'a\u202eb\u2028c\u009bd\u001be', lines: ['x\ny'] };
		const json = inertJson(JSON.stringify(value, null, 2));
		expect(json).not.toMatch(/[\u202e\u2028\u009b\u001b]/);
		expect(JSON.parse(json)).toEqual(value);
	});
});
/* eslint-enable no-control-regex -- end of the file */
