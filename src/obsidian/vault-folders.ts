import { TFolder, type Vault } from 'obsidian';
import { SyncError, toSyncError } from '../core/errors';
import { parentOf } from '../core/vault-path';

/**
 * Creates `path` and its missing ancestors. `createFolder` rejects when
 * anything is at the path, and a sync service may create the same folder
 * at the same moment: a folder that appears meanwhile is fine.
 */
export async function ensureFolder(vault: Vault, path: string): Promise<void> {
	if (path === '' || path === '/') return;
	const existing = vault.getAbstractFileByPath(path);
	if (existing instanceof TFolder) return;
	if (existing) throw new SyncError('io', `Could not create the folder "${path}": a file has that name.`);
	await ensureFolder(vault, parentOf(path));
	try {
		await vault.createFolder(path);
	} catch (error) {
		if (vault.getAbstractFileByPath(path) instanceof TFolder) return;
		throw toSyncError(error, 'io', `Could not create the folder "${path}"`);
	}
}
