/**
 * The Vault: an in-memory tree (optionally mirrored to a real folder so a
 * test can inspect the files) that behaves like Obsidian's, errors included:
 *
 * - `create` rejects "File already exists." when anything is at the path,
 *   and an ENOENT error when the parent folder is missing.
 * - `createFolder` rejects "Folder already exists." when anything is there;
 *   missing ancestors are created (the adapter's mkdir is recursive).
 * - lookups are case-sensitive; with `caseInsensitiveFileSystem` (macOS,
 *   Windows, iOS, Android) creating a path that differs only in case from an
 *   existing one fails the way the file system would.
 * - `process(file, fn)`: `fn` is synchronous; read, fn and write happen with
 *   no other vault operation in between. It writes even when `fn` returns the
 *   text unchanged (pessimistic: callers must skip no-op writes themselves).
 * - `rename` does not update links (FileManager.renameFile does).
 * - events `create`, `modify`, `delete`, `rename` fire synchronously.
 * Dot-files and dot-folders (the config folder) are not part of the tree.
 *
 * No Node API is used here, so the same vault runs in the browser test's page;
 * a real folder behind the vault is a `VaultMirror` (node-mirror.ts) given by
 * the Node side.
 */
import { FakeEvents } from './events';
import { TAbstractFile, TFile, TFolder, type FakeFileStats } from './files';
import { normalizePath } from './normalize-path';

/** A folder behind the vault: every change is copied to it, and what it holds is loaded first. */
export interface VaultMirror {
	/** What is already there, parents before children (dot-paths included; the vault skips them). */
	load(): MirroredEntry[];
	/** The path as the file system would name it in an error. */
	absolute(path: string): string;
	/** Writes the file and stamps it with the vault's modification time, so a vault loaded from the folder later sees the same. */
	write(path: string, data: string | Uint8Array, mtime: number): void;
	mkdir(path: string): void;
	rename(from: string, to: string): void;
	remove(path: string): void;
	/** For the data adapter: reads text (throwing the file system's error), writes creating folders. */
	exists(path: string): boolean;
	readText(path: string): string;
	writeText(path: string, data: string): void;
	removeFile(path: string): void;
	/**
	 * The real folder and Node's `fs.promises`, which Obsidian's desktop
	 * FileSystemAdapter carries as `basePath` and `fsPromises` (outside its
	 * typed API; plugins use them). Absent in the browser and on mobile.
	 */
	fileSystem?: { basePath: string; fsPromises: unknown };
}

export interface MirroredEntry {
	path: string;
	folder: boolean;
	data?: string | Uint8Array;
	stat?: FakeFileStats;
}

export interface FakeVaultOptions {
	/** A real folder behind the vault (Node tests). */
	mirror?: VaultMirror;
	name?: string;
	configDir?: string;
	/** Simulate macOS/Windows/iOS/Android: paths that differ only in case collide. */
	caseInsensitiveFileSystem?: boolean;
	/** Milliseconds since the epoch for ctime/mtime; made strictly increasing. */
	now?: () => number;
	/** Desktop: the adapter is a FileSystemAdapter (base path, full paths, `fsPromises`). */
	desktop?: boolean;
}

/** What the metadata cache listens to (the app wires them). */
export interface VaultContentHooks {
	written(file: TFile): void;
	renamed(file: TAbstractFile, oldPath: string): void;
	deleted(file: TAbstractFile): void;
}

export interface NodeStyleError extends Error {
	code: string;
	errno: number;
	syscall: string;
	path: string;
}

function enoent(syscall: string, absolutePath: string): NodeStyleError {
	const error = new Error(`ENOENT: no such file or directory, ${syscall} '${absolutePath}'`) as NodeStyleError;
	error.code = 'ENOENT';
	error.errno = -2;
	error.syscall = syscall;
	error.path = absolutePath;
	return error;
}

function fold(path: string): string {
	return path.normalize('NFC').toLowerCase();
}

function parentPath(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? '/' : path.slice(0, slash);
}

function isHiddenPath(path: string): boolean {
	return path.split('/').some((segment) => segment.startsWith('.'));
}

const nodeSetImmediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

/**
 * Lets the current call stack finish, like the real (async) file system does:
 * a later task (setImmediate where there is one, else a MessageChannel
 * message, which a browser does not clamp the way it clamps timers).
 */
function tick(): Promise<void> {
	if (nodeSetImmediate) return new Promise((resolve) => nodeSetImmediate(resolve));
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resolve();
		};
		channel.port2.postMessage(null);
	});
}

export class FakeVault extends FakeEvents {
	readonly configDir: string;
	readonly adapter: FakeDataAdapter;
	private readonly root: TFolder;
	private readonly entries = new Map<string, TAbstractFile>();
	/** On a case-insensitive file system: how many entries have each folded path, so a collision is one lookup. */
	private readonly folded = new Map<string, number>();
	/** Text for notes; bytes for files written with the binary API (or loaded from disk as images). */
	private readonly contents = new Map<string, string | Uint8Array>();
	private readonly mirror: VaultMirror | undefined;
	private readonly name: string;
	private readonly caseInsensitive: boolean;
	private readonly now: () => number;
	private lastTime = 0;
	hooks: VaultContentHooks | undefined;
	/** Test helper: content writes (create, modify, process) per path. */
	readonly writeCounts = new Map<string, number>();

	constructor(options: FakeVaultOptions = {}) {
		super();
		this.mirror = options.mirror;
		this.name = options.name ?? 'Fake vault';
		this.configDir = options.configDir ?? '.obsidian';
		this.caseInsensitive = options.caseInsensitiveFileSystem ?? false;
		this.now = options.now ?? (() => Date.now());
		this.root = new TFolder(this, '/', null);
		this.index(this.root);
		this.adapter = new FakeDataAdapter(this.mirror, options.desktop === true ? this.mirror?.fileSystem : undefined);
		if (this.mirror) this.loadMirror(this.mirror);
	}

	getName(): string {
		return this.name;
	}

	getRoot(): TFolder {
		return this.root;
	}

	getAbstractFileByPath(path: string): TAbstractFile | null {
		return this.entries.get(normalizePath(path)) ?? null;
	}

	getFileByPath(path: string): TFile | null {
		const file = this.getAbstractFileByPath(path);
		return file instanceof TFile ? file : null;
	}

	getFolderByPath(path: string): TFolder | null {
		const folder = this.getAbstractFileByPath(path);
		return folder instanceof TFolder ? folder : null;
	}

	getAllLoadedFiles(): TAbstractFile[] {
		return [...this.entries.values()];
	}

	getAllFolders(includeRoot = false): TFolder[] {
		return [...this.entries.values()].filter((f): f is TFolder => f instanceof TFolder && (includeRoot || !f.isRoot()));
	}

	getFiles(): TFile[] {
		return [...this.entries.values()].filter((f): f is TFile => f instanceof TFile);
	}

	getMarkdownFiles(): TFile[] {
		return this.getFiles().filter((f) => f.extension === 'md');
	}

	static recurseChildren(root: TFolder, cb: (file: TAbstractFile) => unknown): void {
		cb(root);
		for (const child of root.children) {
			if (child instanceof TFolder) FakeVault.recurseChildren(child, cb);
			else cb(child);
		}
	}

	async create(path: string, data: string, options?: { ctime?: number; mtime?: number }): Promise<TFile> {
		return this.createEntry(path, data, options);
	}

	async createBinary(path: string, data: ArrayBuffer, options?: { ctime?: number; mtime?: number }): Promise<TFile> {
		return this.createEntry(path, new Uint8Array(data.slice(0)), options);
	}

	private async createEntry(path: string, data: string | Uint8Array, options?: { ctime?: number; mtime?: number }): Promise<TFile> {
		await tick();
		const normal = normalizePath(path);
		if (this.occupied(normal)) throw new Error('File already exists.');
		const parent = this.entries.get(parentPath(normal));
		if (!(parent instanceof TFolder)) throw enoent('open', this.absolute(normal));
		const time = this.tick();
		const file = new TFile(this, normal, parent, {
			ctime: options?.ctime ?? time,
			mtime: options?.mtime ?? time,
			size: byteLength(data),
		});
		this.attach(file, parent);
		this.contents.set(normal, data);
		this.countWrite(normal);
		this.mirrorWrite(normal, data, file.stat.mtime);
		this.trigger('create', file);
		this.hooks?.written(file);
		return file;
	}

