/**
 * The MetadataCache, with the timing that trips plugins up:
 *
 * - After a write, `getFileCache(file)` keeps returning the old entry (or
 *   null for a new file) until the file is indexed a macrotask later; then
 *   `changed` fires with (file, data, cache).
 * - Renames do not fire `changed`. By default the entry stays under the old
 *   path until the next write to the file (`renameBehaviour: 'stale'`, the
 *   worst case); `'move'` moves it silently instead.
 * - `deleted` fires with the previous cache (or null).
 * Tests can `pauseIndexing()` to keep files unindexed, and `settle()` to wait
 * until everything written so far is indexed.
 */
import { FakeEvents } from './events';
import { TFile, type TAbstractFile } from './files';
import type { FakeVault } from './vault';
import { getFrontMatterInfo, readFrontmatter } from './frontmatter';

export interface FakeLinkCache {
	link: string;
	original: string;
	displayText: string;
	position: { start: { line: number; col: number; offset: number }; end: { line: number; col: number; offset: number } };
}

export interface FakeCachedMetadata {
	frontmatter?: Record<string, unknown>;
	frontmatterPosition?: { start: { line: number; col: number; offset: number }; end: { line: number; col: number; offset: number } };
	links?: FakeLinkCache[];
}

export interface FakeMetadataCacheOptions {
	renameBehaviour?: 'stale' | 'move';
	/** Delay before a written file is indexed (ms, macrotask). */
	indexDelayMs?: number;
}

function position(text: string, offset: number): { line: number; col: number; offset: number } {
	const before = text.slice(0, offset);
	const line = before.split('\n').length - 1;
	return { line, col: offset - (before.lastIndexOf('\n') + 1), offset };
}

/** What Obsidian would extract from a markdown text (the parts this fake models). */
export function computeMetadata(text: string): FakeCachedMetadata {
	const cache: FakeCachedMetadata = {};
	const info = getFrontMatterInfo(text);
	if (info.exists) {
		const frontmatter = readFrontmatter(text);
		if (frontmatter) cache.frontmatter = frontmatter;
		cache.frontmatterPosition = { start: position(text, 0), end: position(text, Math.max(0, info.contentStart - 1)) };
	}
	const links: FakeLinkCache[] = [];
	const pattern = /\[\[([^\]|\n]+?)(?:\|([^\]\n]*))?\]\]/g;
	let match: RegExpExecArray | null;
	while ((match = pattern.exec(text)) !== null) {
		if (match.index < info.contentStart) continue;
		const link = match[1] ?? '';
		links.push({
			link,
			original: match[0],
			displayText: match[2] ?? link,
			position: { start: position(text, match.index), end: position(text, match.index + match[0].length) },
		});
	}
	if (links.length > 0) cache.links = links;
	return cache;
}

export class FakeMetadataCache extends FakeEvents {
	private readonly entries = new Map<string, FakeCachedMetadata>();
	/** 'stale' renames: the path whose entry a file left behind, dropped at its next indexing. */
	private readonly leftBehind = new Map<TAbstractFile, string>();
	private readonly queue = new Map<TFile, ReturnType<typeof setTimeout> | undefined>();
	private paused = false;
	private readonly renameBehaviour: 'stale' | 'move';
	private readonly indexDelayMs: number;
	resolvedLinks: Record<string, Record<string, number>> = {};
	unresolvedLinks: Record<string, Record<string, number>> = {};

	constructor(private readonly vault: FakeVault, options: FakeMetadataCacheOptions = {}) {
		super();
		this.renameBehaviour = options.renameBehaviour ?? 'stale';
		this.indexDelayMs = options.indexDelayMs ?? 0;
		vault.hooks = {
			written: (file) => this.schedule(file),
			renamed: (file, oldPath) => this.onRename(file, oldPath),
			deleted: (file) => this.onDelete(file),
		};
	}

	getFileCache(file: TFile): FakeCachedMetadata | null {
		return this.entries.get(file.path) ?? null;
	}

	getCache(path: string): FakeCachedMetadata | null {
		return this.entries.get(path) ?? null;
	}

