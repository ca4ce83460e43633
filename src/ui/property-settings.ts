import { SettingGroup } from 'obsidian';
import { PROPERTY_KEYS, type PropertyKey } from '../core/render/options';
import type { Settings } from '../core/settings/schema';

const LABELS: Partial<Record<PropertyKey, string>> = {
	aliases: 'Aliases (the title, when the file name differs)',
	series_index: 'Position in the series',
	published_year: 'Year published',
	cover_url: 'Cover address Obsidian does not load (another server, not allowed)',
	library_status: 'Status in the library',
	possible_duplicate_of: 'Possible duplicate of',
	progress: 'Reading progress (0 to 100)',
	last_read: 'Last read',
	removed: 'Removed from the server (date)',
};

function currentName(settings: Settings, key: PropertyKey): string | null {
	const name = settings.propertyNames[key];
	return name === undefined ? key : name;
}

/**
 * The "Properties" section: every property can be renamed or left out
 * (the identity property cannot). A renamed property's old name is
 * remembered, so the next sync carries existing notes over.
 */
export function addPropertySettings(containerEl: HTMLElement, settings: Settings, save: (change: Partial<Settings>) => void): void {
	const group = new SettingGroup(containerEl).setHeading('Properties');
	group.addSetting((setting) => {
		setting
			.setName('Book ID property')
			.setDesc('Notes are found by this property wherever they are; it cannot be left out.')
			.addText((text) => {
				text.setValue(settings.idProperty).setDisabled(true);
			});
	});
	for (const key of PROPERTY_KEYS) {
		group.addSetting((setting) => {
			const name = currentName(settings, key);
			setting.setName(LABELS[key] ?? key.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase()));
			setting.addText((text) => {
				text.setPlaceholder(key).setValue(name ?? '').setDisabled(name === null);
				text.inputEl.addEventListener('change', () => {
					const next = text.getValue().trim();
					const before = currentName(settings, key);
					if (next === '' || next === before || /[\n\r:]/.test(next) || next === settings.idProperty) {
						text.setValue(before ?? '');
						return;
					}
					const retired = new Set(settings.retiredPropertyNames);
					if (before !== null) retired.add(before);
					retired.delete(next);
					save({ propertyNames: { ...settings.propertyNames, [key]: next === key ? undefined : next }, retiredPropertyNames: [...retired] });
				});
			});
			setting.addToggle((toggle) =>
				toggle
					.setTooltip('Write this property')
					.setValue(name !== null)
					.onChange((on) => {
						const names = { ...settings.propertyNames };
						const retired = new Set(settings.retiredPropertyNames);
						if (on) {
							delete names[key];
							retired.delete(key);
						} else {
							const before = currentName(settings, key);
							if (before !== null) retired.add(before);
							names[key] = null;
						}
						save({ propertyNames: names, retiredPropertyNames: [...retired] });
					}),
			);
		});
	}
}
