import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { SyncError, folderLinkedOut } from '../core/errors';
import { fileErrorCode } from './vault-files';

/**
 * The CLI's one containment check, shared by every store that writes
 * (notes, covers, Library.base, the state, the lock): a vault path must
 * stay inside the vault on paper (no `..`, no absolute path, no backslash)
 * and on disk: the real path of every folder a file is written in, or
 * moved out of, lies inside the vault's real path, so a symbolic link or a
 * junction on the way (from git, a sync service, an unpacked archive)
 * never carries a write elsewhere. Folders are made one level at a time,
 * each checked before anything is made inside it; `mkdir -p` would follow
 * a link and make folders outside first.
 *
 * A folder checked once is trusted for the rest of the run: a link swapped
 * in mid-run, between the check and the write, is not caught (Node has no
 * `openat`).
 */
export class VaultRoot {
	readonly path: string;
	private realRoot: string | undefined;
	/** Absolute folders known to exist inside the vault's real path. */
	private readonly inside = new Set<string>();

	constructor(root: string) {
		this.path = nodePath.resolve(root);
	}

	/** The absolute path of a vault path, refusing one that would leave the vault on paper. */
	resolve(path: string): string {
		const resolved = path.includes('\\') ? undefined : nodePath.resolve(this.path, ...path.split('/'));
		if (resolved === undefined || (resolved !== this.path && !resolved.startsWith(this.path + nodePath.sep))) {
			throw new SyncError('io', `Refusing to touch "${path}": it is outside the vault.`);
		}
		return resolved;
	}

	/** The vault path of an absolute path below the root, for messages. */
	shown(absolute: string): string {
		return nodePath.relative(this.path, absolute).split(nodePath.sep).join('/');
	}

	/**
	 * Throws unless `folder` (absolute, below the root) leads nowhere
	 * outside the vault: the nearest part of it that exists is inside the
	 * vault's real path. Creates nothing. `file` names the file in messages.
	 */
	async assertInside(folder: string, file: string): Promise<void> {
		if (this.inside.has(folder)) return;
		for (let existing = folder; ; existing = nodePath.dirname(existing)) {
			const real = await realOrUndefined(existing);
			if (real !== undefined) {
				await this.assertReal(real, file);
				if (existing === folder) this.inside.add(folder);
				return;
			}
			// Nothing of the vault exists yet: nothing can lead outside it.
			if (existing === this.path || nodePath.dirname(existing) === existing) return;
		}
	}

	/**
	 * Refuses, in one sentence, a library folder (vault path) that leads
	 * outside the vault through a link: checked before a run, so that no
	 * book is tried at all. A link to another folder inside the vault is fine.
	 */
	async assertLibraryFolder(folder: string): Promise<void> {
		try {
			await this.assertInside(this.resolve(folder), folder);
		} catch (error) {
			if (!(error instanceof SyncError)) throw error;
			throw folderLinkedOut('library', folder);
		}
	}

	/** Makes `folder` (absolute, below the root) and its missing parents, each checked before anything is made in it. */
	async makeFolder(folder: string, file: string): Promise<void> {
		if (this.inside.has(folder)) return;
		const missing: string[] = [];
		let existing = folder;
		while ((await realOrUndefined(existing)) === undefined && existing !== this.path) {
			missing.unshift(existing);
			existing = nodePath.dirname(existing);
		}
		// The vault's own folder may be new (a first sync into an empty place).
		if (existing === this.path) await fs.mkdir(this.path, { recursive: true });
		await this.assertReal(await fs.realpath(existing), file);
		for (const next of missing) {
			try {
				await fs.mkdir(next);
			} catch (error) {
				// A folder made meanwhile is fine; a link put there is checked next.
				if (fileErrorCode(error) !== 'EEXIST') throw error;
			}
			await this.assertReal(await fs.realpath(next), file);
		}
		this.inside.add(folder);
	}

	private async assertReal(real: string, file: string): Promise<void> {
		this.realRoot ??= await fs.realpath(this.path);
		const root = this.realRoot;
		const prefix = root.endsWith(nodePath.sep) ? root : root + nodePath.sep;
		if (real !== root && !real.startsWith(prefix)) {
			throw new SyncError('io', `Refusing to write "${file}": its folder leads outside the vault.`);
		}
	}
}

/** The real path, or undefined when nothing is there (a dangling link included). */
async function realOrUndefined(path: string): Promise<string | undefined> {
	try {
		return await fs.realpath(path);
	} catch (error) {
		if (fileErrorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}
