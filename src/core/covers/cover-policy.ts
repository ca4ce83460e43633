/**
 * Where a cover may come from, whether it gets the token, and where it goes
 * in the vault. Pure rules, no I/O.
 *
 * - A cover URL is resolved by the one resolver for server addresses
 *   (server-url.ts): a path, with a leading `/` or not, goes under the
 *   server URL's path prefix, never above it; an absolute URL stays as it is.
 *   A redirect's `location` is HTTP's, relative to the URL that answered.
 * - Only http(s), never with a user name or password in the URL.
 * - The token goes only to the server's own origin (scheme, host and port).
 * - Another origin is fetched only when the user allows it, and never when
 *   its host is loopback, private or link-local (unless it is the server's
 *   own host: a server on 192.168.1.4 may serve covers on another port).
 *   The check is on the URL's host as written; a public name that resolves
 *   to a private address is not caught here (no DNS in the core).
 * - A cover's vault path is built from the book id only, never from a
 *   server path: `<library folder>/covers/<stem>.<ext>`.
 */
import { resolveServerUrl, serverBase, type ServerBase } from '../api/server-url';
import { joinPath, normaliseFolder } from '../vault-path';
import type { ImageExtension } from './image-type';
import { shortHash } from './short-hash';

/** The covers folder's name inside the library folder. */
export const COVERS_FOLDER_NAME = 'covers';

/** What to do with a cover URL. */
export type CoverDecision =
	| {
			kind: 'fetch';
			/** The absolute URL to request (no fragment). */
			url: string;
			/** True only for the server's own origin. */
			withToken: boolean;
	  }
	| {
			kind: 'refused';
			/** One sentence; names the host at most, never the path or query. */
			reason: string;
	  };

/**
 * The covers folder of a library folder: `<folder>/covers` (`covers` for the
 * vault root). Throws SyncError 'config' for a folder with a `..` segment.
 */
export function coversFolderOf(libraryFolder: string): string {
	return joinPath(normaliseFolder(libraryFolder), COVERS_FOLDER_NAME);
}

// Ids used as they are: lower case (no case collisions on macOS, Windows, iOS,
// Android), safe in every file system and in a wikilink, never starting with '_'.
const PLAIN_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * The file name (without extension) of a book's cover: the id itself when it
 * is a short lower-case `[a-z0-9_-]` name that is not a Windows device name;
 * otherwise `_<slug>-<hash>`, where the slug is a readable hint and the hash
 * (16 hex digits of the id) keeps ids apart that differ only in case or in
 * characters a file name cannot hold. The two forms never collide: plain ids
 * never start with `_`. Same result on every device.
 */
export function coverFileStem(id: string): string {
	if (PLAIN_ID.test(id) && !WINDOWS_DEVICE.test(id)) return id;
	const slug = id
		.toLowerCase()
		.replace(/[^a-z0-9_-]+/g, '_')
		.replace(/^[_-]+|[_-]+$/g, '')
		.slice(0, 32);
	return `_${slug === '' ? '' : `${slug}-`}${shortHash(id)}`;
}

/** The vault path of a book's cover: `<library folder>/covers/<stem>.<ext>`. */
export function coverPathFor(libraryFolder: string, id: string, ext: ImageExtension): string {
	return `${coversFolderOf(libraryFolder)}/${coverFileStem(id)}.${ext}`;
}

/**
 * True when `path` names a file directly inside `coversFolder` (not the
 * folder itself, not below a subfolder, no `.`/`..`, no backslash).
 */
export function isInsideCoversFolder(path: string, coversFolder: string): boolean {
	if (!path.startsWith(`${coversFolder}/`)) return false;
	const name = path.slice(coversFolder.length + 1);
	return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\');
}

/** The value of the `cover` property for a downloaded cover: a quoted-ready wikilink to its vault path. */
export function coverWikilink(path: string): string {
	return `[[${path}]]`;
}

/**
 * Resolves `coverUrl` (absolute, `/covers/1.jpg` or `covers/1.jpg`, both
 * under the server URL's prefix) and decides whether and how to fetch it;
 * see the module comment for the rules. Never throws.
 */
export function decideCover(coverUrl: string, baseUrl: string, allowOtherOrigins: boolean): CoverDecision {
	let base: BaseOrigin;
	let target: URL | undefined;
	try {
		base = serverBase(baseUrl);
		target = resolveServerUrl(coverUrl, baseUrl);
	} catch {
		return refused('The server URL is not usable, so covers cannot be fetched.');
	}
	if (coverUrl.trim() === '') return refused('The book has no cover URL.');
	if (target === undefined) return refused('The cover URL is not a valid address.');
	return decideTarget(target, base, allowOtherOrigins);
}

