import { describe, expect, it } from 'vitest';
import { formatFileSize } from '../../../src/core/render/sizes';

describe('formatFileSize', () => {
	it('uses decimal units with one decimal, rounding half up', () => {
		expect(formatFileSize('0')).toBe('0 B');
		expect(formatFileSize('999')).toBe('999 B');
		expect(formatFileSize('1000')).toBe('1.0 kB');
		expect(formatFileSize('1234567')).toBe('1.2 MB');
		expect(formatFileSize('1250000')).toBe('1.3 MB');
		expect(formatFileSize('1249999')).toBe('1.2 MB');
		expect(formatFileSize('999949')).toBe('999.9 kB');
		// Rounding carries into the next unit.
		expect(formatFileSize('999950')).toBe('1.0 MB');
		expect(formatFileSize('98765432109')).toBe('98.8 GB');
	});

	it('handles sizes beyond 2^53 exactly', () => {
		expect(formatFileSize('9007199254740993')).toBe('9.0 PB');
		expect(formatFileSize('18446744073709551615')).toBe('18.4 EB');
		expect(formatFileSize('123456789012345678901234567')).toBe('123.5 YB');
		expect(formatFileSize('1234567890123456789012345678901')).toBe('1234567.9 YB');
	});

	it('returns undefined for junk', () => {
		for (const junk of [undefined, '', ' ', '-1', '1.5', '1e9', '12 MB', 'lots', '0x10', '9'.repeat(65)]) {
			expect(formatFileSize(junk)).toBeUndefined();
		}
		expect(formatFileSize(' 42 ')).toBe('42 B');
		expect(formatFileSize('000123')).toBe('123 B');
	});
});