	async createFolder(path: string): Promise<TFolder> {
		await tick();
		const normal = normalizePath(path);
		if (normal === '/' || this.occupied(normal)) throw new Error('Folder already exists.');
		return this.makeFolders(normal);
	}

	async read(file: TFile): Promise<string> {
		await tick();
		return this.readNow(file);
	}

	async cachedRead(file: TFile): Promise<string> {
		await tick();
		return this.readNow(file);
	}

	async modify(file: TFile, data: string, options?: { mtime?: number }): Promise<void> {
		await tick();
		this.writeNow(file, data, options?.mtime);
	}

	async modifyBinary(file: TFile, data: ArrayBuffer, options?: { mtime?: number }): Promise<void> {
		await tick();
		this.writeNow(file, new Uint8Array(data.slice(0)), options?.mtime);
	}

	async readBinary(file: TFile): Promise<ArrayBuffer> {
		await tick();
		const data = this.contents.get(file.path);
		if (data === undefined || this.entries.get(file.path) !== file) throw enoent('open', this.absolute(file.path));
		const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
		return bytes.slice().buffer;
	}

	async append(file: TFile, data: string): Promise<void> {
		await tick();
		this.writeNow(file, this.readNow(file) + data);
	}

	async process(file: TFile, fn: (data: string) => string, options?: { mtime?: number }): Promise<string> {
		await tick();
		// Read, transform and write in one synchronous step: nothing can interleave.
		const current = this.readNow(file);
		const next = fn(current);
		if (typeof next !== 'string') throw new TypeError('vault.process: fn must return a string synchronously');
		this.writeNow(file, next, options?.mtime);
		return next;
	}

	async rename(file: TAbstractFile, newPath: string): Promise<void> {
		await tick();
		const target = normalizePath(newPath);
		if (!this.entries.has(file.path) || this.entries.get(file.path) !== file) throw enoent('rename', this.absolute(file.path));
		const sameFileOtherCase = this.caseInsensitive && fold(target) === fold(file.path);
		if (target === file.path) return;
		if (!sameFileOtherCase && this.occupied(target)) throw new Error('Destination file already exists!');
		const parent = this.entries.get(parentPath(target));
		if (!(parent instanceof TFolder)) throw enoent('rename', this.absolute(target));
		if (file instanceof TFolder && (target + '/').startsWith(file.path + '/')) throw new Error('Cannot move a folder into itself.');
		const oldPath = file.path;
		this.mirrorRename(oldPath, target);
		this.detach(file);
		this.movePaths(file, target, parent);
		this.trigger('rename', file, oldPath);
		this.hooks?.renamed(file, oldPath);
	}

	async delete(file: TAbstractFile, _force?: boolean): Promise<void> {
		await tick();
		if (this.entries.get(file.path) !== file) throw enoent('unlink', this.absolute(file.path));
		this.mirrorDelete(file.path);
		this.removeTree(file);
	}

	async trash(file: TAbstractFile, _system: boolean): Promise<void> {
		await this.delete(file, true);
	}

	async copy<T extends TAbstractFile>(file: T, newPath: string): Promise<T> {
		if (!(file instanceof TFile)) throw new Error('fake vault: copying folders is not faked');
		return (await this.create(newPath, this.readNow(file))) as unknown as T;
	}

	getResourcePath(file: TFile): string {
		return `app://fake-id/${encodeURI(file.path)}`;
	}

	/** Test helper: the text of a file right now, without going through the async API. */
	peek(path: string): string | undefined {
		const data = this.contents.get(normalizePath(path));
		return data === undefined || typeof data === 'string' ? data : new TextDecoder().decode(data);
	}