/**
 * The same rules for an already absolute URL, such as a redirect's target
 * (`location` resolved against the URL that answered with it).
 */
export function decideRedirect(location: string, from: string, baseUrl: string, allowOtherOrigins: boolean): CoverDecision {
	let base: BaseOrigin;
	let target: URL;
	try {
		base = serverBase(baseUrl);
		target = new URL(location.trim(), from);
	} catch {
		return refused('The cover was redirected to an invalid address.');
	}
	return decideTarget(target, base, allowOtherOrigins);
}

/** What a decision needs of the server URL's base. */
type BaseOrigin = Pick<ServerBase, 'origin' | 'hostname'>;

function decideTarget(target: URL, base: BaseOrigin, allowOtherOrigins: boolean): CoverDecision {
	if (target.protocol !== 'http:' && target.protocol !== 'https:') {
		return refused('The cover URL is not a web address (only http and https are fetched).');
	}
	if (target.username !== '' || target.password !== '') {
		return refused(`The cover URL at ${target.host} carries a user name or password; it is not fetched.`);
	}
	target.hash = '';
	if (target.origin === base.origin) return { kind: 'fetch', url: target.href, withToken: true };
	if (!allowOtherOrigins) {
		return refused(`The cover is on another server (${target.host}); allow covers from other servers to download it.`);
	}
	if (target.hostname !== base.hostname && isPrivateHost(target.hostname)) {
		return refused(`The cover points to a local or private address (${target.host}); it is not fetched.`);
	}
	return { kind: 'fetch', url: target.href, withToken: false };
}

function refused(reason: string): CoverDecision {
	return { kind: 'refused', reason };
}

/**
 * True when `host` (a host name or IP literal, IPv6 with or without
 * brackets) is loopback, private, link-local or otherwise local: `localhost`
 * and `*.localhost`; IPv4 0/8, 10/8, 100.64/10 (shared/CGNAT), 127/8,
 * 169.254/16, 172.16/12, 192.168/16; IPv6 `::`, `::1`, fc00::/7, fe80::/10,
 * fec0::/10, and IPv4-mapped, -compatible or NAT64 forms of the IPv4 ranges.
 * IPv4 shorthand (`127.1`, `0x7f000001`, `2130706433`) is read the way a
 * browser reads it.
 */
export function isPrivateHost(host: string): boolean {
	const name = canonicalHost(host);
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	const v4 = parseIpv4(name);
	if (v4 !== undefined) return isPrivateIpv4(v4);
	if (name.startsWith('[') && name.endsWith(']')) {
		const v6 = parseIpv6(name.slice(1, -1));
		return v6 === undefined ? true : isPrivateIpv6(v6);
	}
	return false;
}

/** The host as a WHATWG URL parser writes it: lower case, no trailing dot, IPv4 shorthand expanded, IPv6 bracketed and compressed. */
function canonicalHost(host: string): string {
	let text = host.trim().toLowerCase();
	if (text.includes(':') && !text.startsWith('[')) text = `[${text}]`;
	try {
		text = new URL(`http://${text}/`).hostname;
	} catch {
		// Not a host a URL can have; compare it as written.
	}
	return text.endsWith('.') ? text.slice(0, -1) : text;
}

function parseIpv4(text: string): number[] | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const bytes = parts.map(Number);
	return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168)
	);
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIpv6(text: string): number[] | undefined {
	let body = text;
	// A dotted IPv4 tail (`::ffff:127.0.0.1`) becomes its two hex groups.
	const lastColon = body.lastIndexOf(':');
	const v4 = parseIpv4(body.slice(lastColon + 1));
	if (v4 !== undefined) {
		const [a = 0, b = 0, c = 0, d = 0] = v4;
		body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const halves = body.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (part: string): number[] | undefined => {
		if (part === '') return [];
		const groups = part.split(':');
		if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
		return groups.map((g) => parseInt(g, 16));
	};
	const head = groupsOf(halves[0] ?? '');
	const rest = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
	if (head === undefined || rest === undefined) return undefined;
	const missing = 8 - head.length - rest.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
	return [...head, ...new Array<number>(missing).fill(0), ...rest];
}

function isPrivateIpv6(groups: number[]): boolean {
	const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
	const embeddedV4 = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
	const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
	if (upperZero && g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return true; // :: and ::1
	if (upperZero && (g5 === 0xffff || g5 === 0)) return isPrivateIpv4(embeddedV4); // ::ffff:a.b.c.d, ::a.b.c.d
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateIpv4(embeddedV4); // NAT64
	if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
	if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
	if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
	return false;
}
