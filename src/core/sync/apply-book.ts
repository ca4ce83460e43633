import type { BookRecord } from '../api/record';
import { SyncError } from '../errors';
import type { NoteStore } from '../ports';
import { disambiguate, fileBaseName, layoutFolders, nameKey } from '../render/file-name';
import { composeNewNote, renderBook, type RenderContext } from '../render/note';
import type { RenderOptions } from '../render/options';
import { mergeNote } from './merge';
import type { NoteFingerprints } from './fingerprint';
import type { LocatedNote, NoteIndex } from './note-index';
import { baseNameOf, isInside, joinPath, parentOf } from '../vault-path';
import { previousBaseName } from './previous-name';
import type { BookAction } from './report';

export interface ApplyConfig {
	store: NoteStore;
	index: NoteIndex;
	render: RenderOptions;
	/** Every property name the sync owns (rendered names and retired ones). */
	managed: Set<string>;
	/** Library folder, normalised. New notes go here (below the layout folders). */
	folder: string;
	/** Sub-folders for new notes, e.g. `{{author}}/{{series}}`; empty for none. */
	folderTemplate: string;
	/** Where removed books' notes were moved; a note there whose book is back moves home. Empty: none. */
	archiveFolder: string;
	keepFileNamesInSync: boolean;
	/** Ids this device has seen a note for; their missing notes were deleted by the user. */
	knownIds: ReadonlySet<string>;
	recreateDeleted: boolean;
	dryRun: boolean;
	/** What decided each note's bytes last time: an unchanged book is recognised without rendering. */
	fingerprints?: NoteFingerprints;
}

export interface ApplyOutcome {
	action: BookAction;
	/** The note's path after the run (empty when skipped). */
	path: string;
	/** Where the note was before a rename. */
	from?: string;
	/** True when the note links to a duplicate whose note did not exist yet. */
	unresolvedDuplicate: boolean;
}

/** Per-book extras the engine works out before rendering (the downloaded cover). */
export type ExtraContext = Omit<RenderContext, 'baseName' | 'duplicateOfLink'>;

/**
 * A book whose fate is decided: the outcome, and the write that makes it
 * so (none when nothing changes, or in a dry run). Renames are done by the
 * time a plan exists; creates and updates wait for `write`.
 */
export interface PlannedBook {
	outcome: ApplyOutcome;
	write?: () => Promise<void>;
}

/**
 * Applies books to notes: finds the book's note by id, renders, merges,
 * renames when the template-derived name changed, and writes only when the
 * bytes differ. Books are planned one at a time, in feed order, so names
 * are claimed the same way on every run and device; two books never land
 * on one path, even while their writes are still under way.
 */
export class BookApplier {
	/** nameKey(path) -> id of the book whose note is taking that path (its write under way). */
	private readonly claimed = new Map<string, string>();

	constructor(private readonly config: ApplyConfig) {}

	/** Finds the book's note and reads it (the engine may do this ahead of the book's turn). */
	locate(id: string): Promise<LocatedNote | undefined> {
		return this.config.index.locate(id);
	}

	/** True when `unchangedFile` may find the book unchanged: its note's size and time are known. */
	mayBeUnchangedFile(id: string): boolean {
		return this.config.store.stat !== undefined && this.config.fingerprints?.knowsFile(id) === true;
	}

	/**
	 * The book as unchanged, decided without reading its note: its inputs
	 * are the ones last seen, it keeps its path, and its file still has the
	 * size and time it had when its text last matched. Undefined when any of
	 * that is not so: the book then takes the full path (locate, plan).
	 */
	async unchangedFile(record: BookRecord, extra: ExtraContext): Promise<PlannedBook | undefined> {
		const { store, index, fingerprints } = this.config;
		if (fingerprints === undefined || store.stat === undefined) return undefined;
		// A link to a possible duplicate is decided in feed order (an earlier book may rename the other note): no shortcut.
		if (hasPossibleDuplicate(record)) return undefined;
		// With no hint (the plugin keeps none), the index: built from the metadata cache, it reads no note.
		const path = index.expected(record.id) ?? (await index.pathOf(record.id));
		if (path === undefined) return undefined;
		if (this.claimed.has(nameKey(path)) || this.isArchivedAndBack(path)) return undefined;
		if (!this.keepsName(path, fileBaseName(record, this.config.render.fileNameTemplate), record.id)) return undefined;
		const stat = await store.stat(path);
		if (stat === null) return undefined;
		if (!fingerprints.unchangedFile(record.id, fingerprints.inputs(record, path, extra, undefined), stat)) return undefined;
		index.trust(record.id, path);
		return { outcome: { action: 'unchanged', path, unresolvedDuplicate: false } };
	}

	/**
	 * Decides what happens to the book's note, given what `locate` found
	 * (the caller may look ahead, but not past a write to this book's note).
	 */
	async plan(record: BookRecord, found: LocatedNote | undefined, extra: ExtraContext = {}): Promise<PlannedBook> {
		if (found !== undefined) return this.update(record, found, extra);
		if (!this.config.recreateDeleted && this.config.knownIds.has(record.id)) {
			return { outcome: { action: 'skipped', path: '', unresolvedDuplicate: false } };
		}
		return this.create(record, extra);
	}

