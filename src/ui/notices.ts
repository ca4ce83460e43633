import { Notice, type Plugin } from 'obsidian';
import type { ControllerEvent, SyncController } from '../obsidian/sync-controller';
import { RemovalModal } from './removal-modal';
import { progressText, summaryText } from './status-text';

/** Progress updates at most this often, so a fast sync does not thrash the notice. */
const UPDATE_EVERY_MS = 150;

/**
 * Notices for runs the user started: one that updates in place while the
 * sync runs, then the summary. Automatic runs stay quiet unless something
 * needs the user (a rejected token, a setting to fix).
 */
export class SyncNotices {
	private progress: Notice | undefined;
	private lastUpdate = 0;

	constructor(
		private readonly plugin: Plugin,
		private readonly controller: SyncController,
	) {}

	attach(): void {
		this.plugin.register(this.controller.onEvent((event) => this.handle(event)));
		this.plugin.register(() => this.progress?.hide());
	}

	private handle(event: ControllerEvent): void {
		const manual = event.trigger === 'manual';
		switch (event.type) {
			case 'started':
				if (manual) this.progress = new Notice(progressText(0, 0), 0);
				break;
			case 'progress': {
				if (!this.progress) return;
				const now = Date.now();
				if (now - this.lastUpdate < UPDATE_EVERY_MS && event.done !== event.total) return;
				this.lastUpdate = now;
				this.progress.setMessage(progressText(event.done, event.total));
				break;
			}
			case 'finished': {
				this.progress?.hide();
				this.progress = undefined;
				const kind = event.report.error?.kind;
				const needsUser = kind === 'auth' || kind === 'config';
				// A clean run's notice goes quickly; one with something to read (failed covers too) stays longer.
				const clean = manual && event.report.ok && (event.report.coversNotDownloaded ?? 0) === 0;
				if (manual || needsUser) new Notice(summaryText(event.report), clean ? 5000 : 10000);
				const removals = event.report.removals;
				if (removals?.held === 'too-many') {
					if (manual) new RemovalModal(this.plugin.app, removals, () => void this.controller.run('full', 'manual', { allowMassRemoval: true })).open();
					else new Notice(`${removals.missing.toLocaleString('en-US')} books seem to have left the server. Run "Sync library (full)" to review them.`, 0);
				}
				break;
			}
		}
	}
}