	getFirstLinkpathDest(linkpath: string, _sourcePath: string): TFile | null {
		const target = linkpath.split('#')[0] ?? '';
		const files = this.vault.getFiles();
		return (
			files.find((f) => f.path === target || f.path === `${target}.md`) ??
			files.find((f) => f.basename === target || f.name === target) ??
			null
		);
	}

	fileToLinktext(file: TFile, _sourcePath: string, omitMdExtension = true): string {
		const name = omitMdExtension && file.extension === 'md' ? file.basename : file.name;
		const clash = this.vault.getFiles().some((f) => f !== file && f.basename === file.basename);
		if (!clash) return name;
		return omitMdExtension && file.extension === 'md' ? file.path.slice(0, -3) : file.path;
	}

	/** Test helper: stop indexing (written files stay unindexed until resumeIndexing). */
	pauseIndexing(): void {
		this.paused = true;
	}

	resumeIndexing(): void {
		this.paused = false;
		for (const [file, timer] of this.queue) if (timer === undefined) this.queue.set(file, this.startTimer(file));
	}

	/** Test helper: indexes a file now (as if the app had done it at startup), firing `changed`. */
	indexNow(file: TFile): void {
		const timer = this.queue.get(file);
		if (timer !== undefined) clearTimeout(timer);
		this.queue.delete(file);
		this.index(file);
	}

	/** Test helper: indexes every markdown file silently (a warm cache from the last session). */
	indexAllSilently(): void {
		for (const file of this.vault.getMarkdownFiles()) {
			const text = this.vault.peek(file.path);
			if (text !== undefined) this.entries.set(file.path, computeMetadata(text));
		}
	}

	/** Test helper: resolves once every scheduled indexing has run (not while paused). */
	async settle(): Promise<void> {
		while ([...this.queue.values()].some((t) => t !== undefined)) {
			await new Promise((resolve) => setTimeout(resolve, this.indexDelayMs + 1));
		}
	}

	/** Test helper: files written but not indexed yet. */
	pendingCount(): number {
		return this.queue.size;
	}

	private schedule(file: TFile): void {
		if (file.extension !== 'md') return;
		const existing = this.queue.get(file);
		if (existing !== undefined) clearTimeout(existing);
		this.queue.set(file, this.paused ? undefined : this.startTimer(file));
	}

	private startTimer(file: TFile): ReturnType<typeof setTimeout> {
		return setTimeout(() => {
			this.queue.delete(file);
			this.index(file);
		}, this.indexDelayMs);
	}

	private index(file: TFile): void {
		const text = this.vault.peek(file.path);
		if (text === undefined || this.vault.getFileByPath(file.path) !== file) return;
		const cache = computeMetadata(text);
		const old = this.leftBehind.get(file);
		if (old !== undefined && this.vault.getAbstractFileByPath(old) === null) this.entries.delete(old);
		this.leftBehind.delete(file);
		this.entries.set(file.path, cache);
		this.trigger('changed', file, text, cache);
		this.trigger('resolve', file);
		this.trigger('resolved');
	}

	private onRename(file: TAbstractFile, oldPath: string): void {
		if (this.renameBehaviour === 'stale') {
			if (!this.leftBehind.has(file)) this.leftBehind.set(file, oldPath);
			return;
		}
		const moves: [string, string][] = [];
		for (const key of this.entries.keys()) {
			if (key === oldPath) moves.push([key, file.path]);
			else if (key.startsWith(`${oldPath}/`)) moves.push([key, file.path + key.slice(oldPath.length)]);
		}
		for (const [from, to] of moves) {
			const entry = this.entries.get(from);
			this.entries.delete(from);
			if (entry) this.entries.set(to, entry);
		}
	}

	private onDelete(file: TAbstractFile): void {
		if (!(file instanceof TFile)) return;
		const timer = this.queue.get(file);
		if (timer !== undefined) clearTimeout(timer);
		this.queue.delete(file);
		const previous = this.entries.get(file.path) ?? null;
		this.entries.delete(file.path);
		this.trigger('deleted', file, previous);
	}
}
