import { Notice, type Plugin } from 'obsidian';
import type { SyncController } from '../obsidian/sync-controller';
import { ReportModal } from './report-modal';

/** The palette commands (no default hotkeys) and the ribbon icon. */
export function registerCommands(plugin: Plugin, controller: SyncController): void {
	const sync = (mode: 'incremental' | 'full'): void => {
		if (controller.isRunning) {
			new Notice('A library sync is already running.');
			return;
		}
		void controller.run(mode, 'manual');
	};

	plugin.addCommand({ id: 'sync', name: 'Sync library', callback: () => sync('incremental') });
	plugin.addCommand({ id: 'sync-full', name: 'Sync library (full)', callback: () => sync('full') });
	plugin.addCommand({
		id: 'cancel',
		name: 'Cancel sync',
		checkCallback: (checking) => {
			if (!controller.isRunning) return false;
			if (!checking) controller.cancel();
			return true;
		},
	});
	plugin.addCommand({
		id: 'reset-state',
		name: 'Reset sync state',
		callback: async () => {
			await controller.resetState();
			new Notice('Sync state reset: the next sync checks every book. Your notes are untouched.');
		},
	});
	plugin.addCommand({
		id: 'show-report',
		name: 'Show last sync report',
		callback: () => new ReportModal(plugin.app, controller.lastReport).open(),
	});
	plugin.addCommand({
		id: 'create-library-view',
		name: 'Create library view',
		callback: async () => {
			try {
				const result = await controller.createLibraryView();
				new Notice(result.created ? `Created ${result.path}.` : `${result.path} is already there; it was left as it is.`);
				await plugin.app.workspace.openLinkText(result.path, '', false);
			} catch (error) {
				new Notice(`The library view could not be created: ${error instanceof Error ? error.message : String(error)}`);
			}
		},
	});
	plugin.addRibbonIcon('library', 'Sync library', () => sync('incremental'));
}
