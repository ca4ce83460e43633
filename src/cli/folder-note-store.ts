import { lstatSync, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { setImmediate } from 'node:timers';
import { throwIfCancelled } from '../core/cancel';
import { SyncError } from '../core/errors';
import type { NoteStat, NoteStore } from '../core/ports';
import { nameKey } from '../core/render/file-name';
import { readNoteId } from '../core/sync/merge';
import { addToIdIndex } from '../core/sync/note-index';
import { parentOf } from '../core/vault-path';
import { NoteFiles } from './note-files';
import { fileError, fileErrorCode } from './vault-files';
import { VaultRoot } from './vault-root';

/** Notes read between two turns of the event loop while the id index is built (about 25 ms of reading). */
const SCAN_TURN = 256;

/** Folders Obsidian itself ignores: the config folder, the trash, any dot-folder. */
function isHidden(name: string): boolean {
	return name.startsWith('.');
}

/**
 * NoteStore over a plain folder (the vault's root). Every write goes to a
 * temporary file in the same folder first and is then moved into place, so
 * a crash or a full disk never leaves half a note (note-files.ts says
 * which thread reads and writes). No write ever lands outside the vault,
 * through a symbolic link or otherwise (vault-root.ts).
 */
export class FolderNoteStore implements NoteStore {
	private readonly root: VaultRoot;
	/** Per folder, the name keys of its entries: case-insensitive lookups at the cost of one readdir. */
	private readonly listings = new Map<string, Promise<Set<string>>>();
	private readonly files = new NoteFiles();

	constructor(root: string) {
		this.root = new VaultRoot(root);
	}

	async buildIdIndex(idProperty: string, known: ReadonlyMap<string, string> = new Map(), signal?: AbortSignal): Promise<Map<string, string>> {
		const files: string[] = [];
		await this.collectMarkdown('', files);
		const index = new Map<string, string>();
		for (const [i, path] of files.entries()) {
			// The reads are synchronous: a turn of the event loop now and then lets a cancel (Ctrl-C, SIGTERM) in.
			if (i % SCAN_TURN === 0) {
				throwIfCancelled(signal);
				await new Promise<void>((resolve) => setImmediate(resolve));
				throwIfCancelled(signal);
			}
			if (known.has(path)) {
				addToIdIndex(index, known.get(path), path);
				continue;
			}
			let text: string | null;
			try {
				text = this.files.read(this.absolute(path));
			} catch {
				continue; // unreadable: not a note sync can use
			}
			// null: vanished while we looked, not a note of ours.
			if (text !== null) addToIdIndex(index, readNoteId(text, idProperty), path);
		}
		return index;
	}

	async read(path: string): Promise<string | null> {
		try {
			return this.files.read(this.absolute(path));
		} catch (error) {
			throw fileError('read', path, error);
		}
	}

	/** Synchronous, like the reads: one system call, and a link is not followed (its own size and time never match a note's). */
	async stat(path: string): Promise<NoteStat | null> {
		let stats;
		try {
			stats = lstatSync(this.absolute(path), { throwIfNoEntry: false });
		} catch (error) {
			if (fileErrorCode(error) === 'ENOTDIR') return null;
			throw fileError('read', path, error);
		}
		return stats?.isFile() === true ? { size: stats.size, mtime: stats.mtimeMs } : null;
	}

	async isTaken(path: string): Promise<boolean> {
		const folder = parentOf(path);
		const names = await this.listing(folder);
		return names.has(nameKey(path.slice(path.lastIndexOf('/') + 1)));
	}

	async create(path: string, content: string): Promise<void> {
		if (await this.isTaken(path)) throw new SyncError('io', `A file already exists at "${path}".`);
		const target = this.absolute(path);
		try {
			await this.root.makeFolder(nodePath.dirname(target), path);
			// No note is ever overwritten by a create: the writer refuses an existing file.
			await this.files.create(target, content);
		} catch (error) {
			if (fileErrorCode(error) === 'EEXIST') throw new SyncError('io', `A file already exists at "${path}".`);
			throw fileError('create', path, error);
		}
		(await this.listing(parentOf(path))).add(nameKey(path.slice(path.lastIndexOf('/') + 1)));
	}

	async process(path: string, modify: (current: string) => string): Promise<void> {
		const current = await this.read(path);
		if (current === null) throw new SyncError('io', `The note "${path}" disappeared before it could be updated.`);
		const next = modify(current);
		if (next === current) return;
		const target = this.absolute(path);
		try {
			await this.root.assertInside(nodePath.dirname(target), path);
			await this.files.replace(target, next);
		} catch (error) {
			throw fileError('update', path, error);
		}
	}

	async rename(from: string, to: string): Promise<void> {
		const sameName = nameKey(from) === nameKey(to);
		if (!sameName && (await this.isTaken(to))) throw new SyncError('io', `A file already exists at "${to}".`);
		const source = this.absolute(from);
		const target = this.absolute(to);
		try {
			await this.root.assertInside(nodePath.dirname(source), from);
			await this.root.makeFolder(nodePath.dirname(target), to);
			await fs.rename(source, target);
		} catch (error) {
			throw fileError('rename', from, error);
		}
		(await this.listing(parentOf(from))).delete(nameKey(from.slice(from.lastIndexOf('/') + 1)));
		(await this.listing(parentOf(to))).add(nameKey(to.slice(to.lastIndexOf('/') + 1)));
	}

	private absolute(path: string): string {
		return this.root.resolve(path);
	}

	/** Cached as a promise: books written at once share one readdir and one set. */
	private listing(folder: string): Promise<Set<string>> {
		let names = this.listings.get(folder);
		if (names === undefined) {
			names = this.readListing(folder);
			this.listings.set(folder, names);
		}
		return names;
	}

	private async readListing(folder: string): Promise<Set<string>> {
		const names = new Set<string>();
		try {
			for (const entry of await fs.readdir(this.absolute(folder))) names.add(nameKey(entry));
		} catch (error) {
			if (fileErrorCode(error) !== 'ENOENT') {
				this.listings.delete(folder);
				throw fileError('list', folder, error);
			}
		}
		return names;
	}

	private async collectMarkdown(folder: string, into: string[]): Promise<void> {
		let entries;
		try {
			entries = await fs.readdir(this.absolute(folder), { withFileTypes: true });
		} catch (error) {
			if (fileErrorCode(error) === 'ENOENT') return;
			throw fileError('list', folder, error);
		}
		for (const entry of entries) {
			if (isHidden(entry.name)) continue;
			const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
			if (entry.isDirectory()) await this.collectMarkdown(path, into);
			else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) into.push(path);
		}
	}
}
