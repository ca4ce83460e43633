/**
 * Large JSON documents written in pieces: a report or a sync state for a
 * library of 50,000 books is megabytes of text, never needed whole, only
 * on its way to a file or a pipe.
 */

/** Entries of a list per piece. */
const ENTRIES_PER_PIECE = 500;

/**
 * The entries of a JSON array or object one level down, each on its own
 * line after `indent`, comma-separated, a few hundred per piece.
 */
function* entryPieces<T>(items: readonly T[], format: (item: T) => string, indent: string): Generator<string> {
	for (let start = 0; start < items.length; start += ENTRIES_PER_PIECE) {
		let piece = '';
		const end = Math.min(items.length, start + ENTRIES_PER_PIECE);
		for (let i = start; i < end; i++) piece += `${i === 0 ? '' : ','}\n${indent}${format(items[i] as T)}`;
		yield piece;
	}
}

/** Anything keyed by text the way a Map is (a Map, the sync state's fingerprint table). */
interface Keyed {
	readonly size: number;
	keys(): Iterable<string>;
	get(key: string): unknown;
}

function isKeyed(value: unknown): value is Keyed {
	if (value instanceof Map) return true;
	if (typeof value !== 'object' || value === null) return false;
	const keyed = value as Partial<Keyed>;
	return typeof keyed.size === 'number' && typeof keyed.keys === 'function' && typeof keyed.get === 'function';
}

/**
 * `JSON.stringify(value, null, indent)` and a newline, for a plain object
 * of plain data, with each of its top-level arrays written a few hundred
 * entries at a time. A top-level Map (or anything keyed like one, `Keyed`)
 * is written the same way, as the JSON object of its entries, keys sorted
 * (a stable text from run to run).
 */
export function* jsonPieces(value: object, indent: string): Generator<string> {
	let separator = '\n';
	let opened = false;
	for (const [key, field] of Object.entries(value)) {
		if (field === undefined || typeof field === 'function') continue;
		yield `${opened ? '' : '{'}${separator}${indent}${JSON.stringify(key)}: `;
		opened = true;
		separator = ',\n';
		if (Array.isArray(field) && field.length > 0) {
			yield '[';
			yield* entryPieces(field, (item: unknown) => nested(item, indent, 2), indent.repeat(2));
			yield `\n${indent}]`;
		} else if (isKeyed(field) && field.size > 0) {
			const map = field;
			yield '{';
			yield* entryPieces([...map.keys()].sort(), (key) => `${JSON.stringify(key)}: ${nested(map.get(key), indent, 2)}`, indent.repeat(2));
			yield `\n${indent}}`;
		} else if (isKeyed(field)) {
			yield '{}';
		} else {
			yield nested(field, indent, 1);
		}
	}
	yield opened ? '\n}\n' : '{}\n';
}

/** A value as JSON.stringify indents it `depth` levels down (undefined in an array is null). */
function nested(value: unknown, indent: string, depth: number): string {
	const text = JSON.stringify(value, null, indent) ?? 'null';
	return text.replaceAll('\n', `\n${indent.repeat(depth)}`);
}
