import type { WriteStream } from 'node:tty';
import type { SyncEvent } from '../core/sync/events';
import { formatCount } from './format';

const BAR_WIDTH = 24;
const REDRAW_EVERY_MS = 80;

/**
 * A one-line progress bar on a terminal (standard error), redrawn in place
 * at most a dozen times a second. On anything but a terminal it stays
 * silent: logs from cron get the summary line only.
 */
export class ProgressBar {
	private lastDraw = 0;
	private page = 0;
	private totalPages = 0;
	private drawn = false;

	constructor(private readonly stream: WriteStream) {}

	handle(event: SyncEvent): void {
		switch (event.type) {
			case 'page':
				this.page = event.page;
				this.totalPages = event.totalPages;
				if (event.walk > 1) this.note(`The library changed while syncing; checking again (pass ${event.walk}).`);
				this.draw(0, event.total, true);
				break;
			case 'book':
				this.draw(event.done, event.total, event.done === event.total);
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

	private draw(done: number, total: number, force: boolean): void {
		const now = Date.now();
		if (!force && now - this.lastDraw < REDRAW_EVERY_MS) return;
		this.lastDraw = now;
		const share = total > 0 ? Math.min(1, done / total) : 1;
		const filled = Math.round(share * BAR_WIDTH);
		const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
		const line = `[${bar}] ${formatCount(done)}/${formatCount(total)} books, page ${this.page}/${this.totalPages}`;
		this.stream.write(`\r${line}\u001b[K`);
		this.drawn = true;
	}

	private note(message: string): void {
		this.clear();
		this.stream.write(`${message}\n`);
	}

	private clear(): void {
		if (!this.drawn) return;
		this.stream.write('\r\u001b[K');
		this.drawn = false;
	}
}
