import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { SyncError } from '../core/errors';
import { coverIndexPath, parseCoverIndex, serialiseCoverIndex } from '../core/covers/cover-index';
import type { CoverIndex, CoverStore } from '../core/covers/ports';
import { fileError, writeTempBeside } from './vault-files';
import { VaultRoot } from './vault-root';

/**
 * CoverStore over a plain folder (the vault's root). Every write goes to a
 * temporary file next to its target and is then renamed over it, so a crash
 * or a full disk never leaves half an image. Nothing outside the vault is
 * touched: paths that would leave it are refused, and so is a folder that
 * leads outside it through a symbolic link (vault-root.ts). The index is the JSON file
 * described in cover-index.ts, shared with the Obsidian plugin.
 */
export class FolderCoverStore implements CoverStore {
	private readonly root: VaultRoot;

	constructor(root: string) {
		this.root = new VaultRoot(root);
	}

	async exists(path: string): Promise<boolean> {
		try {
			return (await fs.stat(this.absolute(path))).isFile();
		} catch (error) {
			if (error instanceof SyncError) throw error;
			return false;
		}
	}

	async writeBinary(path: string, bytes: Uint8Array): Promise<void> {
		await this.writeFile(path, bytes);
	}

	async readIndex(coversFolder: string): Promise<CoverIndex> {
		try {
			return parseCoverIndex(await fs.readFile(this.absolute(coverIndexPath(coversFolder)), 'utf8'));
		} catch (error) {
			if (error instanceof SyncError) throw error;
			return {};
		}
	}

	async writeIndex(coversFolder: string, index: CoverIndex): Promise<void> {
		await this.writeFile(coverIndexPath(coversFolder), new TextEncoder().encode(serialiseCoverIndex(index)));
	}

	/** Writes atomically, and not at all when the file already holds these bytes. */
	private async writeFile(path: string, bytes: Uint8Array): Promise<void> {
		const target = this.absolute(path);
		try {
			await this.root.makeFolder(nodePath.dirname(target), path);
			if (await sameBytes(target, bytes)) return;
			const temp = await writeTempBeside(target, bytes);
			try {
				await fs.rename(temp, target);
			} catch (error) {
				await fs.rm(temp, { force: true });
				throw error;
			}
		} catch (error) {
			throw fileError('write', path, error);
		}
	}

	/** The absolute path of a vault path, refusing anything that would leave the vault (a backslash too). */
	private absolute(path: string): string {
		return this.root.resolve(path);
	}
}

async function sameBytes(target: string, bytes: Uint8Array): Promise<boolean> {
	try {
		const stat = await fs.stat(target);
		if (!stat.isFile() || stat.size !== bytes.byteLength) return false;
		return Buffer.compare(await fs.readFile(target), bytes) === 0;
	} catch {
		return false;
	}
}
