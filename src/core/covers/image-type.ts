/**
 * What a cover may be: JPEG, PNG, WebP or GIF, recognised by their magic
 * bytes. Anything else (SVG, HTML, PDF, an empty body...) is not an image we
 * store: SVG and HTML can carry scripts, and a file's name must never lie
 * about its content.
 */

/** The raster formats a cover may have, as file extensions. */
export type ImageExtension = 'jpg' | 'png' | 'webp' | 'gif';

/** Media types accepted in a cover's Content-Type, and the extension each one announces. */
const DECLARED: Readonly<Record<string, ImageExtension>> = Object.freeze({
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/pjpeg': 'jpg',
	'image/png': 'png',
	'image/x-png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
});

/** The media type a cover request asks for (the Accept header). */
export const COVER_ACCEPT = 'image/jpeg, image/png, image/webp, image/gif';

/**
 * The image format a Content-Type header declares, or undefined when it is
 * missing or anything but JPEG, PNG, WebP or GIF (`image/svg+xml`,
 * `text/html`, `application/octet-stream`, ...). Parameters (`; charset=`)
 * and case are ignored.
 */
export function declaredImageType(contentType: string | undefined): ImageExtension | undefined {
	if (contentType === undefined) return undefined;
	const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
	return Object.prototype.hasOwnProperty.call(DECLARED, mediaType) ? DECLARED[mediaType] : undefined;
}

/**
 * The image format the bytes really are, from their magic numbers: JPEG
 * (`FF D8 FF`), PNG (the 8-byte signature), GIF (`GIF87a`/`GIF89a`) or WebP
 * (`RIFF....WEBP`). Undefined for anything else, markup included.
 */
export function sniffImageType(bytes: Uint8Array): ImageExtension | undefined {
	if (startsWith(bytes, JPEG)) return 'jpg';
	if (startsWith(bytes, PNG)) return 'png';
	if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'gif';
	if (bytes.length >= 12 && startsWith(bytes, RIFF) && startsWith(bytes.subarray(8), WEBP)) return 'webp';
	return undefined;
}

/**
 * True when the bytes look like markup (SVG, HTML, XML): the first
 * non-blank character, after an optional UTF-8 byte-order mark, is `<`.
 * Only used to give a refusal a clearer reason; sniffImageType already
 * refuses them.
 */
export function looksLikeMarkup(bytes: Uint8Array): boolean {
	let i = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
	while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
	return bytes[i] === 0x3c;
}

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GIF87 = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61];
const GIF89 = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
	if (bytes.length < prefix.length) return false;
	return prefix.every((byte, i) => bytes[i] === byte);
}
