/**
 * Entry point bundled by render.ts (with the shells' aliases, so it runs
 * the code the CLI and the plugin run): decodes feed items, then times
 * rendering them as new notes and merging each into its own note.
 */
import { createHash } from 'node:crypto';
import type { BookRecord } from '../../src/core/api/record';
import { decodeRecord } from '../../src/core/api/decode-record';
import { fileBaseName } from '../../src/core/render/file-name';
import { composeNewNote, renderBook, type RenderedNote } from '../../src/core/render/note';
import type { RenderOptions } from '../../src/core/render/options';
import { managedPropertyNames } from '../../src/core/render/properties';
import { mergeNote } from '../../src/core/sync/merge';

/** µs per note for each step, and a digest of every byte produced. */
export interface RenderPass {
	renderUs: number;
	composeUs: number;
	mergeUs: number;
	digest: string;
}

/** The feed items that decode, as the engine sees them. */
export function decodeAll(raws: unknown[]): BookRecord[] {
	return raws.flatMap((raw) => {
		const result = decodeRecord(JSON.parse(JSON.stringify(raw)));
		return result.ok ? [result.record] : [];
	});
}

export function renderPass(records: readonly BookRecord[], options: RenderOptions): RenderPass {
	const managed = managedPropertyNames(options);
	const perNote = (started: number): number => ((performance.now() - started) * 1000) / records.length;
	let started = performance.now();
	const rendered = records.map((record) =>
		renderBook(record, options, { baseName: fileBaseName(record, options.fileNameTemplate), coverPath: `covers/${record.id}.jpg` }));
	const renderUs = perNote(started);
	started = performance.now();
	const notes = rendered.map((note) => composeNewNote(note));
	const composeUs = perNote(started);
	started = performance.now();
	const merged = notes.map((note, i) => mergeNote(note, rendered[i] as RenderedNote, managed));
	const mergeUs = perNote(started);
	const hash = createHash('sha256');
	for (const note of [...notes, ...merged]) hash.update(note);
	return { renderUs, composeUs, mergeUs, digest: hash.digest('hex').slice(0, 16) };
}
