import { MAX_FEED_BYTES, tooLargeError } from '../core/api/limits';
import { SyncError } from '../core/errors';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/ports';
import { GetTimeout, GetTooLarge, httpGet, networkReason, originOf } from './http-get';

const MAX_REDIRECTS = 5;

/**
 * HttpTransport for the feed, over Node's http and https. Asks for a
 * compressed body, follows up to five redirects by hand so that
 * credentials never travel to another origin, and gives up after the
 * request's timeout, body included. The cap (MAX_FEED_BYTES, shared with
 * the plugin) applies to the decoded body while it streams, so a small
 * compressed answer that inflates to gigabytes is stopped at the cap; a
 * redirect's body is not read at all.
 */
export class NodeHttpTransport implements HttpTransport {
	async get(request: HttpRequest): Promise<HttpResponse> {
		const deadline = Date.now() + request.timeoutMs;
		try {
			return await this.follow(request, deadline);
		} catch (error) {
			if (error instanceof SyncError) throw error;
			if (error instanceof GetTooLarge) {
				throw tooLargeError('feed', request.url, MAX_FEED_BYTES);
			}
			if (error instanceof GetTimeout) {
				throw new SyncError('timeout', `The server at ${originOf(request.url)} did not answer within ${Math.round(request.timeoutMs / 1000)} s.`);
			}
			throw new SyncError('network', `Could not reach the server at ${originOf(request.url)} (${networkReason(error)}).`, { cause: error });
		}
	}

	private async follow(request: HttpRequest, deadline: number): Promise<HttpResponse> {
		const origin = originOf(request.url);
		let url = request.url;
		let headers = request.headers;
		for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
			const isRedirect = (status: number): boolean => status >= 300 && status < 400;
			const response = await httpGet({ url, headers, timeoutMs: Math.max(1, deadline - Date.now()), maxBytes: MAX_FEED_BYTES, compressed: true, wantBody: (status) => !isRedirect(status), signal: request.signal });
			const location = response.headers.location;
			if (isRedirect(response.status) && location !== undefined) {
				url = new URL(location, url).toString();
				// Credentials stay with the origin they were meant for.
				if (originOf(url) !== origin) headers = { Accept: request.headers.Accept ?? 'application/json' };
				continue;
			}
			return { status: response.status, headers: response.headers, body: response.body.toString('utf8') };
		}
		throw new SyncError('protocol', `The server at ${origin} redirected more than ${MAX_REDIRECTS} times.`);
	}
}
