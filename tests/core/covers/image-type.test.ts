import { describe, expect, it } from 'vitest';
import { declaredImageType, looksLikeMarkup, sniffImageType } from '../../../src/core/covers/image-type';
import { EVIL_SVG, LOGIN_HTML, tinyJpeg, tinyPng } from '../../server/covers';

const bytes = (...values: (number | string)[]): Uint8Array =>
	Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('sniffImageType', () => {
	it('recognises JPEG, PNG, GIF and WebP by their magic bytes', () => {
		expect(sniffImageType(tinyJpeg('x'))).toBe('jpg');
		expect(sniffImageType(tinyPng('x'))).toBe('png');
		expect(sniffImageType(bytes('GIF87a', 1, 0, 1, 0))).toBe('gif');
		expect(sniffImageType(bytes('GIF89a', 1, 0, 1, 0))).toBe('gif');
		expect(sniffImageType(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '))).toBe('webp');
	});

	it('refuses SVG, HTML, other formats, truncated signatures and empty bodies', () => {
		expect(sniffImageType(text(EVIL_SVG))).toBeUndefined();
		expect(sniffImageType(text(LOGIN_HTML))).toBeUndefined();
		expect(sniffImageType(text('%PDF-1.7'))).toBeUndefined();
		expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeUndefined();
		expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WEB'))).toBeUndefined();
		expect(sniffImageType(bytes(0xff, 0xd8))).toBeUndefined();
		expect(sniffImageType(bytes(0x89, 'PNG'))).toBeUndefined();
		expect(sniffImageType(bytes('GIF88a'))).toBeUndefined();
		expect(sniffImageType(new Uint8Array(0))).toBeUndefined();
	});
});

describe('declaredImageType', () => {
	it('accepts the four raster types, ignoring case and parameters', () => {
		expect(declaredImageType('image/jpeg')).toBe('jpg');
		expect(declaredImageType('IMAGE/JPEG; charset=binary')).toBe('jpg');
		expect(declaredImageType('image/pjpeg')).toBe('jpg');
		expect(declaredImageType(' image/png ')).toBe('png');
		expect(declaredImageType('image/webp')).toBe('webp');
		expect(declaredImageType('image/gif')).toBe('gif');
	});

	it('refuses SVG, HTML, octet streams, prototype names and nothing', () => {
		for (const type of ['image/svg+xml', 'text/html; charset=utf-8', 'application/octet-stream', 'image/avif', 'text/plain', '', 'constructor', '__proto__', 'toString']) {
			expect(declaredImageType(type), type).toBeUndefined();
		}
		expect(declaredImageType(undefined)).toBeUndefined();
	});
});

describe('looksLikeMarkup', () => {
	it('spots markup after blanks and a byte-order mark', () => {
		expect(looksLikeMarkup(text(EVIL_SVG))).toBe(true);
		expect(looksLikeMarkup(text(`\uFEFF \n${LOGIN_HTML}`))).toBe(true);
		expect(looksLikeMarkup(tinyJpeg('x'))).toBe(false);
		expect(looksLikeMarkup(new Uint8Array(0))).toBe(false);
	});
});
