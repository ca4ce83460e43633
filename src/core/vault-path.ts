import { SyncError } from './errors';

/**
 * Vault-relative paths: '/'-separated, no leading or trailing slash, no
 * empty, '.' or '..' segment. The library folder comes from the user's
 * settings; everything under it from sanitised server data.
 */
export function normaliseFolder(folder: string): string {
	const segments = folder
		.replace(/\\/g, '/')
		.split('/')
		.map((segment) => segment.trim())
		.filter((segment) => segment !== '' && segment !== '.');
	if (segments.some((segment) => segment === '..')) {
		throw new SyncError('config', `The library folder "${folder}" must stay inside the vault (no "..").`);
	}
	return segments.join('/');
}

export function joinPath(folder: string, name: string): string {
	return folder === '' ? name : `${folder}/${name}`;
}

export function parentOf(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? '' : path.slice(0, slash);
}

/** The file name without folder and without the `.md` extension. */
export function baseNameOf(path: string): string {
	const name = path.slice(path.lastIndexOf('/') + 1);
	return name.toLowerCase().endsWith('.md') ? name.slice(0, -3) : name;
}

/** True when `path` is `folder` itself or lies below it. */
export function isInside(path: string, folder: string): boolean {
	return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/**
 * True when `path` is a plain note path inside `folder` (normalised): '/'
 * separators, no empty, '.', '..' or hidden segment, no backslash, ending in
 * `.md`. For paths read back from storage (the state's hints), which are
 * never trusted.
 */
export function isNotePathIn(path: string, folder: string): boolean {
	if (path.includes('\\') || !path.toLowerCase().endsWith('.md') || !isInside(path, folder)) return false;
	return path.split('/').every((segment) => segment !== '' && segment !== '..' && !segment.startsWith('.'));
}

/**
 * The plugin's containment check, for every path handed to the vault API:
 * `path` as the core gave it (no backslash: the core's own paths never hold
 * one) and `normal`, what Obsidian's normalizePath made of it, which must
 * have no empty, '.' or '..' segment and must not be, or lie in, the config
 * folder. Returns `normal`.
 */
export function safeVaultPath(path: string, normal: string, configDir: string): string {
	const segments = normal.split('/');
	if (path.includes('\\') || normal === '/' || segments.some((segment) => segment === '' || segment === '.' || segment === '..') || isInside(normal, configDir)) {
		throw new SyncError('io', `Refusing to touch "${normal}": it is not a path inside the vault.`);
	}
	return normal;
}
