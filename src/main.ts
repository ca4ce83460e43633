import { Plugin } from 'obsidian';
import type { Settings } from './core/settings/schema';
import { DeviceStore } from './obsidian/device-store';
import { SyncScheduler } from './obsidian/scheduler';
import { SettingsStore } from './obsidian/settings-store';
import { SyncController } from './obsidian/sync-controller';
import { registerCommands } from './ui/commands';
import { SyncNotices } from './ui/notices';
import { LibrarySyncSettingTab } from './ui/settings-tab';
import { SyncStatusBar } from './ui/status-bar';

/** Lifecycle only: every piece of work lives in the adapters, the UI and the core. */
export default class LibrarySyncPlugin extends Plugin {
	syncSettings!: Settings;
	controller!: SyncController;
	device!: DeviceStore;
	private store!: SettingsStore;

	override async onload(): Promise<void> {
		this.store = new SettingsStore(this);
		const { settings, warnings } = await this.store.load();
		this.syncSettings = settings;
		for (const warning of warnings) console.warn(`Library Sync: ${warning}`);
		this.device = new DeviceStore(this.app);
		this.controller = new SyncController(this.app, () => this.syncSettings, this.device, async (change) => {
			this.syncSettings = { ...this.syncSettings, ...change };
			await this.store.save(this.syncSettings);
		});
		this.register(() => this.controller.dispose());

		registerCommands(this, this.controller);
		new SyncNotices(this, this.controller).attach();
		this.addSettingTab(new LibrarySyncSettingTab(this.app, this));

		const scheduler = new SyncScheduler(this, this.controller, () => this.syncSettings, this.device);
		this.app.workspace.onLayoutReady(() => {
			void new SyncStatusBar(this, this.controller, this.controller.state).attach();
			scheduler.start();
		});
	}

	async saveSettings(): Promise<void> {
		await this.store.save(this.syncSettings);
		// New settings may fix what made automatic runs pause (a rejected token).
		this.device.update({ authBlocked: false, consecutiveFailures: 0 });
	}

	override async onExternalSettingsChange(): Promise<void> {
		const { settings } = await this.store.load();
		this.syncSettings = settings;
		this.device.update({ authBlocked: false });
	}
}
