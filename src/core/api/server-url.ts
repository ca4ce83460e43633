/**
 * The one resolver for addresses the server sends (a cover URL, any path it
 * names), used by the `cover` property, the cover download and the template.
 *
 * The server URL in the settings is the server's root, and it may carry a
 * path prefix (`https://books.example.org/library`, behind a reverse proxy).
 * The server writes its own paths from that root, the way its documented
 * endpoint `/api/library/sync` is written, so:
 *
 * - an absolute URL (`https://…`) stays as it is;
 * - a protocol-relative one (`//cdn.example/1.jpg`) takes the server URL's
 *   scheme;
 * - a path, with a leading `/` or without, goes under the prefix:
 *   `/api/covers/1.jpg` -> `https://books.example.org/library/api/covers/1.jpg`;
 *   `.` and `..` segments (also written `%2e`) are resolved inside the
 *   prefix and never climb above it; a backslash counts as a `/`, as in
 *   browsers; the query and percent-encoded characters are kept as written.
 *
 * The feed URL is built under the prefix the same way (sync-url.ts), from
 * the same normalised base.
 */
import { normaliseBaseUrl } from './sync-url';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const PROTOCOL_RELATIVE = /^[\\/]{2}/;
const LEADING_SEPARATORS = /^[\\/]+/;

/**
 * `address` as a URL (see the module comment), or undefined when it is
 * empty or not a valid address. Throws SyncError 'config' when the server
 * URL itself is unusable (see normaliseBaseUrl). The scheme is not checked:
 * callers decide which they accept.
 */
export function resolveServerUrl(address: string, serverUrl: string): URL | undefined {
	const base = serverBase(serverUrl);
	// The URL parser drops tabs and line breaks anywhere: drop them first, so `.\n.` is seen as `..` here.
	const text = address.replace(/[\t\n\r]/g, '').trim();
	if (text === '') return undefined;
	try {
		if (SCHEME.test(text)) return new URL(text);
		if (PROTOCOL_RELATIVE.test(text)) return new URL(`${base.protocol}${text}`);
		return new URL(`${base.origin}${base.pathname}${underPrefix(text)}`);
	} catch {
		return undefined;
	}
}

/** The parts of a server URL's normalised base that addresses are resolved against. */
export interface ServerBase {
	protocol: string;
	origin: string;
	hostname: string;
	/** With a trailing `/`. */
	pathname: string;
}

// The last server URL's base: a run resolves every book's cover against the same one.
let lastBase: { serverUrl: string; base?: ServerBase; error?: unknown } | undefined;

/**
 * The base of a server URL (`normaliseBaseUrl` plus a trailing `/`, parsed),
 * parsed once per server URL rather than once per address. Throws what
 * normaliseBaseUrl throws.
 */
export function serverBase(serverUrl: string): ServerBase {
	if (lastBase?.serverUrl !== serverUrl) {
		try {
			const url = new URL(`${normaliseBaseUrl(serverUrl)}/`);
			lastBase = { serverUrl, base: { protocol: url.protocol, origin: url.origin, hostname: url.hostname, pathname: url.pathname } };
		} catch (error) {
			lastBase = { serverUrl, error };
		}
	}
	if (lastBase.base === undefined) throw lastBase.error;
	return lastBase.base;
}

/** A relative reference with its dot segments resolved, never above its root, without a leading `/`. */
function underPrefix(reference: string): string {
	const hashAt = reference.indexOf('#');
	const beforeHash = hashAt === -1 ? reference : reference.slice(0, hashAt);
	const queryAt = beforeHash.indexOf('?');
	const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
	const rest = reference.slice(path.length);
	const parts = path.replace(LEADING_SEPARATORS, '').split(/[\\/]/);
	const segments: string[] = [];
	parts.forEach((part, index) => {
		const dots = part.replace(/%2e/gi, '.');
		if (dots !== '.' && dots !== '..') {
			segments.push(part);
			return;
		}
		if (dots === '..') segments.pop();
		// `a/..` names the folder: keep its trailing slash.
		if (index === parts.length - 1) segments.push('');
	});
	return `${segments.join('/')}${rest}`;
}
