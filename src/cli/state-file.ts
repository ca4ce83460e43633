import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { StateStore, SyncState } from '../core/ports';
import { cleanState, stateText } from '../core/sync/state';
import { VaultRoot } from './vault-root';
import { fileError } from './file-errors';

/**
 * The CLI's per-machine sync state, a JSON file in the plugin's folder of
 * the vault's config folder. Written atomically; a damaged file is read as
 * "no state" (the next run is a full walk, which is safe). Never written
 * outside `root` (the vault), whatever link is on the way.
 */
export class StateFile implements StateStore {
	constructor(
		private readonly path: string,
		private readonly root = new VaultRoot(nodePath.dirname(path)),
	) {}

	async load(): Promise<SyncState> {
		let text: string;
		try {
			text = await fs.readFile(this.path, 'utf8');
		} catch {
			return {};
		}
		try {
			return cleanState(JSON.parse(text));
		} catch {
			return {};
		}
	}

	/** Written in pieces (a large library's state is megabytes), to a temporary file moved into place. */
	async save(state: SyncState): Promise<void> {
		const temp = `${this.path}.${process.pid}.tmp`;
		try {
			await this.root.makeFolder(nodePath.dirname(this.path), this.root.shown(this.path));
			const file = await fs.open(temp, 'w');
			try {
				for (const piece of stateText(state)) await file.write(piece, null, 'utf8');
			} finally {
				await file.close();
			}
			await fs.rename(temp, this.path);
		} catch (error) {
			await fs.rm(temp, { force: true });
			throw fileError('save the sync state to', this.path, error);
		}
	}
}
