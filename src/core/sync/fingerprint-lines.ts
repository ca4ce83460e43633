import type { Breathe } from '../ports';
import { SORT_SLICE } from '../sorted-in-slices';
import { FingerprintTable } from './fingerprint-table';

/** `<16 hex>.<16 hex>`: a fingerprint without the note's size and time. */
const HASHES_LENGTH = 33;

/**
 * The fingerprints as one text, a line a book: `<fingerprint> <id>`. A
 * string is stored and loaded as a whole without building 30,000 object
 * properties in one task (JSON of an object that size kept the plugin's
 * main thread busy for a quarter of a second), and it is written and read
 * here in slices, `breathe()` between them.
 *
 * Cut down to `budget` characters as JSON: whole; else without the notes'
 * sizes and times (a full walk then reads each note, but renders none that
 * did not change); else undefined. An id with a line break is left out (that
 * book takes the full path).
 */
export async function fingerprintLines(table: FingerprintTable, budget: number, breathe: Breathe): Promise<string | undefined> {
	return (await linesWithin(table, budget, breathe, false)) ?? linesWithin(table, budget, breathe, true);
}

/** The lines, whole or without the sizes and times (`bare`), or undefined as soon as they go over `budget`. */
async function linesWithin(table: FingerprintTable, budget: number, breathe: Breathe, bare: boolean): Promise<string | undefined> {
	let lines = '';
	// Stored as JSON, each line break takes two characters, and the quotes two more.
	let breaks = 2;
	let seen = 0;
	for (const [id, text] of table) {
		if (++seen % SORT_SLICE === 0) await breathe();
		if (id.includes('\n')) continue;
		breaks += 1;
		lines += `${bare ? text.slice(0, HASHES_LENGTH) : text} ${id}\n`;
		if (lines.length + breaks > budget) return undefined;
	}
	return lines;
}

/** The table `fingerprintLines` wrote; lines that are not a fingerprint and an id are dropped. Undefined for anything but a string. */
export async function fingerprintsFromLines(text: unknown, breathe: Breathe): Promise<FingerprintTable | undefined> {
	if (typeof text !== 'string') return undefined;
	const table = new FingerprintTable();
	let seen = 0;
	// The first space at or after `from` (the text's length when there is none), found once for
	// every line before it: lines without a space do not each scan on to it.
	let space = -1;
	for (let from = 0; from < text.length; ) {
		const next = text.indexOf('\n', from);
		const end = next === -1 ? text.length : next;
		if (space < from) {
			const found = text.indexOf(' ', from);
			space = found === -1 ? text.length : found;
		}
		if (space > from && space < end) table.setText(text.slice(space + 1, end), text.slice(from, space));
		from = end + 1;
		if (++seen % SORT_SLICE === 0) await breathe();
	}
	return table;
}
