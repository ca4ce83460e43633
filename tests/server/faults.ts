/**
 * Faults the reference server can inject, one per request, in the order they
 * were queued. They model what real deployments and the networks in front of
 * them do to a client: error statuses, proxy login pages, cut bodies, slow
 * answers, dropped connections, byte-order marks and redirects.
 */

/** Answer with this status (and optional Retry-After, body and content type) instead of the page. */
export interface StatusFault {
	kind: 'status';
	status: number;
	retryAfter?: string;
	/** Defaults to a small JSON error object. */
	body?: string;
	/** Defaults to `application/json; charset=utf-8`. */
	contentType?: string;
}

/** 200 with an HTML login page, as an authenticating proxy sends. */
export interface HtmlFault {
	kind: 'html';
}

/** 200 with the normal JSON body cut in half (Content-Length matches the cut body). */
export interface TruncateFault {
	kind: 'truncate';
}

/** Wait `ms`, then serve normally. stop() cancels the wait and drops the socket. */
export interface DelayFault {
	kind: 'delay';
	ms: number;
}

/** Send the headers and half the body, then destroy the socket. */
export interface ResetFault {
	kind: 'reset';
}

/** The normal JSON body preceded by a UTF-8 byte-order mark. */
export interface BomFault {
	kind: 'bom';
}

/** Redirect (302 unless `status` says otherwise) to `location`. */
export interface RedirectFault {
	kind: 'redirect';
	location: string;
	status?: number;
}

/** Any fault the reference server can inject. */
export type Fault = StatusFault | HtmlFault | TruncateFault | DelayFault | ResetFault | BomFault | RedirectFault;

/** A first-in first-out queue of faults; each request takes at most one. */
export class FaultQueue {
	private readonly queue: Fault[] = [];

	/** Queues faults for the next requests, in order, one per request. */
	push(...faults: Fault[]): void {
		this.queue.push(...faults);
	}

	/** Drops every queued fault. */
	clear(): void {
		this.queue.length = 0;
	}

	/** Takes the fault for the request being handled, if any. */
	take(): Fault | undefined {
		return this.queue.shift();
	}

	/** How many faults are still queued. */
	get size(): number {
		return this.queue.length;
	}
}

/** The HTML page an authenticating reverse proxy answers with. */
export const LOGIN_PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
	<h1>Sign in to continue</h1>
	<form method="post" action="/login">
		<label>User <input name="user"></label>
		<label>Password <input name="password" type="password"></label>
		<button type="submit">Sign in</button>
	</form>
</body>
</html>
`;
