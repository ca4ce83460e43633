/** Slots to start with; the words grow by doubling. */
const FIRST_SLOTS = 256;

/** Two 64-bit hashes, as four 32-bit words: what decided a note's bytes, and its text. */
const WORDS = 4;

/** A note's size and modification time, as two doubles; NaN when not known. */
const STAT_WORDS = 2;

const TEXT = /^[0-9a-f]{16}\.[0-9a-f]{16}(?::(\d{1,15}):(\d{1,16}(?:\.\d{1,12})?))?$/;

function hex(word: number): string {
	return word.toString(16).padStart(8, '0');
}

/**
 * The note fingerprints of a library (fingerprint.ts), id -> two 64-bit
 * hashes, packed: the four words of every book in one typed array, the
 * map holding only its slot (a small integer, no object). A fingerprint
 * kept as text took four strings a book (about 260 bytes with its map
 * entry; 13 MB at 50,000 books, docs/benchmark.md, eighth round); this
 * takes about 40. Beside them, the note's size and modification time
 * when they were last found to go with that text (two doubles, NaN when
 * not known). In the state file each is written
 * `<inputs hash>.<note text hash>`, 16 hex digits each, followed by
 * `:<size>:<mtime>` when those are known.
 */
export class FingerprintTable {
	private readonly slots = new Map<string, number>();
	private words = new Uint32Array(FIRST_SLOTS * WORDS);
	private stats = new Float64Array(FIRST_SLOTS * STAT_WORDS).fill(Number.NaN);
	/** Slots handed out so far (the next new one), and those given back. */
	private used = 0;
	private readonly free: number[] = [];

	get size(): number {
		return this.slots.size;
	}

	has(id: string): boolean {
		return this.slots.has(id);
	}

	keys(): IterableIterator<string> {
		return this.slots.keys();
	}

	/** True when the book's fingerprint is these four words. */
	matches(id: string, w0: number, w1: number, w2: number, w3: number): boolean {
		const slot = this.slots.get(id);
		if (slot === undefined) return false;
		const at = slot * WORDS;
		const words = this.words;
		return words[at] === w0 >>> 0 && words[at + 1] === w1 >>> 0 && words[at + 2] === w2 >>> 0 && words[at + 3] === w3 >>> 0;
	}

	/** True when the book's inputs hash (its first two words) is this one. */
	inputsMatch(id: string, w0: number, w1: number): boolean {
		const slot = this.slots.get(id);
		if (slot === undefined) return false;
		const at = slot * WORDS;
		return this.words[at] === w0 >>> 0 && this.words[at + 1] === w1 >>> 0;
	}

	/** True when the book's note was last found with this size and modification time. */
	statMatches(id: string, size: number, mtime: number): boolean {
		const slot = this.slots.get(id);
		if (slot === undefined) return false;
		const at = slot * STAT_WORDS;
		return this.stats[at] === size && this.stats[at + 1] === mtime;
	}

	/** True when the book's note size and modification time are known. */
	hasStat(id: string): boolean {
		const slot = this.slots.get(id);
		return slot !== undefined && !Number.isNaN(this.stats[slot * STAT_WORDS]);
	}

	/** Sets the four words; the size and time are forgotten unless given again. */
	set(id: string, w0: number, w1: number, w2: number, w3: number, size = Number.NaN, mtime = Number.NaN): void {
		let slot = this.slots.get(id);
		if (slot === undefined) {
			slot = this.free.pop() ?? this.newSlot();
			this.slots.set(id, slot);
		}
		const at = slot * WORDS;
		this.words[at] = w0;
		this.words[at + 1] = w1;
		this.words[at + 2] = w2;
		this.words[at + 3] = w3;
		this.setStat(slot, size, mtime);
	}

	/** The note's size and modification time that go with the book's fingerprint (NaN: not known). */
	stat(id: string, size: number, mtime: number): void {
		const slot = this.slots.get(id);
		if (slot !== undefined) this.setStat(slot, size, mtime);
	}

	delete(id: string): boolean {
		const slot = this.slots.get(id);
		if (slot === undefined) return false;
		this.slots.delete(id);
		this.free.push(slot);
		return true;
	}

	/** The fingerprint as the state file writes it: `<16 hex>.<16 hex>`, then `:<size>:<mtime>` when known. */
	get(id: string): string | undefined {
		const slot = this.slots.get(id);
		if (slot === undefined) return undefined;
		const at = slot * WORDS;
		const w = this.words;
		const hashes = [hex(w[at] as number), hex(w[at + 1] as number), '.', hex(w[at + 2] as number), hex(w[at + 3] as number)].join('');
		const size = this.stats[slot * STAT_WORDS] as number;
		return Number.isNaN(size) ? hashes : `${hashes}:${size}:${this.stats[slot * STAT_WORDS + 1]}`;
	}

	/** A fingerprint as the state file writes it; false (and nothing kept) when `text` is not one. */
	setText(id: string, text: string): boolean {
		const parts = id === '' ? null : TEXT.exec(text);
		if (parts === null) return false;
		const word = (from: number): number => Number.parseInt(text.slice(from, from + 8), 16);
		const size = parts[1] === undefined ? Number.NaN : Number(parts[1]);
		const mtime = parts[2] === undefined ? Number.NaN : Number(parts[2]);
		this.set(id, word(0), word(8), word(17), word(25), size, mtime);
		return true;
	}

	/** Every id and its fingerprint as text, in the table's order. */
	*entries(): Generator<[string, string]> {
		for (const id of this.slots.keys()) yield [id, this.get(id) as string];
	}

	[Symbol.iterator](): Generator<[string, string]> {
		return this.entries();
	}

	private setStat(slot: number, size: number, mtime: number): void {
		const known = Number.isFinite(size) && Number.isFinite(mtime) && size >= 0 && mtime >= 0;
		this.stats[slot * STAT_WORDS] = known ? size : Number.NaN;
		this.stats[slot * STAT_WORDS + 1] = known ? mtime : Number.NaN;
	}

	private newSlot(): number {
		if ((this.used + 1) * WORDS > this.words.length) {
			const grown = new Uint32Array(this.words.length * 2);
			grown.set(this.words);
			this.words = grown;
			const stats = new Float64Array(this.stats.length * 2).fill(Number.NaN);
			stats.set(this.stats);
			this.stats = stats;
		}
		return this.used++;
	}
}
