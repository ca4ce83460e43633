import type { NoteStore } from '../ports';
import { LIBRARY_BASE_FILE_NAME, libraryBaseFile } from '../render/library-base';
import type { RenderOptions } from '../render/options';
import { joinPath, normaliseFolder } from '../vault-path';

export interface LibraryViewResult {
	path: string;
	/** False when a file was already there: it is the user's, and stays as it is. */
	created: boolean;
}

/**
 * Writes `Library.base` next to the notes: cards with covers, a table,
 * "Currently reading", "Finished this year", a grouping by reading status.
 * Only when asked (or once after a device's first sync), and never over an
 * existing file, so the user's edits to it stay.
 */
export async function createLibraryView(store: NoteStore, folder: string, render: RenderOptions): Promise<LibraryViewResult> {
	const library = normaliseFolder(folder);
	const path = joinPath(library, LIBRARY_BASE_FILE_NAME);
	if (await store.isTaken(path)) return { path, created: false };
	await store.create(path, libraryBaseFile({ idProperty: render.idProperty, propertyNames: render.propertyNames, folder: library }));
	return { path, created: true };
}