	/**
	 * Test helper: puts a file into the vault without events, like a file
	 * that was there before the app started. Parent folders are created.
	 */
	seed(path: string, data: string, stat?: Partial<FakeFileStats>): TFile {
		const normal = normalizePath(path);
		const parent = this.makeFoldersSilently(parentPath(normal));
		const time = this.tick();
		const file = new TFile(this, normal, parent, {
			ctime: stat?.ctime ?? time,
			mtime: stat?.mtime ?? time,
			size: byteLength(data),
		});
		this.attach(file, parent);
		this.contents.set(normal, data);
		this.mirrorWrite(normal, data, file.stat.mtime);
		return file;
	}

	/** Test helper: fires `create` for every file and folder, as the vault does while loading. */
	emitLoadEvents(): void {
		for (const entry of this.entries.values()) if (entry !== this.root) this.trigger('create', entry);
	}

	private readNow(file: TFile): string {
		const data = this.contents.get(file.path);
		if (data === undefined || this.entries.get(file.path) !== file) throw enoent('open', this.absolute(file.path));
		return typeof data === 'string' ? data : new TextDecoder().decode(data);
	}

	private writeNow(file: TFile, data: string | Uint8Array, mtime?: number): void {
		if (this.entries.get(file.path) !== file) throw enoent('open', this.absolute(file.path));
		this.contents.set(file.path, data);
		file.stat = { ...file.stat, mtime: mtime ?? this.tick(), size: byteLength(data) };
		this.countWrite(file.path);
		this.mirrorWrite(file.path, data, file.stat.mtime);
		this.trigger('modify', file);
		this.hooks?.written(file);
	}

	private occupied(path: string): boolean {
		return this.entries.has(path) || (this.caseInsensitive && this.folded.has(fold(path)));
	}

	private index(entry: TAbstractFile): void {
		this.entries.set(entry.path, entry);
		if (!this.caseInsensitive) return;
		const key = fold(entry.path);
		this.folded.set(key, (this.folded.get(key) ?? 0) + 1);
	}

	private unindex(entry: TAbstractFile): void {
		this.entries.delete(entry.path);
		if (!this.caseInsensitive) return;
		const key = fold(entry.path);
		const count = (this.folded.get(key) ?? 0) - 1;
		if (count > 0) this.folded.set(key, count);
		else this.folded.delete(key);
	}

	private makeFolders(path: string): TFolder {
		const existing = this.entries.get(path);
		if (existing instanceof TFolder) return existing;
		if (existing) throw new Error('Folder already exists.');
		const parent = this.makeFolders(parentPath(path));
		const folder = new TFolder(this, path, parent);
		this.attach(folder, parent);
		this.mirrorMkdir(path);
		this.trigger('create', folder);
		return folder;
	}

	private makeFoldersSilently(path: string): TFolder {
		const existing = this.entries.get(path);
		if (existing instanceof TFolder) return existing;
		if (existing) throw new Error(`fake vault: ${path} is a file`);
		const parent = this.makeFoldersSilently(parentPath(path));
		const folder = new TFolder(this, path, parent);
		this.attach(folder, parent);
		this.mirrorMkdir(path);
		return folder;
	}

	private attach(entry: TAbstractFile, parent: TFolder): void {
		entry.parent = parent;
		parent.children.push(entry);
		this.index(entry);
	}

	private detach(entry: TAbstractFile): void {
		if (entry.parent) entry.parent.children = entry.parent.children.filter((c) => c !== entry);
	}

	private movePaths(entry: TAbstractFile, newPath: string, parent: TFolder): void {
		const oldPath = entry.path;
		this.unindex(entry);
		const data = this.contents.get(oldPath);
		this.contents.delete(oldPath);
		entry.setPath(newPath, parent);
		parent.children.push(entry);
		this.index(entry);
		if (data !== undefined) this.contents.set(newPath, data);
		if (entry instanceof TFolder) {
			for (const child of [...entry.children]) {
				entry.children = entry.children.filter((c) => c !== child);
				this.movePaths(child, `${newPath}/${child.name}`, entry);
			}
		}
	}

