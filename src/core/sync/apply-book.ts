import type { BookRecord } from '../api/record';
import { SyncError } from '../errors';
import type { NoteStore } from '../ports';
import { disambiguate, fileBaseName, nameKey } from '../render/file-name';
import { composeNewNote, renderBook } from '../render/note';
import type { RenderOptions } from '../render/options';
import { mergeNote } from './merge';
import type { NoteIndex } from './note-index';
import { baseNameOf, joinPath, parentOf } from './paths';
import { previousBaseName } from './previous-name';
import type { BookAction } from './report';

export interface ApplyConfig {
	store: NoteStore;
	index: NoteIndex;
	render: RenderOptions;
	/** Every property name the renderer owns. */
	managed: Set<string>;
	/** Library folder, normalised. New notes go here. */
	folder: string;
	keepFileNamesInSync: boolean;
	dryRun: boolean;
}

export interface ApplyOutcome {
	action: BookAction;
	path: string;
	/** Where the note was before a rename. */
	from?: string;
	/** True when the note links to a duplicate whose note did not exist yet. */
	unresolvedDuplicate: boolean;
}

/**
 * Applies books to notes, one at a time: finds the book's note by id,
 * renders, merges, renames when the template-derived name changed, and
 * writes only when the bytes differ. Names claimed during the run are
 * remembered so two books never land on one path.
 */
export class BookApplier {
	/** nameKey(path) -> id of the book whose note took that path in this run. */
	private readonly claimed = new Map<string, string>();

	constructor(private readonly config: ApplyConfig) {}

	async apply(record: BookRecord): Promise<ApplyOutcome> {
		const { index } = this.config;
		const existingPath = await index.pathOf(record.id);
		if (existingPath !== undefined) {
			const current = await this.config.store.read(existingPath);
			if (current !== null) return this.update(record, existingPath, current);
		}
		return this.create(record);
	}

	private async create(record: BookRecord): Promise<ApplyOutcome> {
		const { store, folder, dryRun } = this.config;
		const wanted = fileBaseName(record, this.config.render.fileNameTemplate);
		const path = await this.freePath(folder, wanted, record.id);
		const { link, unresolved } = await this.duplicateLink(record);
		const rendered = renderBook(record, this.config.render, { baseName: baseNameOf(path), duplicateOfLink: link });
		this.claim(path, record.id);
		if (!dryRun) {
			await store.create(path, composeNewNote(rendered));
			await this.config.index.set(record.id, path);
		}
		return { action: 'created', path, unresolvedDuplicate: unresolved };
	}

	private async update(record: BookRecord, path: string, current: string): Promise<ApplyOutcome> {
		const { store, dryRun, managed } = this.config;
		this.claim(path, record.id);
		const target = await this.renameTarget(record, path, current);
		const { link, unresolved } = await this.duplicateLink(record);
		const rendered = renderBook(record, this.config.render, { baseName: baseNameOf(target), duplicateOfLink: link });
		const merged = mergeNote(current, rendered, managed);
		const renamed = target !== path;
		if (renamed) this.claim(target, record.id);
		if (!dryRun) {
			if (renamed) {
				await store.rename(path, target);
				await this.config.index.set(record.id, target);
			}
			if (merged !== current) await store.process(target, (text) => mergeNote(text, rendered, managed));
		}
		if (renamed) return { action: 'renamed', path: target, from: path, unresolvedDuplicate: unresolved };
		return { action: merged === current ? 'unchanged' : 'updated', path, unresolvedDuplicate: unresolved };
	}

	/**
	 * The path the note should have. Sync renames a note only when names are
	 * kept in sync and the note still has the name sync gave it last time:
	 * a name the user chose is theirs.
	 */
	private async renameTarget(record: BookRecord, path: string, current: string): Promise<string> {
		if (!this.config.keepFileNamesInSync) return path;
		const template = this.config.render.fileNameTemplate;
		const wanted = fileBaseName(record, template);
		const name = baseNameOf(path);
		if (name === wanted || name === disambiguate(wanted, record.id)) return path;
		const previous = previousBaseName(current, record.id, this.config.render);
		if (previous === undefined) return path;
		if (name !== previous && name !== disambiguate(previous, record.id)) return path;
		return this.freePath(parentOf(path), wanted, record.id, path);
	}

	/** A path in `folder` for the book, distinct from every other note's, the same on every device. */
	private async freePath(folder: string, baseName: string, id: string, ownPath?: string): Promise<string> {
		const ownKey = ownPath === undefined ? undefined : nameKey(ownPath);
		for (const candidate of [baseName, disambiguate(baseName, id)]) {
			const path = joinPath(folder, `${candidate}.md`);
			const key = nameKey(path);
			if (key === ownKey) return path;
			const claimant = this.claimed.get(key);
			if (claimant !== undefined && claimant !== id) continue;
			if (await this.config.store.isTaken(path)) continue;
			return path;
		}
		throw new SyncError('io', `There is no free file name for "${baseName}" in ${folder === '' ? 'the vault root' : folder}.`);
	}

	private claim(path: string, id: string): void {
		this.claimed.set(nameKey(path), id);
	}

	private async duplicateLink(record: BookRecord): Promise<{ link?: string; unresolved: boolean }> {
		const other = record.possibleDuplicateOf;
		if (other === undefined || other === record.id) return { unresolved: false };
		const path = await this.config.index.pathOf(other);
		if (path === undefined) return { unresolved: true };
		return { link: baseNameOf(path), unresolved: false };
	}
}
