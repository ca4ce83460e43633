import { Worker } from 'node:worker_threads';
import { tempPathBeside } from './vault-files';

/**
 * Reads and writes note files on a thread of its own, with synchronous
 * calls: one message there and one back per note, where asynchronous calls
 * would wake Node's thread pool four or five times (open, read or write,
 * close, link, unlink), each time costing the main thread, which renders
 * the notes, a slice of its time. Both writes go through a temporary file
 * beside the target: a crash or a full disk never leaves half a note.
 *
 * The thread holds the process open only while requests are under way.
 */

/** The thread's whole program (plain JavaScript: it runs as given, without the bundle). */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', ({ id, kind, target, temp, text }) => {
	try {
		if (kind === 'read') {
			let content = null;
			try {
				content = fs.readFileSync(target, 'utf8');
			} catch (error) {
				if (error.code !== 'ENOENT') throw error;
			}
			parentPort.postMessage({ id, content });
			return;
		}
		try {
			fs.writeFileSync(temp, text, { flag: 'wx' });
			// create: link() refuses to replace a file; replace: rename() does so atomically.
			if (kind === 'create') {
				fs.linkSync(temp, target);
				fs.unlinkSync(temp);
			} else {
				fs.renameSync(temp, target);
			}
		} catch (error) {
			try { fs.unlinkSync(temp); } catch {}
			throw error;
		}
		parentPort.postMessage({ id });
	} catch (error) {
		parentPort.postMessage({ id, failed: { code: error.code, message: String(error.message) } });
	}
});
`;

/**
 * The thread only passes note text through, one note at a time: a small
 * young generation, and an old one whose cap (far above any note) keeps
 * V8 from letting it grow to several times what it holds. A note too big
 * even for that fails alone, and the next request starts a new thread.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 256 };

interface Reply {
	id: number;
	content?: string | null;
	failed?: { code?: string; message: string };
}

interface Waiting {
	resolve: (content: string | null) => void;
	reject: (error: Error) => void;
}

export class FileThread {
	private worker: Worker | undefined;
	private readonly pending = new Map<number, Waiting>();
	private nextId = 0;

	/** The file's text, or null when there is no file. */
	read(target: string): Promise<string | null> {
		return this.send({ kind: 'read', target });
	}

	/** Writes a new file; rejects with code EEXIST if `target` exists. */
	async create(target: string, text: string): Promise<void> {
		await this.send({ kind: 'create', target, temp: tempPathBeside(target), text });
	}

	/** Replaces the file's content atomically (or writes it when there is none). */
	async replace(target: string, text: string): Promise<void> {
		await this.send({ kind: 'replace', target, temp: tempPathBeside(target), text });
	}

	private send(request: { kind: 'read' | 'create' | 'replace'; target: string; temp?: string; text?: string }): Promise<string | null> {
		const worker = this.start();
		const id = ++this.nextId;
		return new Promise<string | null>((resolve, reject) => {
			if (this.pending.size === 0) worker.ref();
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, ...request });
		});
	}

	private start(): Worker {
		if (this.worker) return this.worker;
		const worker = new Worker(THREAD_SOURCE, { eval: true, resourceLimits: THREAD_HEAP });
		worker.unref();
		worker.on('message', (reply: Reply) => this.settle(reply));
		worker.on('error', (error) => this.abandon(error));
		worker.on('exit', (code) => this.abandon(new Error(`the note writer stopped (exit code ${code})`)));
		this.worker = worker;
		return worker;
	}

	private settle(reply: Reply): void {
		const waiting = this.pending.get(reply.id);
		if (!waiting) return;
		this.pending.delete(reply.id);
		if (this.pending.size === 0) this.worker?.unref();
		if (reply.failed === undefined) waiting.resolve(reply.content ?? null);
		else waiting.reject(Object.assign(new Error(reply.failed.message), { code: reply.failed.code }));
	}

	/** The thread died: every write under way fails, and the next one starts a new thread. */
	private abandon(error: Error): void {
		this.worker = undefined;
		for (const waiting of this.pending.values()) waiting.reject(error);
		this.pending.clear();
	}
}
