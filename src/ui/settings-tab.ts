import { Notice, PluginSettingTab, SettingGroup, type App, type Plugin } from 'obsidian';
import { assertTimeZone } from '../core/render/dates';
import { fileBaseName } from '../core/render/file-name';
import { SYNC_INTERVALS, type Settings, type SyncIntervalMinutes } from '../core/settings/schema';
import type { DeviceStore } from '../obsidian/device-store';
import type { SyncController } from '../obsidian/sync-controller';
import { EXAMPLE_BOOK } from './example-book';
import { FolderSuggest } from './folder-suggest';
import { addConnectionSettings } from './connection-settings';
import { addPropertySettings } from './property-settings';

/** What the settings tab needs from the plugin. */
export interface SettingsHost {
	syncSettings: Settings;
	saveSettings(): Promise<void>;
	controller: SyncController;
	device: DeviceStore;
}

const INTERVAL_LABELS: Record<SyncIntervalMinutes, string> = {
	0: 'Off',
	15: 'Every 15 minutes',
	60: 'Every hour',
	360: 'Every 6 hours',
	1440: 'Every day',
};

export class LibrarySyncSettingTab extends PluginSettingTab {
	constructor(
		app: App,
		private readonly host: Plugin & SettingsHost,
	) {
		super(app, host);
	}

	override display(): void {
		const { containerEl } = this;
		containerEl.empty();
		addConnectionSettings(containerEl, this.app, this.settings, (change) => this.save(change));
		this.notes(containerEl);
		this.library(containerEl);
		addPropertySettings(containerEl, this.settings, (change) => {
			this.save(change);
			this.display();
		});
		this.schedule(containerEl);
		this.advanced(containerEl);
	}

	private get settings(): Settings {
		return this.host.syncSettings;
	}

	/** Applies a change at once and saves it in the background. */
	private save(change: Partial<Settings>): void {
		Object.assign(this.host.syncSettings, change);
		void this.host.saveSettings();
	}

