import type { Sleep } from '../core/ports';

/**
 * The engine's Sleep over window timers: a sleep ends early when its signal
 * fires (the run was cancelled), and all of them when the plugin unloads:
 * Obsidian undoes registered intervals on unload, but timeouts are ours to clear.
 */
export class Timers {
	private readonly pending = new Map<number, () => void>();

	readonly sleep: Sleep = (ms, signal) =>
		new Promise<void>((resolve) => {
			const wake = (): void => {
				window.clearTimeout(id);
				this.pending.delete(id);
				signal?.removeEventListener('abort', wake);
				resolve();
			};
			const id = window.setTimeout(wake, ms);
			this.pending.set(id, wake);
			if (signal?.aborted) wake();
			else signal?.addEventListener('abort', wake, { once: true });
		});

	/** Ends every pending sleep, resolving it so that its run can notice the cancellation. */
	clearAll(): void {
		for (const wake of [...this.pending.values()]) wake();
	}
}
