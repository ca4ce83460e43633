import type { BookRecord } from '../api/record';
import { noBreather, type Breathe, type NoteStat } from '../ports';
import type { CheckedStat } from './note-index';
import type { RenderOptions } from '../render/options';
import { FingerprintTable } from './fingerprint-table';

/**
 * Bump when a change to the renderer or the merge gives other bytes for
 * the same record and settings (a release bumps the app version too).
 */
const RENDER_REVISION = '1';

/**
 * How long after a note's last change its modification time is trusted to
 * tell another change: a file system stamps files in ticks (up to two
 * seconds on FAT), and an edit within the tick of the last one, to the same
 * size, would leave both as they were.
 */
export const SETTLED_MS = 2_000;

// The hash's state: two 32-bit multiply-xor lanes and the number of code units fed.
let laneA = 0;
let laneB = 0;
let units = 0;

function start(): void {
	laneA = 0x9e3779b9;
	laneB = 0x85ebca6b;
	units = 0;
}

function feed(text: string): void {
	let a = laneA;
	let b = laneB;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		a = Math.imul(a ^ unit, 0x01000193);
		b = Math.imul(b ^ unit, 0x5bd1e995);
		b ^= b >>> 15;
	}
	laneA = a;
	laneB = b;
	units += text.length;
}

function feedUnit(unit: number): void {
	laneA = Math.imul(laneA ^ unit, 0x01000193);
	const b = Math.imul(laneB ^ unit, 0x5bd1e995);
	laneB = b ^ (b >>> 15);
	units += 1;
}

// The last digest, as two unsigned 32-bit words (high, then low).
let digestHigh = 0;
let digestLow = 0;

function finish(): void {
	let a = laneA ^ units;
	a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(laneB ^ (laneB >>> 13), 0xc2b2ae35);
	const b = Math.imul(laneB ^ (laneB >>> 16), 0x27d4eb2f) ^ a;
	digestHigh = a >>> 0;
	digestLow = b >>> 0;
}

function digest(): string {
	finish();
	return hex32(digestHigh) + hex32(digestLow);
}

// Two hex digits for each byte value.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A 32-bit value as eight lowercase hex digits, what
 * `(value >>> 0).toString(16).padStart(8, '0')` gives, a byte at a time:
 * a value of 2^31 or more is not a small integer, and its `toString(16)`
 * went through the runtime (a call into C++ and a floating-point modulo for
 * each digit), four times a book.
 */
function hex32(value: number): string {
	return (HEX_BYTES[value >>> 24] ?? '') + (HEX_BYTES[(value >>> 16) & 0xff] ?? '') + (HEX_BYTES[(value >>> 8) & 0xff] ?? '') + (HEX_BYTES[value & 0xff] ?? '');
}

/**
 * A fast, stable, non-cryptographic hash of a text: two 32-bit
 * multiply-xor lanes over its UTF-16 code units, as hex. Never for
 * anything secret; a collision only costs a note that is not re-rendered
 * when both its inputs and its text collided at once.
 */
export function fastHash(text: string): string {
	start();
	feed(text);
	return digest();
}

/**
 * Feeds a JSON-like value (what a decoded record is made of) into the hash
 * without writing it out as JSON first: each part behind a tag, strings
 * and lists behind their length, so two different values never feed the
 * same units. Like JSON, an object's properties that are undefined (or
 * functions) are left out, and its properties go in their own order.
 */
function feedValue(value: unknown): void {
	switch (typeof value) {
		case 'string':
			feedUnit(0x73);
			feedUnit(value.length & 0xffff);
			feedUnit(value.length >>> 16);
			feed(value);
			return;
		case 'number':
			feedUnit(0x64);
			feed(String(value));
			feedUnit(0x3b);
			return;
		case 'boolean':
			feedUnit(value ? 0x74 : 0x66);
			return;
		case 'object': {
			if (value === null) {
				feedUnit(0x6e);
				return;
			}
			if (Array.isArray(value)) {
				feedUnit(0x5b);
				feedUnit(value.length & 0xffff);
				for (const item of value as unknown[]) feedValue(item);
				feedUnit(0x5d);
				return;
			}
			feedUnit(0x7b);
			const object = value as Record<string, unknown>;
			for (const key in object) {
				const item = object[key];
				if (item === undefined || typeof item === 'function') continue;
				feedValue(key);
				feedValue(item);
			}
			feedUnit(0x7d);
			return;
		}
		default:
			// undefined (a list item or a missing argument), and anything JSON would not write.
			feedUnit(0x75);
	}
}

