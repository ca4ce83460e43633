import { normalizePath, TFile, type App } from 'obsidian';
import { SyncError, toSyncError } from '../core/errors';
import { parentOf, safeVaultPath } from '../core/vault-path';
import { ensureFolder } from './vault-folders';
import { coverIndexPath, parseCoverIndex, serialiseCoverIndex } from '../core/covers/cover-index';
import type { CoverIndex, CoverStore } from '../core/covers/ports';

/**
 * CoverStore over the Vault API.
 *
 * - Images are written with `vault.createBinary` / `vault.modifyBinary`
 *   (never `vault.adapter`); identical bytes are not written again, so an
 *   unchanged cover fires no modify event and keeps its mtime.
 * - Folders are created first, tolerating one that appears meanwhile (a
 *   sync service creating the same folder).
 * - The index is the JSON file of cover-index.ts inside the covers folder,
 *   written with `vault.create` / `vault.process`. It lives in the vault,
 *   not in the device's local storage, because it describes files in the
 *   vault: a device that receives the covers through a sync service receives
 *   the index with them and does not download them again, and the CLI reads
 *   the same file.
 * - Paths that could leave the vault (`..`, however spelled) or reach the
 *   config folder are refused (safeVaultPath, shared with the note store).
 */
export class VaultCoverStore implements CoverStore {
	constructor(private readonly app: App) {}

	async exists(path: string): Promise<boolean> {
		return this.app.vault.getFileByPath(this.checked(path)) !== null;
	}

	async writeBinary(path: string, bytes: Uint8Array): Promise<void> {
		const normal = this.checked(path);
		const data = toArrayBuffer(bytes);
		const existing = this.app.vault.getAbstractFileByPath(normal);
		if (existing !== null && !(existing instanceof TFile)) throw new SyncError('io', `Could not write "${normal}": a folder has that name.`);
		try {
			if (existing instanceof TFile) {
				if (sameBytes(await this.app.vault.readBinary(existing), bytes)) return;
				await this.app.vault.modifyBinary(existing, data);
				return;
			}
			await ensureFolder(this.app.vault, parentOf(normal));
			try {
				await this.app.vault.createBinary(normal, data);
			} catch (error) {
				// "File already exists.": a sync service put it there since we looked.
				const appeared = this.app.vault.getFileByPath(normal);
				if (!appeared) throw error;
				await this.app.vault.modifyBinary(appeared, data);
			}
		} catch (error) {
			throw toSyncError(error, 'io', `Could not write "${normal}"`);
		}
	}

	async readIndex(coversFolder: string): Promise<CoverIndex> {
		const file = this.app.vault.getFileByPath(this.checked(coverIndexPath(coversFolder)));
		if (!file) return {};
		try {
			return parseCoverIndex(await this.app.vault.read(file));
		} catch {
			return {};
		}
	}

	async writeIndex(coversFolder: string, index: CoverIndex): Promise<void> {
		const normal = this.checked(coverIndexPath(coversFolder));
		const text = serialiseCoverIndex(index);
		try {
			let file = this.app.vault.getFileByPath(normal);
			if (!file) {
				await ensureFolder(this.app.vault, parentOf(normal));
				try {
					await this.app.vault.create(normal, text);
					return;
				} catch (error) {
					file = this.app.vault.getFileByPath(normal);
					if (!file) throw error;
				}
			}
			if ((await this.app.vault.read(file)) === text) return;
			await this.app.vault.process(file, () => text);
		} catch (error) {
			throw toSyncError(error, 'io', `Could not save the cover index "${normal}"`);
		}
	}

	/** The normalised path, refusing anything that could leave the vault or reach the config folder. */
	private checked(path: string): string {
		return safeVaultPath(path, normalizePath(path), this.app.vault.configDir);
	}

}

/** Exactly the bytes of the view (a Uint8Array may be a window on a larger buffer). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
	const copy = new Uint8Array(bytes.byteLength);
	copy.set(bytes);
	return copy.buffer;
}

function sameBytes(current: ArrayBuffer, bytes: Uint8Array): boolean {
	if (current.byteLength !== bytes.byteLength) return false;
	const view = new Uint8Array(current);
	for (let i = 0; i < view.length; i++) if (view[i] !== bytes[i]) return false;
	return true;
}


