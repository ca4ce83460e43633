import type { Plugin } from 'obsidian';
import { loadSettings, type LoadedSettings } from '../core/settings/load';
import type { Settings } from '../core/settings/schema';

/**
 * Settings in the plugin's data.json: loaded through `loadData` and the
 * shared pure loader (migrations, defaults, validation), saved with
 * `saveData`. A data.json that cannot be read or parsed gives the defaults
 * and a warning; it is not overwritten until the user saves.
 */
export class SettingsStore {
	constructor(private readonly plugin: Pick<Plugin, 'loadData' | 'saveData'>) {}

	async load(): Promise<LoadedSettings> {
		let raw: unknown;
		try {
			raw = await this.plugin.loadData();
		} catch {
			const loaded = loadSettings(null);
			return { settings: loaded.settings, warnings: ['The settings file could not be read; the defaults are used until you change a setting.'] };
		}
		return loadSettings(raw);
	}

	async save(settings: Settings): Promise<void> {
		await this.plugin.saveData({ ...settings, propertyNames: { ...settings.propertyNames } });
	}
}
