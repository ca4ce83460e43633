/** Slots to start with; the words grow by doubling. */
const FIRST_SLOTS = 256;

/** Two 64-bit hashes, as four 32-bit words: what decided a note's bytes, and its text. */
const WORDS = 4;

const TEXT = /^[0-9a-f]{16}\.[0-9a-f]{16}$/;

function hex(word: number): string {
	return word.toString(16).padStart(8, '0');
}

/**
 * The note fingerprints of a library (fingerprint.ts), id -> two 64-bit
 * hashes, packed: the four words of every book in one typed array, the
 * map holding only its slot (a small integer, no object). A fingerprint
 * kept as text took four strings a book (about 260 bytes with its map
 * entry; 13 MB at 50,000 books, docs/benchmark.md, eighth round); this
 * takes about 40. In the state file each is still written
 * `<inputs hash>.<note text hash>`, 16 hex digits each.
 */
export class FingerprintTable {
	private readonly slots = new Map<string, number>();
	private words = new Uint32Array(FIRST_SLOTS * WORDS);
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

	set(id: string, w0: number, w1: number, w2: number, w3: number): void {
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
	}

	delete(id: string): boolean {
		const slot = this.slots.get(id);
		if (slot === undefined) return false;
		this.slots.delete(id);
		this.free.push(slot);
		return true;
	}

	/** The fingerprint as the state file writes it: `<16 hex>.<16 hex>`. */
	get(id: string): string | undefined {
		const slot = this.slots.get(id);
		if (slot === undefined) return undefined;
		const at = slot * WORDS;
		const w = this.words;
		return [hex(w[at] as number), hex(w[at + 1] as number), '.', hex(w[at + 2] as number), hex(w[at + 3] as number)].join('');
	}

	/** A fingerprint as the state file writes it; false (and nothing kept) when `text` is not one. */
	setText(id: string, text: string): boolean {
		if (id === '' || !TEXT.test(text)) return false;
		const word = (from: number): number => Number.parseInt(text.slice(from, from + 8), 16);
		this.set(id, word(0), word(8), word(17), word(25));
		return true;
	}

	/** Every id and its fingerprint as text, in the table's order. */
	*entries(): Generator<[string, string]> {
		for (const id of this.slots.keys()) yield [id, this.get(id) as string];
	}

	[Symbol.iterator](): Generator<[string, string]> {
		return this.entries();
	}

	private newSlot(): number {
		if ((this.used + 1) * WORDS > this.words.length) {
			const grown = new Uint32Array(this.words.length * 2);
			grown.set(this.words);
			this.words = grown;
		}
		return this.used++;
	}
}
