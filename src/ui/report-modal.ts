import { Modal, type App } from 'obsidian';
import type { SyncReport } from '../core/sync/report';
import { inertText } from '../core/text/inert-text';
import { summaryText } from './status-text';

const MAX_ROWS = 200;

/** "Show last sync report": what changed, what failed and why. */
export class ReportModal extends Modal {
	constructor(
		app: App,
		private readonly report: SyncReport | undefined,
	) {
		super(app);
	}

	override onOpen(): void {
		const { contentEl } = this;
		this.setTitle('Last library sync');
		contentEl.addClass('library-sync-report');
		const report = this.report;
		if (!report) {
			contentEl.createEl('p', { text: 'No sync has run since Obsidian started.' });
			return;
		}
		contentEl.createEl('p', { text: summaryText(report, 'the warnings below say why') });
		contentEl.createEl('p', {
			cls: 'library-sync-report-meta',
			text: `${report.mode === 'full' ? 'Full sync' : 'Sync'} started ${report.startedAt.replace('T', ' ').slice(0, 19)} UTC, ${(report.durationMs / 1000).toFixed(1)} s, ${report.requests} requests.`,
		});
		if (report.failures.length > 0) {
			contentEl.createEl('h3', { text: 'Failed' });
			const list = contentEl.createEl('ul', { cls: 'library-sync-report-failures' });
			for (const failure of report.failures.slice(0, MAX_ROWS)) {
				const who = failure.title ?? failure.id ?? 'A record';
				list.createEl('li', { text: inertText(`${who}: ${failure.reason}`) });
			}
		}
		const warnings = report.warnings ?? [];
		if (warnings.length > 0) {
			contentEl.createEl('h3', { text: 'Warnings' });
			const list = contentEl.createEl('ul', { cls: 'library-sync-report-warnings' });
			for (const warning of warnings.slice(0, MAX_ROWS)) list.createEl('li', { text: inertText(warning) });
		}
		if (report.removalsSkipped) {
			contentEl.createEl('p', { text: 'Books that left the server were not looked for, because books failed: that is done only by a full sync in which every book synced. Fix what failed and run "Sync library (full)" again.' });
		}
		const unreadable = report.removals?.unreadable ?? [];
		if (unreadable.length > 0) {
			contentEl.createEl('p', { text: `${(report.removals?.unreadableCount ?? unreadable.length).toLocaleString('en-US')} notes of books no longer on the server could not be marked removed: their properties are not valid YAML. Fix them and run "Sync library (full)" again.` });
			const list = contentEl.createEl('ul', { cls: 'library-sync-report-unreadable' });
			for (const path of unreadable.slice(0, MAX_ROWS)) list.createEl('li', { text: inertText(path) });
		}
		if (report.removals?.held === 'too-many') {
			contentEl.createEl('p', { text: `${report.removals.missing.toLocaleString('en-US')} books are no longer on the server; none was marked yet (more than a tenth of the library). Run "Sync library (full)" to review them.` });
		}
		if (report.changes.length > 0) {
			contentEl.createEl('h3', { text: 'Changed' });
			const list = contentEl.createEl('ul', { cls: 'library-sync-report-changes' });
			for (const change of report.changes.slice(0, MAX_ROWS)) {
				const item = list.createEl('li');
				item.createSpan({ cls: 'library-sync-report-action', text: `${change.action} ` });
				const link = item.createEl('a', { text: inertText(change.path), href: '#' });
				link.addEventListener('click', (event) => {
					event.preventDefault();
					void this.app.workspace.openLinkText(change.path, '', false);
					this.close();
				});
				if (change.from) item.createSpan({ text: ` (was ${inertText(change.from)})` });
			}
			if (report.changes.length > MAX_ROWS) contentEl.createEl('p', { text: `... and ${report.changes.length - MAX_ROWS} more.` });
		}
	}

	override onClose(): void {
		this.contentEl.empty();
	}
}
