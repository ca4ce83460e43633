import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { normaliseBaseUrl } from '../core/api/sync-url';
import { SyncError } from '../core/errors';
import { loadSettings } from '../core/settings/load';
import type { Settings } from '../core/settings/schema';
import { templateFromNote } from '../core/render/template';
import { engineConfigFrom } from '../core/settings/to-engine';
import type { EngineConfig } from '../core/sync/engine';
import type { SyncArgs } from './args';
import { fileError, fileErrorCode } from './file-errors';

/** Set by the build (esbuild `define`); undefined when run from source. */
declare const LIBRARY_SYNC_VERSION: string | undefined;
const PLUGIN_ID = 'library-sync';

export interface CliPaths {
	vault: string;
	pluginDir: string;
	settingsFile: string;
	stateFile: string;
	lockFile: string;
}

/** Where the plugin keeps its files in a vault; `configDir` is the vault's configuration folder (the CLI has no app to ask for `vault.configDir`). */
export function cliPaths(vault: string, configDir: string): CliPaths {
	const root = nodePath.resolve(vault);
	const pluginDir = nodePath.join(root, configDir, 'plugins', PLUGIN_ID);
	return {
		vault: root,
		pluginDir,
		settingsFile: nodePath.join(pluginDir, 'data.json'),
		stateFile: nodePath.join(pluginDir, 'cli-state.json'),
		lockFile: nodePath.join(pluginDir, 'cli.lock'),
	};
}

/**
 * The plugin's settings from the vault, when the plugin is installed there,
 * so that the CLI writes the same notes as the plugin. Missing: defaults.
 */
export async function readVaultSettings(paths: CliPaths): Promise<{ settings: Settings; warnings: string[] }> {
	let text: string;
	try {
		text = await fs.readFile(paths.settingsFile, 'utf8');
	} catch (error) {
		if (fileErrorCode(error) === 'ENOENT') return loadSettings(null);
		throw fileError('read the plugin settings', paths.settingsFile, error);
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return { ...loadSettings(null), warnings: [`Ignoring ${paths.settingsFile}: it is not valid JSON.`] };
	}
	return loadSettings(raw);
}

/** Flags over the vault's settings over the defaults. */
export function cliEngineConfig(args: SyncArgs, settings: Settings, token: string | undefined, bodyTemplate?: string): { config: EngineConfig; settings: Settings } {
	const server = args.server ?? settings.serverUrl;
	if (!server) {
		throw new SyncError('config', 'Say which library server to sync from: --server <base-url>.');
	}
	const merged: Settings = {
		...settings,
		serverUrl: normaliseBaseUrl(server),
		folder: args.folder ?? settings.folder,
		timeZone: args.timeZone ?? settings.timeZone,
		fileNameTemplate: args.template ?? settings.fileNameTemplate,
		authHeader: args.authHeader ?? settings.authHeader,
		pageSize: args.limit ?? settings.pageSize,
		requestTimeoutSeconds: args.timeoutSeconds ?? settings.requestTimeoutSeconds,
	};
	if (args.noCovers) merged.downloadCovers = false;
	const config = engineConfigFrom(merged, { mode: args.full ? 'full' : 'incremental', dryRun: args.dryRun, token, userRequested: true, allowMassRemoval: args.confirmRemovals, bodyTemplate });
	config.appVersion = typeof LIBRARY_SYNC_VERSION === 'string' ? LIBRARY_SYNC_VERSION : 'dev';
	return { config, settings: merged };
}

/** The body template note's text, when the settings name one; a missing note is a config error. */
export async function readBodyTemplate(paths: CliPaths, settings: Settings): Promise<string | undefined> {
	if (settings.bodyTemplateFile === '') return undefined;
	const file = nodePath.resolve(paths.vault, ...settings.bodyTemplateFile.split('/'));
	if (!file.startsWith(paths.vault + nodePath.sep)) {
		throw new SyncError('config', `The body template "${settings.bodyTemplateFile}" is outside the vault.`);
	}
	try {
		return templateFromNote(await fs.readFile(file, 'utf8'));
	} catch {
		throw new SyncError('config', `The body template note "${settings.bodyTemplateFile}" could not be read; check the path in the settings.`);
	}
}
