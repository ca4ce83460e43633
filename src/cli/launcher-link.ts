import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { setImmediate } from 'node:timers';
import { writeNoteSync, type NoteWrite } from './vault-files';

/**
 * The link between the launcher (launch.ts) and the command running on its
 * worker thread: notes are handed over to be written on the launcher's
 * thread, Ctrl-C arrives as a message, and whether standard error is a
 * terminal is told at start (a worker's streams are pipes).
 */

/** What the launcher gives the worker at start. */
export interface LaunchData {
	launchedBy: 'library-sync';
	stderrIsTTY: boolean;
}

/** One note write handed over, with the id its outcome comes back under. */
export interface HandedWrite {
	id: number;
	write: NoteWrite;
}

/** Worker to launcher: the notes to write, in order. */
export type ToLauncher = { type: 'write'; writes: HandedWrite[] };

/** The file system's error for one write of a batch. */
export interface WriteFailure {
	id: number;
	code?: string;
	message: string;
}

/** Launcher to worker: a batch is written (every id not among the failures succeeded), or Ctrl-C. */
export type ToWorker = { type: 'written'; ids: number[]; failed?: WriteFailure[] } | { type: 'cancel' };

/**
 * Writes handed over in one message, at most: the worker renders the next
 * batch while the launcher writes this one (the engine keeps twice as many
 * writes under way). One message a note cost both threads more than
 * writing it did.
 */
export const WRITES_PER_MESSAGE = 8;

const encoder = new TextEncoder();

interface Waiting {
	resolve: () => void;
	reject: (error: Error) => void;
}

export class LauncherLink {
	private readonly pending = new Map<number, Waiting>();
	private readonly cancelListeners = new Set<() => void>();
	private nextId = 0;
	/** Writes not handed over yet, and their buffers (handed over, not copied). */
	private queued: HandedWrite[] = [];
	private transfer: ArrayBuffer[] = [];
	private flushScheduled = false;

	constructor(
		private readonly port: MessagePort,
		readonly stderrIsTTY: boolean,
	) {
		port.on('message', (message: ToWorker) => this.receive(message));
		// Listening for Ctrl-C must not keep the command alive; waiting for a write does.
		port.unref();
	}

	/**
	 * Resolves once the launcher has written the note; rejects with the file
	 * system's code. The text goes over as UTF-8 bytes whose memory is handed
	 * over, not copied: the launcher's heap never holds a note. Writes go
	 * over in batches: when WRITES_PER_MESSAGE are waiting, or once this
	 * thread has nothing else to do.
	 */
	write({ kind, target, data }: NoteWrite): Promise<void> {
		const id = ++this.nextId;
		// Bytes encoded here are this call's own and can be handed over; the caller's are copied.
		const bytes = typeof data === 'string' ? encoder.encode(data) : data;
		if (typeof data === 'string') this.transfer.push(bytes.buffer as ArrayBuffer);
		return new Promise<void>((resolve, reject) => {
			if (this.pending.size === 0) this.port.ref();
			this.pending.set(id, { resolve, reject });
			this.queued.push({ id, write: { kind, target, data: bytes } });
			if (this.queued.length >= WRITES_PER_MESSAGE) this.flush();
			else if (!this.flushScheduled) {
				this.flushScheduled = true;
				setImmediate(() => this.flush());
			}
		});
	}

	/** Calls `listener` on Ctrl-C (or SIGTERM) until the returned function is called. */
	onCancel(listener: () => void): () => void {
		this.cancelListeners.add(listener);
		return () => this.cancelListeners.delete(listener);
	}

	private flush(): void {
		this.flushScheduled = false;
		if (this.queued.length === 0) return;
		const writes = this.queued;
		const transfer = this.transfer;
		this.queued = [];
		this.transfer = [];
		try {
			this.port.postMessage({ type: 'write', writes } satisfies ToLauncher, transfer);
		} catch (error) {
			// Not handed over: every write of the batch fails with the reason, none is left waiting.
			const message = error instanceof Error ? error.message : String(error);
			this.receive({ type: 'written', ids: writes.map(({ id }) => id), failed: writes.map(({ id }) => ({ id, message })) });
		}
	}

	private receive(message: ToWorker): void {
		if (message.type === 'cancel') {
			for (const listener of this.cancelListeners) listener();
			return;
		}
		const failures = new Map((message.failed ?? []).map((failure) => [failure.id, failure]));
		for (const id of message.ids) {
			const waiting = this.pending.get(id);
			if (!waiting) continue;
			this.pending.delete(id);
			const failure = failures.get(id);
			if (failure === undefined) waiting.resolve();
			else waiting.reject(Object.assign(new Error(failure.message), { code: failure.code }));
		}
		if (this.pending.size === 0) this.port.unref();
	}
}

/** The launcher's side: writes each note handed over, in order, and answers once a batch is written. */
export function answerWrites(peer: { on(event: 'message', listener: (message: ToLauncher) => void): unknown; postMessage(message: ToWorker): void }): void {
	peer.on('message', (message) => {
		if (message.type !== 'write') return;
		const ids: number[] = [];
		let failed: WriteFailure[] | undefined;
		for (const { id, write } of message.writes) {
			ids.push(id);
			try {
				writeNoteSync(write);
			} catch (error) {
				const code = (error as { code?: unknown }).code;
				(failed ??= []).push({ id, code: typeof code === 'string' ? code : undefined, message: String((error as Error).message) });
			}
		}
		peer.postMessage(failed === undefined ? { type: 'written', ids } : { type: 'written', ids, failed });
	});
}

let link: LauncherLink | null | undefined;

/** The link, or undefined when the command runs on its own (not started by the launcher). */
export function launcherLink(): LauncherLink | undefined {
	if (link === undefined) {
		const data = workerData as Partial<LaunchData> | null;
		link = parentPort !== null && data?.launchedBy === 'library-sync' ? new LauncherLink(parentPort, data.stderrIsTTY === true) : null;
	}
	return link ?? undefined;
}
