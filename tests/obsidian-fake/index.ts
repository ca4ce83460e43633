/**
 * A faithful fake of the Obsidian API for tests. Importing this module gives
 * both the pieces of `require('obsidian')` (so `vi.mock('obsidian', ...)` can
 * return it) and the test helpers (createFakeApp, loadPluginBundle, ...).
 */
export * from './module';
export { FakeEvents as Events, type FakeEventRef } from './events';
export { Component, type ComponentRegistrationCounts } from './component';
export { Plugin, registrationCounts, type FakePluginManifest, type FakeCommand, type PluginRegistrationCounts } from './plugin';
export { TAbstractFile, TFile, TFolder, type FakeFileStats } from './files';
export { FakeVault, FakeVault as Vault, FakeDataAdapter, type FakeVaultOptions, type NodeStyleError } from './vault';
export { FakeMetadataCache, FakeMetadataCache as MetadataCache, computeMetadata, type FakeCachedMetadata } from './metadata-cache';
export { FakeFileManager, FakeFileManager as FileManager } from './file-manager';
export { FakeApp, FakeApp as App, FakeWorkspace, FakeSecretStorage, LOCAL_STORAGE_QUOTA, type FakeControls } from './app';
export { normalizePath } from './normalize-path';
export { requestUrl, request, requestLog, fetchTransport, setRequestTransport, type RequestTransport, type FakeRequestUrlParam, type FakeRequestUrlResponse } from './request-url';
export { nodeTransport } from './request-node';
export { Platform, setPlatform, type FakePlatformKind } from './platform';
export { getFrontMatterInfo, parseYaml, stringifyYaml } from './frontmatter';
export { FakeElement, FakeWindow, FakeDocument, installFakeGlobals, fakeWindow, createFragment } from './dom';
export * from './ui';
export { loadPluginBundle, type LoadedPlugin, type LoadPluginOptions } from './load-plugin';

import { createFakeApp as createApp, type CreateFakeAppOptions as AppOptions, type FakeApp } from './app';
import { folderMirror } from './node-mirror';
import { nodeTransport } from './request-node';
import { setRequestTransport } from './request-url';

// Node tests reach the reference server through node:http (Obsidian's own
// transport keeps the server's header casing on iOS, which fetch cannot).
setRequestTransport(nodeTransport);

export interface CreateFakeAppOptions extends AppOptions {
	/** Back the vault by this real folder (files already in it are loaded). */
	vaultDir?: string;
}

/** A fake app for Node tests, optionally backed by a real folder. */
export function createFakeApp(options: CreateFakeAppOptions = {}): FakeApp {
	const { vaultDir, ...rest } = options;
	return createApp({ ...rest, mirror: vaultDir === undefined ? rest.mirror : folderMirror(vaultDir) });
}

/**
 * Test helper: writes `data` as the plugin's data.json behind its back (a
 * sync service did it) and calls `onExternalSettingsChange`, as Obsidian does.
 */
export async function simulateExternalSettingsChange(app: FakeApp, pluginId: string, data: unknown): Promise<void> {
	const plugin = app.fake.plugins.get(pluginId);
	const dir = plugin?.manifest.dir ?? `${app.vault.configDir}/plugins/${pluginId}`;
	await app.vault.adapter.write(`${dir}/data.json`, JSON.stringify(data, null, 2));
	const hook = (plugin as { onExternalSettingsChange?: () => unknown } | undefined)?.onExternalSettingsChange;
	await hook?.call(plugin);
}
