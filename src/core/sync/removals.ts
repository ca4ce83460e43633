import { throwIfCancelled } from '../cancel';
import { noBreather, type Breathe, type NoteStore } from '../ports';
import { parseNote } from '../render/frontmatter';
import { updateProperties } from './merge';
import type { NoteIndex } from './note-index';
import { baseNameOf, isInside } from '../vault-path';
import type { BookChange, BookFailure, RemovalSummary } from './report';

/** More than this share of the library vanishing at once is held for the user to confirm. */
export const MAX_REMOVAL_SHARE = 0.1;
const MAX_EXAMPLES = 50;

export interface RemovalConfig {
	/** Name of the property that marks a removed book; null when the user left it out. */
	removedProperty: string | null;
	/** The marking date, `YYYY-MM-DD` in the configured zone. */
	today: string;
	/** Move marked notes here (vault-relative); empty leaves them where they are. */
	archiveFolder: string;
	/** The user confirmed marking more than a tenth of the library at once. */
	allowMassRemoval: boolean;
	/** An automatic walk: mark only books the previous automatic walk also missed. */
	requireAgreement: boolean;
	dryRun: boolean;
	/** The run's cancellation: the pass stops before the next note it reads or marks (SyncError 'cancelled'). */
	signal?: AbortSignal;
}

export interface RemovalResult {
	summary: RemovalSummary;
	/** Missing ids to remember for the next automatic walk. */
	pending: string[];
	changes: BookChange[];
	failures: BookFailure[];
}

/**
 * After a clean full walk (and only then: the caller checks), marks the
 * notes of books the server no longer lists, by set difference between the
 * id index and the walk. Never deletes; moves to the archive folder when
 * one is set. Holds back when too much would vanish at once, or, for
 * automatic walks, until a second walk agrees.
 */
export async function markRemovedBooks(
	store: NoteStore,
	index: NoteIndex,
	liveIds: ReadonlySet<string>,
	previousPending: readonly string[],
	config: RemovalConfig,
	freePath: (folder: string, baseName: string, id: string) => Promise<string>,
	/** A pass over every note: a breath between them. */
	breathe: Breathe = noBreather,
): Promise<RemovalResult> {
	const notes = await index.entries();
	throwIfCancelled(config.signal);
	const missing: Array<{ id: string; path: string }> = [];
	const unreadable: string[] = [];
	for (const [id, path] of notes) {
		await breathe();
		if (liveIds.has(id)) continue;
		throwIfCancelled(config.signal);
		const marked = await isMarked(store, path, config);
		if (marked === 'unreadable') unreadable.push(path);
		if (marked !== false) continue;
		missing.push({ id, path });
	}
	missing.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const summary: RemovalSummary = { missing: missing.length, marked: 0, examples: missing.slice(0, MAX_EXAMPLES).map((note) => baseNameOf(note.path)) };
	if (unreadable.length > 0) {
		// Left alone, but said: a note the user broke must not hide a removal.
		summary.unreadable = unreadable.sort().slice(0, MAX_EXAMPLES);
		summary.unreadableCount = unreadable.length;
	}
	const result: RemovalResult = { summary, pending: missing.map((note) => note.id), changes: [], failures: [] };
	if (missing.length === 0) return result;

	const agreed = new Set(previousPending);
	const acting = config.requireAgreement ? missing.filter((note) => agreed.has(note.id)) : missing;
	if (acting.length === 0) {
		summary.held = 'awaiting-second-walk';
		return result;
	}
	if (!config.allowMassRemoval && acting.length > MAX_REMOVAL_SHARE * notes.size) {
		summary.held = 'too-many';
		return result;
	}
	const actingIds = new Set(acting.map((note) => note.id));
	result.pending = missing.filter((note) => !actingIds.has(note.id)).map((note) => note.id);
	for (const note of acting) {
		throwIfCancelled(config.signal);
		try {
			const path = await markOne(store, note, config, freePath);
			summary.marked += 1;
			result.changes.push({ id: note.id, action: 'removed', path, from: path === note.path ? undefined : note.path });
		} catch (error) {
			result.failures.push({ id: note.id, path: note.path, reason: error instanceof Error ? error.message : String(error) });
		}
	}
	return result;
}

/** Whether the note is marked removed already; 'unreadable' when its properties cannot be read (it is left alone). */
async function isMarked(store: NoteStore, path: string, config: RemovalConfig): Promise<boolean | 'unreadable'> {
	const inArchive = config.archiveFolder !== '' && isInside(path, config.archiveFolder);
	if (config.removedProperty === null) return inArchive;
	const text = await store.read(path);
	if (text === null) return true;
	try {
		const value = parseNote(text).data[config.removedProperty];
		return value !== undefined && value !== null && value !== '';
	} catch {
		return 'unreadable';
	}
}

async function markOne(
	store: NoteStore,
	note: { id: string; path: string },
	config: RemovalConfig,
	freePath: (folder: string, baseName: string, id: string) => Promise<string>,
): Promise<string> {
	const { removedProperty, archiveFolder } = config;
	let path = note.path;
	if (archiveFolder !== '' && !isInside(path, archiveFolder)) {
		path = await freePath(archiveFolder, baseNameOf(note.path), note.id);
		if (!config.dryRun) await store.rename(note.path, path);
	}
	if (removedProperty !== null && !config.dryRun) {
		await store.process(path, (text) => updateProperties(text, [[removedProperty, config.today]], new Set()));
	}
	return path;
}

