import { SyncError } from './errors';

/**
 * Cancellation of a run, the one mechanism every wait goes through. A run
 * carries an AbortSignal; whatever it waits on (a back-off or Retry-After
 * sleep, a request, a cover download) is raced against that signal, so the
 * run stops waiting the moment it is cancelled, even when the thing waited
 * on cannot be stopped (Obsidian's requestUrl cannot be aborted: its late
 * answer is dropped). Shells that can also free what is pending (a Node
 * socket, a timer) are handed the signal too.
 */

/** The error a cancelled run ends with. */
export function cancelledError(): SyncError {
	return new SyncError('cancelled', 'The sync was cancelled.');
}

/** Throws the cancelled error when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw cancelledError();
}

/**
 * `work`, unless the signal fires first: then it rejects at once with the
 * cancelled error, and whatever `work` settles with later is ignored.
 */
export function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (signal === undefined) return work;
	if (signal.aborted) {
		work.catch(() => undefined);
		return Promise.reject(cancelledError());
	}
	return new Promise<T>((resolve, reject) => {
		const onAbort = (): void => reject(cancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
		work.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error instanceof Error ? error : new Error(String(error)));
			},
		);
	});
}

/**
 * A controller whose signal also fires when `parent` fires: for work that
 * may be dropped on its own (a prefetch nobody waits for any more) as well
 * as with the whole run. `release` unhooks it from the parent.
 */
export function childController(parent: AbortSignal | undefined): { controller: AbortController; release: () => void } {
	const controller = new AbortController();
	if (parent === undefined) return { controller, release: () => undefined };
	const onAbort = (): void => controller.abort();
	if (parent.aborted) controller.abort();
	else parent.addEventListener('abort', onAbort, { once: true });
	return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

/** True for the error a cancelled run ends with: it must travel up, never be swallowed as a failure. */
export function isCancellation(error: unknown): boolean {
	return error instanceof SyncError && error.kind === 'cancelled';
}