	private removeTree(entry: TAbstractFile): void {
		if (entry instanceof TFolder) for (const child of [...entry.children]) this.removeTree(child);
		this.detach(entry);
		this.unindex(entry);
		this.contents.delete(entry.path);
		this.trigger('delete', entry);
		this.hooks?.deleted(entry);
	}

	private tick(): number {
		this.lastTime = Math.max(this.now(), this.lastTime + 1);
		return this.lastTime;
	}

	private countWrite(path: string): void {
		this.writeCounts.set(path, (this.writeCounts.get(path) ?? 0) + 1);
	}

	private absolute(path: string): string {
		return this.mirror ? this.mirror.absolute(path) : `/fake-vault/${path}`;
	}

	private loadMirror(mirror: VaultMirror): void {
		for (const entry of mirror.load()) {
			if (isHiddenPath(entry.path)) continue;
			const normal = normalizePath(entry.path);
			const parent = this.entries.get(parentPath(normal));
			if (!(parent instanceof TFolder)) continue;
			if (entry.folder) {
				this.attach(new TFolder(this, normal, parent), parent);
			} else if (entry.data !== undefined) {
				const time = this.tick();
				this.attach(new TFile(this, normal, parent, entry.stat ?? { ctime: time, mtime: time, size: byteLength(entry.data) }), parent);
				this.contents.set(normal, entry.data);
			}
		}
	}

	private mirrorWrite(path: string, data: string | Uint8Array, mtime: number): void {
		this.mirror?.write(path, data, mtime);
	}

	private mirrorMkdir(path: string): void {
		this.mirror?.mkdir(path);
	}

	private mirrorRename(from: string, to: string): void {
		this.mirror?.rename(from, to);
	}

	private mirrorDelete(path: string): void {
		this.mirror?.remove(path);
	}
}

function byteLength(data: string | Uint8Array): number {
	return typeof data === 'string' ? new TextEncoder().encode(data).length : data.byteLength;
}

/**
 * `vault.adapter`, only as far as the app itself needs it here: the hidden
 * config folder (plugin `data.json`). Plugins should use the Vault API.
 * On desktop over a real folder it is a FileSystemAdapter: `getBasePath()`,
 * `getFullPath()`, and the untyped `basePath` and `fsPromises` (Node's).
 */
export class FakeDataAdapter {
	private readonly hidden = new Map<string, string>();
	readonly basePath: string | undefined;
	readonly fsPromises: unknown;

	constructor(
		private readonly mirror: VaultMirror | undefined,
		fileSystem?: { basePath: string; fsPromises: unknown },
	) {
		this.basePath = fileSystem?.basePath;
		this.fsPromises = fileSystem?.fsPromises;
		if (fileSystem === undefined) return;
		const base = fileSystem.basePath;
		const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
		Object.assign(this, {
			getBasePath: (): string => base,
			getFullPath: (normalizedPath: string): string => (normalizedPath === '' || normalizedPath === '/' ? base : `${base}${separator}${normalizePath(normalizedPath).split('/').join(separator)}`),
		});
	}

	/** Test helper: a file's text right now, or null. */
	peek(path: string): string | null {
		const normal = normalizePath(path);
		if (!this.mirror) return this.hidden.get(normal) ?? null;
		return this.mirror.exists(normal) ? this.mirror.readText(normal) : null;
	}

	async exists(path: string): Promise<boolean> {
		await tick();
		const normal = normalizePath(path);
		return this.mirror ? this.mirror.exists(normal) : this.hidden.has(normal);
	}

	async read(path: string): Promise<string> {
		await tick();
		const normal = normalizePath(path);
		if (this.mirror) return this.mirror.readText(normal);
		const data = this.hidden.get(normal);
		if (data === undefined) throw enoent('open', `/fake-vault/${normal}`);
		return data;
	}

	async write(path: string, data: string): Promise<void> {
		await tick();
		const normal = normalizePath(path);
		if (this.mirror) this.mirror.writeText(normal, data);
		else this.hidden.set(normal, data);
	}

	async remove(path: string): Promise<void> {
		await tick();
		const normal = normalizePath(path);
		if (this.mirror) this.mirror.removeFile(normal);
		this.hidden.delete(normal);
	}
}
