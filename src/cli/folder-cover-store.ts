import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { SyncError } from '../core/errors';
import { coverIndexPath, parseCoverIndex, serialiseCoverIndex } from '../core/covers/cover-index';
import type { CoverIndex, CoverStore } from '../core/covers/ports';

/**
 * CoverStore over a plain folder (the vault's root). Every write goes to a
 * temporary file next to its target and is then renamed over it, so a crash
 * or a full disk never leaves half an image. Nothing outside the vault is
 * touched: paths that would leave it are refused, and so is a folder that
 * leads outside it through a symbolic link. The index is the JSON file
 * described in cover-index.ts, shared with the Obsidian plugin.
 */
export class FolderCoverStore implements CoverStore {
	private readonly root: string;

	constructor(root: string) {
		this.root = nodePath.resolve(root);
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
			await fs.mkdir(nodePath.dirname(target), { recursive: true });
			await this.assertRealFolderInside(nodePath.dirname(target), path);
			if (await sameBytes(target, bytes)) return;
			const temp = nodePath.join(nodePath.dirname(target), `.library-sync-${randomBytes(6).toString('hex')}.tmp`);
			try {
				await fs.writeFile(temp, bytes, { flag: 'wx' });
				await fs.rename(temp, target);
			} catch (error) {
				await fs.rm(temp, { force: true });
				throw error;
			}
		} catch (error) {
			throw ioError(path, error);
		}
	}

	/** The absolute path of a vault path, refusing anything that would leave the vault. */
	private absolute(path: string): string {
		const resolved = nodePath.resolve(this.root, ...path.split('/'));
		if (path.includes('\\') || (resolved !== this.root && !resolved.startsWith(this.root + nodePath.sep))) {
			throw new SyncError('io', `Refusing to touch "${path}": it is outside the vault.`);
		}
		return resolved;
	}

	/** A symbolic link inside the vault must not carry a write outside it. */
	private async assertRealFolderInside(folder: string, path: string): Promise<void> {
		const [realRoot, realFolder] = await Promise.all([fs.realpath(this.root), fs.realpath(folder)]);
		if (realFolder !== realRoot && !realFolder.startsWith(realRoot + nodePath.sep)) {
			throw new SyncError('io', `Refusing to write "${path}": its folder leads outside the vault.`);
		}
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

function ioError(path: string, error: unknown): SyncError {
	if (error instanceof SyncError) return error;
	const code = (error as { code?: unknown } | null)?.code;
	const reason = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : typeof code === 'string' ? code : 'unknown error';
	return new SyncError('io', `Could not write "${path}": ${reason}.`, { cause: error });
}
