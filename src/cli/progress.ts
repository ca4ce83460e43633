import type { WriteStream } from 'node:tty';
import type { SyncEvent } from '../core/sync/events';
import { inertText } from '../core/text/inert-text';
import { formatCount } from './format';

const BAR_WIDTH = 24;
const REDRAW_EVERY_MS = 80;
/** No estimate before this much of the run has passed: the first books say little about the rest. */
const ESTIMATE_AFTER_MS = 3_000;

/**
 * A one-line progress bar on a terminal (standard error), redrawn in place
 * at most a dozen times a second: books done, the total, and once it can
 * tell, about how long is left. It only moves forward (a new page or a
 * second pass never draws it back). On anything but a terminal it stays
 * silent: logs from cron get the summary line only.
 */
export class ProgressBar {
	private lastDraw = Number.NEGATIVE_INFINITY;
	private readonly startedAt: number;
	private done = 0;
	private total = 0;
	private drawn = false;

	constructor(
		private readonly stream: WriteStream,
		private readonly now: () => number = Date.now,
	) {
		this.startedAt = now();
	}

	handle(event: SyncEvent): void {
		switch (event.type) {
			case 'page':
				if (event.walk > 1) this.note(`The library changed while syncing; checking again (pass ${event.walk}).`);
				this.total = Math.max(this.total, event.total);
				this.draw(true);
				break;
			case 'book':
				this.done = Math.max(this.done, event.done);
				this.total = Math.max(this.total, event.total, this.done);
				this.draw(event.done === event.total);
				break;
			case 'retry':
				this.note(`${event.message} Retrying in ${Math.max(1, Math.round(event.delayMs / 1000))} s (attempt ${event.attempt + 1}).`);
				break;
			case 'done':
				this.clear();
				break;
			default:
				break;
		}
	}

	private draw(force: boolean): void {
		const now = this.now();
		if (!force && now - this.lastDraw < REDRAW_EVERY_MS) return;
		this.lastDraw = now;
		const { done, total } = this;
		const share = total > 0 ? Math.min(1, done / total) : 1;
		const filled = Math.round(share * BAR_WIDTH);
		const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
		const left = this.timeLeft(now);
		this.stream.write(`\r[${bar}] ${formatCount(done)}/${formatCount(total)} books${left === undefined ? '' : `, about ${left} left`}\u001b[K`);
		this.drawn = true;
	}

	/** The rest at the pace so far, once there is a pace to go by. */
	private timeLeft(now: number): string | undefined {
		const elapsed = now - this.startedAt;
		if (this.done === 0 || this.done >= this.total || elapsed < ESTIMATE_AFTER_MS) return undefined;
		const seconds = Math.round(((this.total - this.done) * elapsed) / this.done / 1000);
		if (seconds < 60) return `${Math.max(1, seconds)} s`;
		if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
		const hours = Math.floor(seconds / 3600);
		return `${hours} h ${Math.round((seconds % 3600) / 60)} min`;
	}

	/** A line of its own above the bar; it may carry server text, so it is made inert. */
	private note(message: string): void {
		this.clear();
		this.stream.write(`${inertText(message)}\n`);
	}

	private clear(): void {
		if (!this.drawn) return;
		this.stream.write('\r\u001b[K');
		this.drawn = false;
	}
}