/** The hash of several values in order, as feedValue feeds them. */
export function hashValues(...values: unknown[]): string {
	start();
	for (const value of values) feedValue(value);
	return digest();
}

/** The hash of a note's inputs (NoteFingerprints.inputs): 64 bits as two unsigned words. */
export interface InputsHash {
	readonly high: number;
	readonly low: number;
}

/**
 * What decided each note's bytes when this device last wrote (or checked)
 * it, kept in the sync state per id (a FingerprintTable; in the file
 * `<inputs hash>.<note text hash>`, and the note's size and time): the
 * record as received, the settings and template, the app version, the
 * note's path and the extras (cover, duplicate link). A book whose inputs hash and note text both match is
 * unchanged without being rendered; anything else (the user edited the
 * note, a setting or the template changed, a new version) takes the full
 * path.
 *
 * Once a note's text has been found to match, its size and modification
 * time, taken just before that text was read, are kept too (when the note
 * had settled by then: SETTLED_MS): a later walk whose inputs hash
 * matches and whose file still has that size and time takes the book as
 * unchanged without even reading the note.
 */
export class NoteFingerprints {
	private readonly settings: string;

	constructor(
		render: RenderOptions,
		managed: ReadonlySet<string>,
		appVersion: string,
		/** From the state; taken over, not copied, and updated as the run goes. */
		private readonly entries: FingerprintTable = new FingerprintTable(),
	) {
		this.settings = fastHash(JSON.stringify([RENDER_REVISION, appVersion, render, [...managed].sort()]));
	}

	/** The hash of everything besides the note's current text that decides its bytes. */
	inputs(record: BookRecord, path: string, extra: unknown, link: string | undefined): InputsHash {
		start();
		// As hashValues(this.settings, path, link ?? null, extra, record), without the hex.
		feedValue(this.settings);
		feedValue(path);
		feedValue(link ?? null);
		feedValue(extra);
		feedValue(record);
		finish();
		return { high: digestHigh, low: digestLow };
	}

	/** True when the note's text is the one this device left for these same inputs. */
	matches(id: string, inputs: InputsHash, text: string): boolean {
		if (!this.entries.has(id)) return false;
		start();
		feed(text);
		finish();
		return this.entries.matches(id, inputs.high, inputs.low, digestHigh, digestLow);
	}

	/** The note now holds `text`, rendered from `inputs`; `stat` is the file's as it holds that text, when known. */
	record(id: string, inputs: InputsHash, text: string, stat?: CheckedStat | null): void {
		start();
		feed(text);
		finish();
		this.entries.set(id, inputs.high, inputs.low, digestHigh, digestLow);
		this.settled(id, stat);
	}

	/** True when the book's size and time are known: a walk may find it unchanged without reading the note. */
	knowsFile(id: string): boolean {
		return this.entries.hasStat(id);
	}

	/** True when these inputs are the ones last seen and the file still has the size and time it had then. */
	unchangedFile(id: string, inputs: InputsHash, stat: NoteStat): boolean {
		return this.entries.inputsMatch(id, inputs.high, inputs.low) && this.entries.statMatches(id, stat.size, stat.mtime);
	}

	/**
	 * The file holds the text the fingerprint names, and this is its size
	 * and time: kept only when the note has settled (see SETTLED_MS), else
	 * the next walk reads it once more.
	 */
	settled(id: string, stat: CheckedStat | null | undefined): void {
		const settled = stat !== null && stat !== undefined && stat.checkedAt - stat.mtime > SETTLED_MS;
		this.entries.stat(id, settled ? stat.size : Number.NaN, settled ? stat.mtime : Number.NaN);
	}

	forget(id: string): void {
		this.entries.delete(id);
	}

	/** The entries of the books that still have a note (`ids`), for the next state; a breath between books. Not a copy. */
	async kept(ids: ReadonlyMap<string, unknown>, breathe: Breathe = noBreather): Promise<FingerprintTable> {
		for (const id of this.entries.keys()) {
			await breathe();
			if (!ids.has(id)) this.entries.delete(id);
		}
		return this.entries;
	}
}