	private async create(record: BookRecord, extra: ExtraContext): Promise<PlannedBook> {
		const { store, dryRun, index } = this.config;
		const wanted = fileBaseName(record, this.config.render.fileNameTemplate);
		const path = await this.freePath(this.homeFolder(record), wanted, record.id);
		const { link, unresolved } = await this.duplicateLink(record);
		const rendered = renderBook(record, this.config.render, { ...extra, baseName: baseNameOf(path), duplicateOfLink: link });
		this.claim(path, record.id);
		const outcome: ApplyOutcome = { action: 'created', path, unresolvedDuplicate: unresolved };
		if (dryRun) return { outcome };
		index.set(record.id, path);
		const fingerprints = this.config.fingerprints;
		const write = async (): Promise<void> => {
			try {
				const text = composeNewNote(rendered);
				await store.create(path, text);
				fingerprints?.record(record.id, fingerprints.inputs(record, path, extra, link), text);
			} catch (error) {
				index.forget(record.id);
				fingerprints?.forget(record.id);
				throw error;
			} finally {
				this.release(path);
			}
		};
		return { outcome, write };
	}

	private async update(record: BookRecord, found: LocatedNote, extra: ExtraContext): Promise<PlannedBook> {
		const { store, dryRun, managed } = this.config;
		const { path, text: current, stat } = found;
		this.claim(path, record.id);
		const target = await this.targetPath(record, path, current);
		const { link, unresolved } = await this.duplicateLink(record);
		const moved = target !== path;
		const fingerprints = this.config.fingerprints;
		const inputs = fingerprints?.inputs(record, target, extra, link);
		if (!moved && inputs !== undefined && fingerprints?.matches(record.id, inputs, current)) {
			if (!dryRun) fingerprints.settled(record.id, stat);
			this.release(path);
			return { outcome: { action: 'unchanged', path, unresolvedDuplicate: unresolved } };
		}
		const rendered = renderBook(record, this.config.render, { ...extra, baseName: baseNameOf(target), duplicateOfLink: link });
		const merged = mergeNote(current, rendered, managed);
		if (moved) this.claim(target, record.id);
		if (moved && !dryRun) {
			// Now, not later: the next book's name may be the one this note leaves.
			await store.rename(path, target);
			this.config.index.set(record.id, target);
			this.release(path);
		}
		const action = moved ? 'renamed' : merged === current ? 'unchanged' : 'updated';
		const outcome: ApplyOutcome = moved ? { action, path: target, from: path, unresolvedDuplicate: unresolved } : { action, path, unresolvedDuplicate: unresolved };
		if (dryRun) return { outcome };
		if (merged === current) {
			// Moved: the time was the old path's; the next walk takes the new one's.
			if (inputs !== undefined) fingerprints?.record(record.id, inputs, current, moved ? undefined : stat);
			this.release(target);
			return { outcome };
		}
		const write = async (): Promise<void> => {
			try {
				fingerprints?.forget(record.id);
				let written: string | undefined;
				await store.process(target, (text) => (written = mergeNote(text, rendered, managed)));
				if (inputs !== undefined && written !== undefined) fingerprints?.record(record.id, inputs, written);
			} finally {
				this.release(target);
			}
		};
		return { outcome, write };
	}

	/** Where a new note of this book goes: the library folder and the layout's sub-folders. */
	private homeFolder(record: BookRecord): string {
		return layoutFolders(record, this.config.folderTemplate).reduce(joinPath, this.config.folder);
	}

	/**
	 * The path the note should have. A note in the archive folder whose book
	 * is back goes home. Otherwise sync renames a note only when names are
	 * kept in sync and the note still has the name sync gave it last time:
	 * a name (and a folder) the user chose is theirs.
	 */
	private async targetPath(record: BookRecord, path: string, current: string): Promise<string> {
		const wanted = fileBaseName(record, this.config.render.fileNameTemplate);
		if (this.isArchivedAndBack(path)) return this.freePath(this.homeFolder(record), wanted, record.id, path);
		if (this.keepsName(path, wanted, record.id)) return path;
		const name = baseNameOf(path);
		const previous = previousBaseName(current, record.id, this.config.render);
		if (previous === undefined) return path;
		if (name !== previous && name !== disambiguate(previous, record.id)) return path;
		return this.freePath(parentOf(path), wanted, record.id, path);
	}

	/** True when the note is in the archive folder (and the library folder is not inside it). */
	private isArchivedAndBack(path: string): boolean {
		const archive = this.config.archiveFolder;
		return archive !== '' && isInside(path, archive) && !isInside(this.config.folder, archive);
	}

	/** True when a note out of the archive keeps its name, as far as can be told without its text. */
	private keepsName(path: string, wanted: string, id: string): boolean {
		if (!this.config.keepFileNamesInSync) return true;
		const name = baseNameOf(path);
		return name === wanted || name === disambiguate(wanted, id);
	}

	/** A path in `folder` for the book, distinct from every other note's, the same on every device. */
	async freePath(folder: string, baseName: string, id: string, ownPath?: string): Promise<string> {
		const ownKey = ownPath === undefined ? undefined : nameKey(ownPath);
		for (let attempt = 0; attempt < 2; attempt++) {
			// The disambiguated name only when the plain one is taken.
			const candidate = attempt === 0 ? baseName : disambiguate(baseName, id);
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

	/**
	 * Once a note is on disk the store itself says its path is taken: the
	 * claim is needed only while a write is under way (in a dry run, where
	 * nothing is written, claims last the whole run).
	 */
	private release(path: string): void {
		if (!this.config.dryRun) this.claimed.delete(nameKey(path));
	}

	private async duplicateLink(record: BookRecord): Promise<{ link?: string; unresolved: boolean }> {
		const other = record.possibleDuplicateOf;
		if (other === undefined || !hasPossibleDuplicate(record)) return { unresolved: false };
		const path = await this.config.index.pathOf(other);
		if (path === undefined) return { unresolved: true };
		return { link: baseNameOf(path), unresolved: false };
	}
}

/** True when the record names another book as its possible duplicate. */
function hasPossibleDuplicate(record: BookRecord): boolean {
	return record.possibleDuplicateOf !== undefined && record.possibleDuplicateOf !== record.id;
}