	private notes(containerEl: HTMLElement): void {
		const group = new SettingGroup(containerEl).setHeading('Notes');
		group.addSetting((setting) => {
			setting
				.setName('Folder')
				.setDesc('New notes go here. Notes you move elsewhere are still found and updated.')
				.addText((text) => {
					text.setValue(this.settings.folder).onChange((value) => {
						if (value.trim() !== '') this.save({ folder: value.trim() });
					});
					new FolderSuggest(this.app, text.inputEl, (path) => this.save({ folder: path }));
				});
		});
		group.addSetting((setting) => {
			const preview = createDiv({ cls: 'library-sync-preview' });
			const show = (template: string): void => {
				preview.setText(`Example: ${fileBaseName(EXAMPLE_BOOK, template)}.md`);
			};
			setting
				.setName('File name template')
				.setDesc('Placeholders: {{title}}, {{author}}, {{series}}, {{seriesIndex}}, {{publishedYear}}, {{isbn13}}, {{id}}.')
				.addText((text) =>
					text.setValue(this.settings.fileNameTemplate).onChange((value) => {
						show(value);
						if (value.trim() !== '') this.save({ fileNameTemplate: value });
					}),
				);
			setting.descEl.appendChild(preview);
			show(this.settings.fileNameTemplate);
		});
		group.addSetting((setting) => {
			setting
				.setName('Keep file names in sync')
				.setDesc('Rename a note when its book is retitled. Names you chose yourself are never changed.')
				.addToggle((toggle) => toggle.setValue(this.settings.keepFileNamesInSync).onChange((value) => this.save({ keepFileNamesInSync: value })));
		});
		group.addSetting((setting) => {
			const status = createDiv({ cls: 'library-sync-warning' });
			setting
				.setName('Time zone')
				.setDesc('Dates and times in the notes are written in this zone, the same on every device.')
				.addText((text) =>
					text.setPlaceholder('UTC').setValue(this.settings.timeZone).onChange((value) => {
						try {
							assertTimeZone(value.trim());
							status.setText('');
							this.save({ timeZone: value.trim() });
						} catch {
							status.setText('Not a time zone name from the time zone database.');
						}
					}),
				)
				.addExtraButton((button) =>
					button
						.setIcon('locate')
						.setTooltip('Use this device\'s time zone')
						.onClick(() => {
							this.save({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
							this.display();
						}),
				);
			setting.descEl.appendChild(status);
		});
		group.addSetting((setting) => {
			setting
				.setName('Tag prefix')
				.setDesc('Put the server\'s tags under this tag, for example book gives book/science-fiction. Leave empty for none.')
				.addText((text) =>
					text.setValue(this.settings.tagPrefix).onChange((value) => this.save({ tagPrefix: value.trim().replace(/^#+/, '').replace(/\/+$/, '') })),
				);
		});
		group.addSetting((setting) => {
			setting
				.setName('Genres as tags')
				.setDesc('Add the genres to the tags as well.')
				.addToggle((toggle) => toggle.setValue(this.settings.genresAsTags).onChange((value) => this.save({ genresAsTags: value })));
		});
		const links: Array<[keyof Settings & ('linkAuthor' | 'linkSeries' | 'linkPublisher' | 'linkGenres'), string]> = [
			['linkAuthor', 'Link authors'],
			['linkSeries', 'Link series'],
			['linkPublisher', 'Link publishers'],
			['linkGenres', 'Link genres'],
		];
		for (const [key, name] of links) {
			group.addSetting((setting) => {
				setting
					.setName(name)
					.setDesc('Write the property as a link to a note of that name.')
					.addToggle((toggle) => toggle.setValue(this.settings[key]).onChange((value) => this.save({ [key]: value })));
			});
		}
	}

	private library(containerEl: HTMLElement): void {
		const group = new SettingGroup(containerEl).setHeading('Library');
		group.addSetting((setting) => {
			setting
				.setName('Folder layout')
				.setDesc('Sub-folders for new notes inside the library folder, for example {{author}}/{{series}}. Leave empty to keep every note in the library folder.')
				.addText((text) => text.setPlaceholder('{{author}}').setValue(this.settings.folderTemplate).onChange((value) => this.save({ folderTemplate: value.trim() })));
		});
		group.addSetting((setting) => {
			setting
				.setName('Body template')
				.setDesc('A note whose text is the template of the generated part of each note. Leave empty for the built-in template.')
				.addText((text) => {
					text.setPlaceholder('Templates/Book.md').setValue(this.settings.bodyTemplateFile).onChange((value) => this.save({ bodyTemplateFile: value.trim() }));
				});
		});
		group.addSetting((setting) => {
			setting
				.setName('Recreate deleted notes')
				.setDesc('When off, a note you delete stays deleted until you run a full sync.')
				.addToggle((toggle) => toggle.setValue(this.settings.recreateDeletedNotes).onChange((value) => this.save({ recreateDeletedNotes: value })));
		});
		group.addSetting((setting) => {
			setting
				.setName('Archive folder')
				.setDesc('Notes of books that left the server are marked removed and, if you name a folder here, moved into it. Notes are never deleted.')
				.addText((text) => {
					text.setPlaceholder('Archive').setValue(this.settings.archiveFolder).onChange((value) => this.save({ archiveFolder: value.trim() }));
					new FolderSuggest(this.app, text.inputEl, (path) => this.save({ archiveFolder: path }));
				});
		});
		group.addSetting((setting) => {
			setting
				.setName('Download covers')
				.setDesc('Save each cover in a covers folder inside the library folder, so card views show it offline. When off, the cover property holds the address.')
				.addToggle((toggle) => toggle.setValue(this.settings.downloadCovers).onChange((value) => this.save({ downloadCovers: value })));
		});
		group.addSetting((setting) => {
			setting
				.setName('Covers from other servers')
				.setDesc('Also download and show covers hosted elsewhere (never with your token). When off, their addresses are kept as plain text in a separate property, which nothing loads.')
				.addToggle((toggle) => toggle.setValue(this.settings.coversFromOtherOrigins).onChange((value) => this.save({ coversFromOtherOrigins: value })));
		});
	}

	private schedule(containerEl: HTMLElement): void {
		const group = new SettingGroup(containerEl).setHeading('Schedule');
		group.addSetting((setting) => {
			setting
				.setName('Sync on startup')
				.setDesc('Quietly sync once Obsidian has started.')
				.addToggle((toggle) => toggle.setValue(this.settings.syncOnStartup).onChange((value) => this.save({ syncOnStartup: value })));
		});
		group.addSetting((setting) => {
			setting
				.setName('Sync automatically')
				.setDesc('Runs while Obsidian is open; after a pause (or on a phone, when the app comes back) it syncs if the last sync is older than this.')
				.addDropdown((dropdown) => {
					for (const minutes of SYNC_INTERVALS) dropdown.addOption(String(minutes), INTERVAL_LABELS[minutes]);
					dropdown.setValue(String(this.settings.syncIntervalMinutes)).onChange((value) => {
						const minutes = Number(value);
						const interval = SYNC_INTERVALS.find((candidate) => candidate === minutes);
						if (interval !== undefined) this.save({ syncIntervalMinutes: interval });
					});
				});
		});
		group.addSetting((setting) => {
			setting
				.setName('Sync on this device')
				.setDesc('Turn off on devices that should leave syncing to another device sharing this vault.')
				.addToggle((toggle) =>
					toggle.setValue(this.host.device.get().syncOnThisDevice).onChange((value) => {
						this.host.device.update({ syncOnThisDevice: value });
					}),
				);
		});
	}

	private advanced(containerEl: HTMLElement): void {
		const group = new SettingGroup(containerEl).setHeading('Advanced');
		const numberSetting = (name: string, desc: string, key: 'pageSize' | 'overlapMinutes' | 'requestTimeoutSeconds', min: number, max: number): void => {
			group.addSetting((setting) => {
				setting
					.setName(name)
					.setDesc(desc)
					.addText((text) => {
						text.inputEl.type = 'number';
						text.setValue(String(this.settings[key])).onChange((value) => {
							const number = Number(value);
							if (Number.isInteger(number) && number >= min && number <= max) this.save({ [key]: number });
						});
					});
			});
		};
		numberSetting('Page size', 'Books per request, 1 to 100.', 'pageSize', 1, 100);
		numberSetting('Overlap', 'Minutes each sync looks back before the last one, so that no change slips between two syncs.', 'overlapMinutes', 0, 1440);
		numberSetting('Request timeout', 'Seconds to wait for the server before trying again.', 'requestTimeoutSeconds', 5, 300);
		group.addSetting((setting) => {
			setting
				.setName('Reset sync state')
				.setDesc('Forget where the last sync stopped: the next sync checks every book. Notes are kept.')
				.addButton((button) =>
					button.setButtonText('Reset').onClick(() => {
						void this.host.controller.resetState().then(() => new Notice('Sync state reset.'));
					}),
				);
		});
	}
}

