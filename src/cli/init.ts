import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { normaliseBaseUrl } from '../core/api/sync-url';
import { SyncError } from '../core/errors';
import { loadSettings } from '../core/settings/load';
import { DEFAULT_SETTINGS } from '../core/settings/schema';
import type { InitArgs } from './args';
import type { CliPaths } from './config';
import { fileErrorCode } from './vault-files';
import { VaultRoot } from './vault-root';

/**
 * `library-sync init`: writes the settings file the plugin would write for
 * this vault (every key, defaults for what the command line does not give),
 * so that a CLI-only user never hand-writes data.json. Never overwrites one.
 * Returns the vault path of the file written.
 */
export async function initSettings(args: InitArgs, paths: CliPaths): Promise<string> {
	const { settings, warnings } = loadSettings({
		...DEFAULT_SETTINGS,
		serverUrl: normaliseBaseUrl(args.server),
		...(args.folder === undefined ? {} : { folder: args.folder }),
		...(args.timeZone === undefined ? {} : { timeZone: args.timeZone }),
		...(args.authHeader === undefined ? {} : { authHeader: args.authHeader }),
	});
	// Only what the command line gave can be wrong here; say it rather than write a default in its place.
	if (warnings.length > 0) throw new SyncError('config', warnings[0] ?? 'A setting is not valid.');
	const root = new VaultRoot(paths.vault);
	const shown = root.shown(paths.settingsFile);
	await root.makeFolder(nodePath.dirname(paths.settingsFile), shown);
	try {
		// The plugin saves through Obsidian's saveData, which writes JSON indented by two spaces.
		await fs.writeFile(paths.settingsFile, `${JSON.stringify(settings, null, 2)}`, { flag: 'wx' });
	} catch (error) {
		if (fileErrorCode(error) === 'EEXIST') {
			throw new SyncError('config', `${shown} already exists; init never overwrites settings (edit that file, or delete it to start again).`);
		}
		throw error;
	}
	return shown;
}
