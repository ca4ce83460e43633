import { normalizePath, TFile, TFolder, type App, type TAbstractFile } from 'obsidian';
import { throwIfCancelled } from '../core/cancel';
import { SyncError, toSyncError } from '../core/errors';
import { parentOf, safeVaultPath } from '../core/vault-path';
import { breather } from './breather';
import { ensureFolder } from './vault-folders';
import type { NoteStat, NoteStore } from '../core/ports';
import { readNoteId } from '../core/sync/merge';
import { addToIdIndex } from '../core/sync/note-index';

/**
 * NoteStore over the Vault API.
 *
 * - The id index comes from what the run itself read and wrote, else from
 *   the metadata cache; a note the cache has not indexed yet (written
 *   moments ago, or renamed: the cache is not updated on rename) is read
 *   with `cachedRead` and its id parsed from the text.
 * - `isTaken` compares the way the strictest file system does (case-folded,
 *   NFC), walking the live folder tree from the root with a per-folder table
 *   of folded names: built once per folder and run, kept up to date by this
 *   store's own creates and renames, and rebuilt whenever the folder's
 *   number of entries shows that someone else changed it. A library of
 *   10,000 notes costs one pass over the folder, not one per book.
 * - Writes go through `vault.process` (atomic) and renames through
 *   `fileManager.renameFile` (updates links); parent folders are created
 *   first, tolerating a folder that appears meanwhile (a sync service).
 */
export class VaultNoteStore implements NoteStore {
	/** Per folder: its entries by folded name, and how many entries it had when counted. */
	private readonly folded = new WeakMap<TFolder, { count: number; names: Map<string, TAbstractFile[]> }>();

	constructor(private readonly app: App) {}

	async buildIdIndex(idProperty: string, known: ReadonlyMap<string, string> = new Map(), signal?: AbortSignal): Promise<Map<string, string>> {
		const index = new Map<string, string>();
		const add = (id: string | undefined, path: string): void => addToIdIndex(index, id, path);
		const breathe = breather();
		for (const file of this.app.vault.getMarkdownFiles()) {
			await breathe();
			throwIfCancelled(signal);
			if (known.has(file.path)) {
				add(known.get(file.path), file.path);
				continue;
			}
			const cache = this.app.metadataCache.getFileCache(file);
			if (cache) {
				add(idFromValue(cache.frontmatter?.[idProperty]), file.path);
				continue;
			}
			try {
				add(readNoteId(await this.app.vault.cachedRead(file), idProperty), file.path);
			} catch {
				// The file vanished between listing and reading: it is not a note any more.
			}
		}
		return index;
	}

	async read(path: string): Promise<string | null> {
		const file = this.app.vault.getFileByPath(this.normal(path));
		if (!file) return null;
		try {
			return await this.app.vault.read(file);
		} catch (error) {
			if (!this.app.vault.getFileByPath(file.path)) return null;
			throw toSyncError(error, 'io', `Could not read "${file.path}"`);
		}
	}

	/**
	 * The size and time the vault keeps for the note (Obsidian refreshes them
	 * on every change it sees), or null. Async so that a refused path
	 * rejects, as every other call does.
	 */
	async stat(path: string): Promise<NoteStat | null> {
		const file = this.app.vault.getFileByPath(this.normal(path));
		return file ? { size: file.stat.size, mtime: file.stat.mtime } : null;
	}

	async isTaken(path: string): Promise<boolean> {
		const normal = this.normal(path);
		if (this.app.vault.getAbstractFileByPath(normal)) return true;
		const segments = normal.split('/').map(foldName);
		return this.matchesBelow(this.app.vault.getRoot(), segments);
	}

	/** Whether some entry under `folder` matches the folded segments (every case variant is tried). */
	private async matchesBelow(folder: TFolder, segments: string[]): Promise<boolean> {
		const [head, ...rest] = segments;
		if (head === undefined) return true;
		for (const child of await this.entriesNamed(folder, head)) {
			if (rest.length === 0 || (child instanceof TFolder && (await this.matchesBelow(child, rest)))) return true;
		}
		return false;
	}

	private async entriesNamed(folder: TFolder, folded: string): Promise<TAbstractFile[]> {
		let table = this.folded.get(folder);
		if (table === undefined || table.count !== folder.children.length) {
			// A folder of 30,000 notes is folded in slices, with the app's turn in between.
			const names = new Map<string, TAbstractFile[]>();
			const children = [...folder.children];
			const breathe = breather();
			for (const child of children) {
				await breathe();
				const key = foldName(child.name);
				const entries = names.get(key);
				if (entries) entries.push(child);
				else names.set(key, [child]);
			}
			table = { count: children.length, names };
			this.folded.set(folder, table);
		}
		return table.names.get(folded) ?? [];
	}

	/** Keeps the folded-name tables right after this store added or moved `file`. */
	private noteMoved(file: TAbstractFile, oldParent: TFolder | null): void {
		if (oldParent) {
			const table = this.folded.get(oldParent);
			if (table) {
				for (const [key, entries] of table.names) table.names.set(key, entries.filter((entry) => entry !== file));
				table.count = oldParent.children.length;
			}
		}
		const parent = file.parent;
		const table = parent ? this.folded.get(parent) : undefined;
		if (parent && table) {
			const key = foldName(file.name);
			table.names.set(key, [...(table.names.get(key) ?? []).filter((entry) => entry !== file), file]);
			table.count = parent.children.length;
		}
	}

	async create(path: string, content: string): Promise<void> {
		const normal = this.normal(path);
		if (await this.isTaken(normal)) throw new SyncError('io', `Could not create "${normal}": a file or folder with that name already exists.`);
		await ensureFolder(this.app.vault, parentOf(normal));
		try {
			this.noteMoved(await this.app.vault.create(normal, content), null);
		} catch (error) {
			throw toSyncError(error, 'io', `Could not create "${normal}"`);
		}
	}

	async process(path: string, modify: (current: string) => string): Promise<void> {
		const file = this.requireFile(path);
		// Skip the write when nothing changes: no modify event, no new mtime.
		// `modify` must therefore be pure: it may run twice.
		try {
			const current = await this.app.vault.read(file);
			if (modify(current) === current) return;
			await this.app.vault.process(file, modify);
		} catch (error) {
			throw toSyncError(error, 'io', `Could not update "${file.path}"`);
		}
	}

	async rename(from: string, to: string): Promise<void> {
		const file = this.requireFile(from);
		const target = this.normal(to);
		if (target === file.path) return;
		const caseOnly = foldName(target) === foldName(file.path);
		if (!caseOnly && (await this.isTaken(target))) {
			throw new SyncError('io', `Could not move "${file.path}" to "${target}": a file or folder with that name already exists.`);
		}
		await ensureFolder(this.app.vault, parentOf(target));
		const oldParent = file.parent;
		try {
			await this.app.fileManager.renameFile(file, target);
			this.noteMoved(file, oldParent);
		} catch (error) {
			throw toSyncError(error, 'io', `Could not move "${file.path}" to "${target}"`);
		}
	}

	/** The vault path Obsidian would use, refused when it could leave the vault or reach the config folder. */
	private normal(path: string): string {
		return safeVaultPath(path, normalizePath(path), this.app.vault.configDir);
	}

	private requireFile(path: string): TFile {
		const normal = this.normal(path);
		const file = this.app.vault.getFileByPath(normal);
		if (!file) throw new SyncError('io', `The note "${normal}" no longer exists.`);
		return file;
	}

}


function foldName(name: string): string {
	return name.normalize('NFC').toLowerCase();
}


function idFromValue(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}
