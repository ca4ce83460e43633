/**
 * App, Workspace and SecretStorage, and `createFakeApp`, which wires a fake
 * vault, metadata cache and file manager together and switches `Platform`.
 */
import { FakeEvents } from './events';
import { installGlobals, newElement, type FakeElement, type FakeWindow } from './dom';
import { FakeVault, type VaultMirror } from './vault';
import { FakeMetadataCache } from './metadata-cache';
import { FakeFileManager } from './file-manager';
import { setPlatform, type FakePlatformKind } from './platform';
import type { FakeCommand, Plugin } from './plugin';
import type { SettingTab } from './ui';

export class FakeWorkspace extends FakeEvents {
	layoutReady = false;
	containerEl = newElement('div');
	private readonly pending: (() => unknown)[] = [];

	onLayoutReady(callback: () => unknown): void {
		if (this.layoutReady) {
			callback();
			return;
		}
		this.pending.push(callback);
	}

	/** Test helper: every link the plugin asked to open, in order. */
	readonly opened: string[] = [];

	async openLinkText(linktext: string, _sourcePath: string, _newLeaf?: boolean): Promise<void> {
		await Promise.resolve();
		this.opened.push(linktext);
	}

	getActiveFile(): null {
		return null;
	}

	getLeavesOfType(_type: string): unknown[] {
		return [];
	}

	/** Test helper: the app finished loading its layout. */
	setLayoutReady(): void {
		if (this.layoutReady) return;
		this.layoutReady = true;
		for (const callback of this.pending.splice(0)) {
			try {
				callback();
			} catch (error) {
				console.error(error);
			}
		}
		this.trigger('layout-ready');
	}
}

const SECRET_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class FakeSecretStorage extends FakeEvents {
	private readonly secrets = new Map<string, string>();

	setSecret(id: string, secret: string): void {
		if (!SECRET_ID.test(id)) throw new Error(`Invalid secret ID: ${id}`);
		this.secrets.set(id, secret);
		this.trigger('changed', id);
	}

	getSecret(id: string): string | null {
		return this.secrets.get(id) ?? null;
	}

	listSecrets(): string[] {
		return [...this.secrets.keys()];
	}
}

/** Test-only controls and registries; not part of Obsidian's API. */
export interface FakeControls {
	platform: FakePlatformKind;
	window: FakeWindow;
	commands: Map<string, FakeCommand>;
	ribbonEl: FakeElement;
	statusBarEl: FakeElement;
	settingTabs: SettingTab[];
	/** How often a plugin asked for a status bar item on mobile, where there is none. */
	statusBarRequestsOnMobile: number;
	plugins: Map<string, Plugin>;
	/** The device's localStorage (shared between the vaults of one device). */
	localStorage: Map<string, string>;
	/** Runs a command by its full id (`plugin-id:command-id`). */
	runCommand(id: string): Promise<void>;
}

export class FakeApp {
	vault: FakeVault;
	metadataCache: FakeMetadataCache;
	fileManager: FakeFileManager;
	workspace = new FakeWorkspace();
	secretStorage = new FakeSecretStorage();
	keymap = {};
	scope = {};
	lastEvent: unknown = null;
	readonly appId: string;
	fake: FakeControls;

	constructor(vault: FakeVault, metadataCache: FakeMetadataCache, controls: FakeControls, appId: string) {
		this.vault = vault;
		this.metadataCache = metadataCache;
		this.fileManager = new FakeFileManager(vault, metadataCache);
		this.fake = controls;
		this.appId = appId;
	}

	isDarkMode(): boolean {
		return false;
	}

	/** Vault-scoped: the key is prefixed with this vault's app id; values are JSON. */
	loadLocalStorage(key: string): unknown {
		const raw = this.fake.localStorage.get(`${this.appId}-${key}`);
		if (raw === undefined) return null;
		try {
			return JSON.parse(raw) as unknown;
		} catch {
			return null;
		}
	}

	/** Throws Chromium's QuotaExceededError, storing nothing, when the device's vaults would go over LOCAL_STORAGE_QUOTA. */
	saveLocalStorage(key: string, data: unknown): void {
		const full = `${this.appId}-${key}`;
		const stored = this.fake.localStorage;
		if (data === null || data === undefined) {
			stored.delete(full);
			return;
		}
		const value = JSON.stringify(data);
		let used = full.length + value.length;
		for (const [other, text] of stored) if (other !== full) used += other.length + text.length;
		if (used > LOCAL_STORAGE_QUOTA) throw new DOMException(`Failed to execute 'setItem' on 'Storage': Setting the value of '${full}' exceeded the quota.`, 'QuotaExceededError');
		stored.set(full, value);
	}
}

/**
 * What one origin may keep in Chromium's localStorage, in UTF-16 code units
 * of keys and values (10 MiB): every vault of the app shares it, since they
 * all run at one origin.
 */
export const LOCAL_STORAGE_QUOTA = 5 * 1024 * 1024;

export interface CreateFakeAppOptions {
	/** A real folder behind the vault (index.ts makes one from `vaultDir`). */
	mirror?: VaultMirror;
	platform?: FakePlatformKind;
	vaultName?: string;
	/** Defaults to true on mobile, false on desktop (Linux). */
	caseInsensitiveFileSystem?: boolean;
	renameBehaviour?: 'stale' | 'move';
	indexDelayMs?: number;
	/** Share one device's localStorage between several fake apps. */
	localStorage?: Map<string, string>;
	/** Files present before the app started; indexed silently (a warm cache) unless `indexed: false`. */
	files?: Record<string, string>;
	indexed?: boolean;
	layoutReady?: boolean;
	now?: () => number;
}

export function createFakeApp(options: CreateFakeAppOptions = {}): FakeApp {
	const platform = options.platform ?? 'desktop';
	setPlatform(platform);
	const win = installGlobals();
	const name = options.vaultName ?? 'Fake vault';
	const vault = new FakeVault({
		mirror: options.mirror,
		name,
		caseInsensitiveFileSystem: options.caseInsensitiveFileSystem ?? platform !== 'desktop',
		now: options.now,
		desktop: platform === 'desktop',
	});
	const metadataCache = new FakeMetadataCache(vault, { renameBehaviour: options.renameBehaviour, indexDelayMs: options.indexDelayMs });
	const controls: FakeControls = {
		platform,
		window: win,
		commands: new Map(),
		ribbonEl: newElement('div'),
		statusBarEl: newElement('div'),
		settingTabs: [],
		statusBarRequestsOnMobile: 0,
		plugins: new Map(),
		localStorage: options.localStorage ?? new Map<string, string>(),
		async runCommand(id: string): Promise<void> {
			const command = controls.commands.get(id);
			if (!command) throw new Error(`fake app: no command ${id}`);
			if (command.checkCallback) {
				if (command.checkCallback(true) === false) throw new Error(`fake app: command ${id} is not available`);
				await Promise.resolve(command.checkCallback(false));
				return;
			}
			await Promise.resolve(command.callback?.());
		},
	};
	const appId = name.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'vault';
	const app = new FakeApp(vault, metadataCache, controls, appId);
	for (const [path, data] of Object.entries(options.files ?? {})) vault.seed(path, data);
	if (options.indexed !== false) metadataCache.indexAllSilently();
	if (options.layoutReady) app.workspace.setLayoutReady();
	return app;
}
