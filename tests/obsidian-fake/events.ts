/**
 * Obsidian's `Events`: synchronous listeners, `on` returns an EventRef that
 * `offref` detaches. `tryTrigger` swallows (and logs) a listener's error, as
 * the app does, so one bad listener does not break the others.
 */
export interface FakeEventRef {
	readonly e: FakeEvents;
	readonly name: string;
	readonly fn: (...data: unknown[]) => unknown;
	readonly ctx: unknown;
}

export class FakeEvents {
	private readonly listeners = new Map<string, FakeEventRef[]>();

	on(name: string, callback: (...data: never[]) => unknown, ctx?: unknown): FakeEventRef {
		const ref: FakeEventRef = { e: this, name, fn: callback as (...data: unknown[]) => unknown, ctx };
		const list = this.listeners.get(name) ?? [];
		list.push(ref);
		this.listeners.set(name, list);
		return ref;
	}

	off(name: string, callback: (...data: never[]) => unknown): void {
		const list = this.listeners.get(name);
		if (!list) return;
		this.listeners.set(name, list.filter((ref) => ref.fn !== callback));
	}

	offref(ref: FakeEventRef): void {
		const list = this.listeners.get(ref.name);
		if (!list) return;
		this.listeners.set(ref.name, list.filter((r) => r !== ref));
	}

	trigger(name: string, ...data: unknown[]): void {
		for (const ref of [...(this.listeners.get(name) ?? [])]) this.tryTrigger(ref, data);
	}

	tryTrigger(ref: FakeEventRef, args: unknown[]): void {
		try {
			ref.fn.apply(ref.ctx, args);
		} catch (error) {
			console.error(error);
		}
	}

	/** Test helper: how many listeners are attached (per name, or in total). */
	listenerCount(name?: string): number {
		if (name !== undefined) return this.listeners.get(name)?.length ?? 0;
		let total = 0;
		for (const list of this.listeners.values()) total += list.length;
		return total;
	}
}
