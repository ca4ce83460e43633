import { Platform, type Plugin } from 'obsidian';
import type { LocalStorageStateStore } from '../obsidian/state-store';
import type { ControllerEvent, SyncController } from '../obsidian/sync-controller';
import { failureText, idleText, progressText } from './status-text';

const REFRESH_EVERY_MS = 30_000;

/**
 * The status bar item (desktop only: mobile has no status bar). Idle:
 * "Library synced 5 minutes ago"; while syncing: "Syncing library 340/1,204";
 * after a failure: the reason in a few words. Clicking it syncs.
 */
export class SyncStatusBar {
	private el: HTMLElement | undefined;
	private lastSuccessAt: number | undefined;
	private failure: string | undefined;

	constructor(
		private readonly plugin: Plugin,
		private readonly controller: SyncController,
		private readonly state: LocalStorageStateStore,
	) {}

	async attach(): Promise<void> {
		if (!Platform.isDesktop) return;
		const el = this.plugin.addStatusBarItem();
		el.addClass('library-sync-status');
		el.setAttribute('aria-label', 'Sync library');
		this.el = el;
		this.plugin.registerDomEvent(el, 'click', () => void this.controller.run('incremental', 'manual'));
		this.plugin.register(this.controller.onEvent((event) => this.handle(event)));
		this.plugin.registerInterval(window.setInterval(() => this.renderIdle(), REFRESH_EVERY_MS));
		const saved = await this.state.load();
		this.lastSuccessAt = parseTime(saved.lastSuccessAt);
		this.failure = saved.lastError === undefined ? undefined : 'Library sync failed';
		this.renderIdle();
	}

	private handle(event: ControllerEvent): void {
		if (!this.el) return;
		switch (event.type) {
			case 'started':
				this.set(progressText(0, 0), false);
				break;
			case 'progress':
				this.set(progressText(event.done, event.total), false);
				break;
			case 'finished':
				if (event.report.ok) {
					this.lastSuccessAt = Date.parse(event.report.startedAt) + event.report.durationMs;
					this.failure = undefined;
				} else {
					this.failure = failureText(event.report);
				}
				this.renderIdle();
				break;
		}
	}

	private renderIdle(): void {
		if (this.controller.isRunning) return;
		if (this.failure) this.set(this.failure, true);
		else this.set(idleText(this.lastSuccessAt, Date.now()), false);
	}

	private set(text: string, failed: boolean): void {
		if (!this.el) return;
		this.el.setText(text);
		this.el.toggleClass('library-sync-failed', failed);
	}
}

function parseTime(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const time = Date.parse(value);
	return Number.isFinite(time) ? time : undefined;
}
