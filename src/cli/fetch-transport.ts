import { SyncError } from '../core/errors';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/ports';

const MAX_REDIRECTS = 5;

/**
 * HttpTransport over Node's fetch. Follows up to five redirects by hand so
 * that credentials never travel to another origin, and gives up after the
 * request's timeout, body included.
 */
export class FetchTransport implements HttpTransport {
	async get(request: HttpRequest): Promise<HttpResponse> {
		const signal = AbortSignal.timeout(request.timeoutMs);
		try {
			return await this.follow(request, signal);
		} catch (error) {
			if (error instanceof SyncError) throw error;
			if (signal.aborted) {
				throw new SyncError('timeout', `The server at ${originOf(request.url)} did not answer within ${Math.round(request.timeoutMs / 1000)} s.`);
			}
			throw new SyncError('network', `Could not reach the server at ${originOf(request.url)} (${networkReason(error)}).`, { cause: error });
		}
	}

	private async follow(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
		const origin = originOf(request.url);
		let url = request.url;
		let headers = request.headers;
		for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
			const response = await fetch(url, { headers, redirect: 'manual', signal });
			const location = response.headers.get('location');
			if (response.status >= 300 && response.status < 400 && location !== null) {
				await response.body?.cancel();
				url = new URL(location, url).toString();
				// Credentials stay with the origin they were meant for.
				if (originOf(url) !== origin) headers = { Accept: request.headers.Accept ?? 'application/json' };
				continue;
			}
			const body = await response.text();
			return { status: response.status, headers: headersOf(response), body };
		}
		throw new SyncError('protocol', `The server at ${origin} redirected more than ${MAX_REDIRECTS} times.`);
	}
}

/** Response headers with lower-case names, as the ports promise. */
export function headersOf(response: Response): Record<string, string> {
	const headers: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		headers[name.toLowerCase()] = value;
	});
	return headers;
}

/** The origin of a URL for messages: never a path, a query or a header. */
export function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'the configured URL';
	}
}

/** A short cause from Node's network error codes (ECONNREFUSED, ENOTFOUND, ...). */
function networkReason(error: unknown): string {
	const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
	const code = typeof cause?.code === 'string' ? cause.code : undefined;
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host not found';
		case 'ECONNRESET':
		case 'UND_ERR_SOCKET':
			return 'connection reset';
		case 'CERT_HAS_EXPIRED':
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
			return 'TLS certificate not trusted';
		default:
			return code ?? 'network error';
	}
}
