import type { Sleep } from '../core/ports';

/**
 * The engine's Sleep over window timers, cancellable as a whole: Obsidian
 * undoes registered intervals on unload, but timeouts are ours to clear.
 */
export class Timers {
	private readonly pending = new Map<number, () => void>();

	readonly sleep: Sleep = (ms) =>
		new Promise<void>((resolve) => {
			const id = window.setTimeout(() => {
				this.pending.delete(id);
				resolve();
			}, ms);
			this.pending.set(id, resolve);
		});

	/** Clears every pending sleep, resolving it so that its run can notice the cancellation. */
	clearAll(): void {
		for (const [id, resolve] of this.pending) {
			window.clearTimeout(id);
			resolve();
		}
		this.pending.clear();
	}
}
