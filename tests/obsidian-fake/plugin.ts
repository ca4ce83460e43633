/**
 * Plugin: commands, ribbon icons, status bar items and setting tabs are
 * registered with the app and removed on unload. `loadData` reads
 * `<configDir>/plugins/<id>/data.json` (null when absent; a malformed file
 * rejects), `saveData` writes it. On mobile there is no status bar:
 * `addStatusBarItem` returns an element that is never attached to anything.
 */
import { Component, type ComponentRegistrationCounts } from './component';
import { newElement, type FakeElement } from './dom';
import { Platform } from './platform';
import type { FakeApp } from './app';
import type { PluginSettingTab } from './ui';

export interface FakePluginManifest {
	id: string;
	name: string;
	version: string;
	minAppVersion: string;
	description: string;
	author: string;
	authorUrl?: string;
	isDesktopOnly?: boolean;
	dir?: string;
}

export interface FakeCommand {
	id: string;
	name: string;
	icon?: string;
	hotkeys?: unknown[];
	callback?: () => unknown;
	checkCallback?: (checking: boolean) => boolean | void;
	editorCallback?: (...args: unknown[]) => unknown;
	editorCheckCallback?: (...args: unknown[]) => boolean | void;
	mobileOnly?: boolean;
}

export interface PluginRegistrationCounts extends ComponentRegistrationCounts {
	commands: number;
	ribbonIcons: number;
	statusBarItems: number;
	settingTabs: number;
	views: number;
}

export abstract class Plugin extends Component {
	app: FakeApp;
	manifest: FakePluginManifest;
	settings?: unknown;
	private readonly owned = { commands: new Set<string>(), ribbonIcons: new Set<FakeElement>(), statusBarItems: new Set<FakeElement>(), settingTabs: new Set<PluginSettingTab>(), views: new Set<string>() };

	constructor(app: FakeApp, manifest: FakePluginManifest) {
		super();
		this.app = app;
		this.manifest = manifest;
	}

	addCommand(command: FakeCommand): FakeCommand {
		const full = { ...command, id: `${this.manifest.id}:${command.id}`, name: `${this.manifest.name}: ${command.name}` };
		this.app.fake.commands.set(full.id, full);
		this.owned.commands.add(full.id);
		this.register(() => this.removeCommand(command.id));
		return full;
	}

	removeCommand(commandId: string): void {
		const full = `${this.manifest.id}:${commandId}`;
		this.app.fake.commands.delete(full);
		this.owned.commands.delete(full);
	}

	addRibbonIcon(icon: string, title: string, callback: (evt: unknown) => unknown): FakeElement {
		const el = this.app.fake.ribbonEl.createDiv({ cls: 'side-dock-ribbon-action', attr: { 'aria-label': title, 'data-icon': icon } });
		el.addEventListener('click', (evt) => callback(evt));
		this.owned.ribbonIcons.add(el);
		this.register(() => {
			el.remove();
			this.owned.ribbonIcons.delete(el);
		});
		return el;
	}

	addStatusBarItem(): FakeElement {
		if (Platform.isMobile) {
			this.app.fake.statusBarRequestsOnMobile++;
			return newElement('div');
		}
		const el = this.app.fake.statusBarEl.createDiv({ cls: ['status-bar-item', `plugin-${this.manifest.id}`] });
		this.owned.statusBarItems.add(el);
		this.register(() => {
			el.remove();
			this.owned.statusBarItems.delete(el);
		});
		return el;
	}

	addSettingTab(settingTab: PluginSettingTab): void {
		this.app.fake.settingTabs.push(settingTab);
		this.owned.settingTabs.add(settingTab);
		this.register(() => {
			settingTab.hide();
			this.app.fake.settingTabs = this.app.fake.settingTabs.filter((t) => t !== settingTab);
			this.owned.settingTabs.delete(settingTab);
		});
	}

	registerView(type: string, _viewCreator: unknown): void {
		this.owned.views.add(type);
		this.register(() => this.owned.views.delete(type));
	}

	registerExtensions(_extensions: string[], _viewType: string): void {}
	registerHoverLinkSource(_id: string, _info: unknown): void {}
	registerMarkdownPostProcessor(postProcessor: unknown): unknown {
		return postProcessor;
	}
	registerMarkdownCodeBlockProcessor(_language: string, handler: unknown): unknown {
		return handler;
	}
	registerEditorExtension(_extension: unknown): void {}
	registerObsidianProtocolHandler(_action: string, _handler: unknown): void {}
	registerEditorSuggest(_suggest: unknown): void {}
	onUserEnable(): void {}

	private dataPath(): string {
		const dir = this.manifest.dir ?? `${this.app.vault.configDir}/plugins/${this.manifest.id}`;
		return `${dir}/data.json`;
	}

	async loadData(): Promise<unknown> {
		const path = this.dataPath();
		if (!(await this.app.vault.adapter.exists(path))) return null;
		return JSON.parse(await this.app.vault.adapter.read(path)) as unknown;
	}

	async saveData(data: unknown): Promise<void> {
		await this.app.vault.adapter.write(this.dataPath(), JSON.stringify(data, null, 2));
	}

	override registrationCounts(): PluginRegistrationCounts {
		return {
			...super.registrationCounts(),
			commands: this.owned.commands.size,
			ribbonIcons: this.owned.ribbonIcons.size,
			statusBarItems: this.owned.statusBarItems.size,
			settingTabs: this.owned.settingTabs.size,
			views: this.owned.views.size,
		};
	}
}

/** Test helper: what a plugin still has registered (all zero after unload). */
export function registrationCounts(plugin: Plugin): PluginRegistrationCounts {
	return plugin.registrationCounts();
}
