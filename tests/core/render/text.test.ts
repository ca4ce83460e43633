import { describe, expect, it } from 'vitest';
import { neutraliseInline } from '../../../src/core/render/neutralise';
import { cleanLine, isPlainText, PLAIN_TEXT } from '../../../src/core/render/text';

// A leading zero-width space is removed by the full clean-up and makes the
// text miss the plain-text shortcut: what the shortcut returns must be what
// the full clean-up gives.
const ZWSP = '\u200B';

const plainCharacters = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code))
	.filter((ch) => ch !== ' ' && PLAIN_TEXT.test(ch));

describe('the plain-text shortcut of cleanLine and neutraliseInline', () => {
	it('covers the characters of most titles and names', () => {
		expect(plainCharacters.length).toBeGreaterThan(130);
		for (const text of ['The Silent Harbour of Glass 12', 'Dune: Deluxe Edition', 'Grünwald', 'Kobo Libra 2', 'epub']) {
			expect(isPlainText(text)).toBe(true);
		}
	});

	it('gives what the full clean-up gives, for every character and every pair of them', () => {
		for (const a of plainCharacters) {
			for (const b of [...plainCharacters, ' ']) {
				for (const text of [a, `${a}${b}`, `${a}${b}${a}`]) {
					expect(neutraliseInline(text)).toBe(neutraliseInline(`${ZWSP}${text}`));
					expect(cleanLine(text)).toBe(cleanLine(`${ZWSP}${text}`));
				}
			}
		}
	});

	it('leaves to the full clean-up what it would change', () => {
		for (const text of [' lead', 'trail ', 'two  spaces', 'a::b', 'see javascript:alert(1)', 'DATA:x', 'Tom & Jerry', 'a_b', '#tag', 'e\u0301', 'line\nbreak', '']) {
			expect(isPlainText(text)).toBe(false);
		}
		expect(neutraliseInline('see javascript:alert(1)')).toBe('see javascript:\u200Balert(1)');
		expect(neutraliseInline('a::b')).toBe('a:&#58;b');
		expect(cleanLine('e\u0301')).toBe('\u00E9');
	});
});
