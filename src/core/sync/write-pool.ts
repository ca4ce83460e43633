/**
 * Note writes under way, at most `limit` at once, so the next book renders
 * while the disk works on the last ones. Tasks settle themselves: a task
 * that rejects is a bug in the caller, not a failed write.
 */
export class WritePool {
	private readonly running = new Set<Promise<void>>();

	constructor(private readonly limit: number) {}

	/** Starts the task; resolves once there is room for the next one. */
	async add(task: () => Promise<void>): Promise<void> {
		const running: Promise<void> = task().finally(() => this.running.delete(running));
		this.running.add(running);
		while (this.running.size >= this.limit) await Promise.race(this.running);
	}

	/** Resolves once every task started so far has settled. */
	async drain(): Promise<void> {
		while (this.running.size > 0) await Promise.allSettled([...this.running]);
	}
}
