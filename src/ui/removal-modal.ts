import { Modal, Setting, type App } from 'obsidian';
import type { RemovalSummary } from '../core/sync/report';
import { inertText } from '../core/text/inert-text';

/**
 * Asks before marking many notes as removed at once: a server that lost
 * its database looks just like a library that was emptied on purpose.
 */
export class RemovalModal extends Modal {
	constructor(
		app: App,
		private readonly removals: RemovalSummary,
		private readonly onConfirm: () => void,
	) {
		super(app);
	}

	override onOpen(): void {
		const { contentEl, removals } = this;
		this.setTitle('Books no longer on the server');
		contentEl.addClass('library-sync-removals');
		contentEl.createEl('p', {
			text: `${removals.missing.toLocaleString('en-US')} books that have notes are no longer listed by the server. That is more than a tenth of your library, so nothing was changed yet.`,
		});
		const list = contentEl.createEl('ul');
		for (const name of removals.examples.slice(0, 20)) list.createEl('li', { text: inertText(name) });
		if (removals.missing > 20) contentEl.createEl('p', { text: `... and ${(removals.missing - 20).toLocaleString('en-US')} more.` });
		contentEl.createEl('p', { text: 'Marking adds a "removed" date to each note (and moves it to the archive folder, if you set one). No note is deleted, and a book that comes back is unmarked.' });
		new Setting(contentEl)
			.addButton((button) => button.setButtonText('Keep them as they are').onClick(() => this.close()))
			.addButton((button) =>
				button
					.setButtonText('Mark as removed')
					.setCta()
					.onClick(() => {
						this.close();
						this.onConfirm();
					}),
			);
	}

	override onClose(): void {
		this.contentEl.empty();
	}
}
