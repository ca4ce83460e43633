/**
 * FileManager: `renameFile` moves the file and rewrites wikilinks to it in
 * every markdown note (`[[Old name]]`, `[[Old name|alias]]`, `[[Old name#h]]`,
 * `[[folder/Old name]]`), as Obsidian does with "Automatically update internal
 * links" on. `processFrontMatter` re-serialises the YAML in the fake's own
 * style (as Obsidian re-serialises in its own), atomically.
 */
import { TFile, TFolder, type TAbstractFile } from './files';
import type { FakeVault } from './vault';
import type { FakeMetadataCache } from './metadata-cache';
import { getFrontMatterInfo, parseYaml, stringifyYaml } from './frontmatter';
import { normalizePath } from './normalize-path';

export class FakeFileManager {
	/** Test helper: paths trashed through `trashFile`. */
	readonly trashed: string[] = [];
	/** Set false to model "Automatically update internal links" off. */
	updateLinks = true;

	constructor(
		private readonly vault: FakeVault,
		private readonly metadataCache: FakeMetadataCache,
	) {}

	getNewFileParent(_sourcePath: string, _newFilePath?: string): TFolder {
		return this.vault.getRoot();
	}

	async renameFile(file: TAbstractFile, newPath: string): Promise<void> {
		const oldPath = file.path;
		const wasUnique = file instanceof TFile && !this.vault.getFiles().some((f) => f !== file && f.basename === file.basename);
		const oldBasename = file instanceof TFile ? file.basename : file.name;
		await this.vault.rename(file, normalizePath(newPath));
		if (!this.updateLinks || !(file instanceof TFile) || file.extension !== 'md') return;
		const oldTargets = new Set([oldPath, oldPath.replace(/\.md$/, '')]);
		if (wasUnique) oldTargets.add(oldBasename);
		const replacement = this.metadataCache.fileToLinktext(file, '', true);
		for (const note of this.vault.getMarkdownFiles()) {
			const text = this.vault.peek(note.path);
			if (text === undefined) continue;
			const updated = text.replace(/\[\[([^\]|#\n]+)([#|][^\]\n]*)?\]\]/g, (whole, target: string, rest: string | undefined) =>
				oldTargets.has(target.trim()) ? `[[${replacement}${rest ?? ''}]]` : whole,
			);
			if (updated !== text) await this.vault.modify(note, updated);
		}
	}

	async promptForDeletion(_file: TAbstractFile): Promise<boolean> {
		return false;
	}

	async trashFile(file: TAbstractFile): Promise<void> {
		this.trashed.push(file.path);
		await this.vault.trash(file, true);
	}

	generateMarkdownLink(file: TFile, sourcePath: string, subpath?: string, alias?: string): string {
		const linktext = this.metadataCache.fileToLinktext(file, sourcePath, true);
		return `[[${linktext}${subpath ?? ''}${alias ? `|${alias}` : ''}]]`;
	}

	async processFrontMatter(file: TFile, fn: (frontmatter: Record<string, unknown>) => void, options?: { mtime?: number }): Promise<void> {
		if (file.extension !== 'md') throw new Error('processFrontMatter: not a markdown file');
		await this.vault.process(
			file,
			(text) => {
				const info = getFrontMatterInfo(text);
				const parsed = info.exists ? parseYaml(info.frontmatter) : {};
				const frontmatter = (parsed ?? {}) as Record<string, unknown>;
				if (typeof frontmatter !== 'object' || Array.isArray(frontmatter)) throw new Error('processFrontMatter: frontmatter is not a mapping');
				fn(frontmatter);
				const body = info.exists ? text.slice(info.contentStart) : text;
				if (Object.keys(frontmatter).length === 0) return info.exists ? body : text;
				return `---\n${stringifyYaml(frontmatter)}---\n${body}`;
			},
			options,
		);
	}

	async getAvailablePathForAttachment(filename: string, _sourcePath?: string): Promise<string> {
		const dot = filename.lastIndexOf('.');
		const base = dot > 0 ? filename.slice(0, dot) : filename;
		const ext = dot > 0 ? filename.slice(dot) : '';
		let candidate = filename;
		for (let n = 1; this.vault.getAbstractFileByPath(candidate); n++) candidate = `${base} ${n}${ext}`;
		return candidate;
	}
}
