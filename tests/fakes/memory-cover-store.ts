import { SyncError } from '../../src/core/errors';
import { tooLargeError } from '../../src/core/api/limits';
import { coverIndexPath, parseCoverIndex, serialiseCoverIndex } from '../../src/core/covers/cover-index';
import type { BinaryRequest, BinaryResponse, BinaryTransport, CoverIndex, CoverStore } from '../../src/core/covers/ports';

/**
 * A CoverStore in memory. The index is kept as the same JSON text the real
 * stores write; every write is counted so tests can prove that nothing was
 * written, and writes can be made to fail.
 */
export class MemoryCoverStore implements CoverStore {
	readonly files = new Map<string, Uint8Array>();
	/** Index texts by covers folder. */
	readonly indexes = new Map<string, string>();
	binaryWrites: string[] = [];
	indexWrites = 0;
	/** Paths whose writes fail, as a full disk would. */
	readonly failWrites = new Set<string>();
	failIndexWrites = false;

	async exists(path: string): Promise<boolean> {
		return this.files.has(path);
	}

	async writeBinary(path: string, bytes: Uint8Array): Promise<void> {
		if (this.failWrites.has(path)) throw new SyncError('io', `Could not write "${path}": the disk is full.`);
		const current = this.files.get(path);
		if (current && current.length === bytes.length && current.every((b, i) => b === bytes[i])) return;
		this.binaryWrites.push(path);
		this.files.set(path, Uint8Array.from(bytes));
	}

	async readIndex(coversFolder: string): Promise<CoverIndex> {
		return parseCoverIndex(this.indexes.get(coverIndexPath(coversFolder)) ?? '');
	}

	async writeIndex(coversFolder: string, index: CoverIndex): Promise<void> {
		if (this.failIndexWrites) throw new SyncError('io', 'Could not write the cover index: the disk is full.');
		const text = serialiseCoverIndex(index);
		const path = coverIndexPath(coversFolder);
		if (this.indexes.get(path) === text) return;
		this.indexWrites++;
		this.indexes.set(path, text);
	}
}

/** What a FakeBinaryTransport answers for one URL: a response, an error, or a function of the request. */
export type FakeAnswer = BinaryResponse | Error | ((request: BinaryRequest) => BinaryResponse | Error);

/**
 * A BinaryTransport that answers from a table (URL -> answer, or a queue of
 * answers used in turn, the last one repeating) and records every request.
 * Unknown URLs get a 404. Like the real transports, it rejects bodies over
 * `maxBytes` with SyncError 'protocol'.
 */
export class FakeBinaryTransport implements BinaryTransport {
	readonly requests: BinaryRequest[] = [];
	private readonly answers = new Map<string, FakeAnswer[]>();

	on(url: string, ...answers: FakeAnswer[]): this {
		this.answers.set(url, answers);
		return this;
	}

	async getBytes(request: BinaryRequest): Promise<BinaryResponse> {
		this.requests.push({ ...request, headers: { ...request.headers } });
		const queue = this.answers.get(request.url);
		let answer: FakeAnswer = { status: 404, headers: {}, bytes: new Uint8Array(0) };
		if (queue && queue.length > 0) answer = queue.length > 1 ? (queue.shift() as FakeAnswer) : (queue[0] as FakeAnswer);
		const result = typeof answer === 'function' ? answer(request) : answer;
		if (result instanceof Error) throw result;
		if (result.bytes.length > request.maxBytes) throw tooLargeError('cover', request.url, request.maxBytes);
		return result;
	}
}

/** A 200 answer with these bytes and content type. */
export function image(bytes: Uint8Array, contentType = 'image/jpeg'): BinaryResponse {
	return { status: 200, headers: { 'content-type': contentType }, bytes };
}
