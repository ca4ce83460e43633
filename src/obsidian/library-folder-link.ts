/**
 * Whether the library folder (or the archive folder) leads outside the vault through a symbolic
 * link (or a junction), which a vault sync, git or an unpacked archive can
 * bring in: Obsidian follows such links, so every note would be written
 * out there. Only Obsidian's desktop adapter can tell: it carries Node's
 * `fs.promises` as `fsPromises` beside `getBasePath()` (outside the typed
 * API). On mobile, where a vault has no such links, the answer is "no".
 * A link to a folder inside the vault is fine.
 */

import { folderLinkedOut, type SyncError } from '../core/errors';
import { normaliseFolder } from '../core/vault-path';

/**
 * The sentence for the first folder a run writes in (the library folder,
 * then the archive folder when one is set) that leads out of the vault, or
 * undefined when none does: the one check before every run.
 */
export async function folderLeadingOut(adapter: unknown, settings: { folder: string; archiveFolder: string }): Promise<SyncError | undefined> {
	const folders: Array<['library' | 'archive', string]> = [['library', normaliseFolder(settings.folder)]];
	if (settings.archiveFolder.trim() !== '') folders.push(['archive', normaliseFolder(settings.archiveFolder)]);
	for (const [kind, folder] of folders) if (await leadsOutOfVault(adapter, folder)) return folderLinkedOut(kind, folder);
	return undefined;
}

interface DesktopAdapter {
	getBasePath(): string;
	getFullPath(normalizedPath: string): string;
	fsPromises: { realpath(path: string): Promise<string> };
}

function isDesktopAdapter(adapter: unknown): adapter is DesktopAdapter {
	const candidate = adapter as Partial<DesktopAdapter> | null;
	return typeof candidate?.getBasePath === 'function' && typeof candidate.getFullPath === 'function' && typeof candidate.fsPromises?.realpath === 'function';
}

/** True when the nearest existing part of `folder` (a vault path) lies outside the vault's real folder. */
export async function leadsOutOfVault(adapter: unknown, folder: string): Promise<boolean> {
	if (!isDesktopAdapter(adapter)) return false;
	const realpath = (path: string): Promise<string | undefined> => adapter.fsPromises.realpath(path).catch(() => undefined);
	const base = await realpath(adapter.getBasePath());
	if (base === undefined) return false;
	const parts = folder.split('/').filter((part) => part !== '');
	for (let depth = parts.length; depth > 0; depth--) {
		const real = await realpath(adapter.getFullPath(parts.slice(0, depth).join('/')));
		if (real === undefined) continue;
		const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
		return real !== base && !real.startsWith(base.endsWith(separator) ? base : `${base}${separator}`);
	}
	return false;
}
