import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
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

/** Worker to launcher. */
export type ToLauncher = { type: 'write'; id: number; write: NoteWrite };

/** Launcher to worker. */
export type ToWorker = { type: 'written'; id: number; failed?: { code?: string; message: string } } | { type: 'cancel' };

const encoder = new TextEncoder();

interface Waiting {
	resolve: () => void;
	reject: (error: Error) => void;
}

export class LauncherLink {
	private readonly pending = new Map<number, Waiting>();
	private readonly cancelListeners = new Set<() => void>();
	private nextId = 0;

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
	 * over, not copied: the launcher's heap never holds a note.
	 */
	write({ kind, target, data }: NoteWrite): Promise<void> {
		const id = ++this.nextId;
		// Bytes encoded here are this call's own and can be handed over; the caller's are copied.
		const bytes = typeof data === 'string' ? encoder.encode(data) : data;
		const handedOver = typeof data === 'string' ? [bytes.buffer as ArrayBuffer] : [];
		return new Promise<void>((resolve, reject) => {
			if (this.pending.size === 0) this.port.ref();
			this.pending.set(id, { resolve, reject });
			this.port.postMessage({ type: 'write', id, write: { kind, target, data: bytes } } satisfies ToLauncher, handedOver);
		});
	}

	/** Calls `listener` on Ctrl-C (or SIGTERM) until the returned function is called. */
	onCancel(listener: () => void): () => void {
		this.cancelListeners.add(listener);
		return () => this.cancelListeners.delete(listener);
	}

	private receive(message: ToWorker): void {
		if (message.type === 'cancel') {
			for (const listener of this.cancelListeners) listener();
			return;
		}
		const waiting = this.pending.get(message.id);
		if (!waiting) return;
		this.pending.delete(message.id);
		if (this.pending.size === 0) this.port.unref();
		if (message.failed === undefined) waiting.resolve();
		else waiting.reject(Object.assign(new Error(message.failed.message), { code: message.failed.code }));
	}
}

/** The launcher's side: writes each note handed over, and answers with the outcome. */
export function answerWrites(peer: { on(event: 'message', listener: (message: ToLauncher) => void): unknown; postMessage(message: ToWorker): void }): void {
	peer.on('message', (message) => {
		if (message.type !== 'write') return;
		try {
			writeNoteSync(message.write);
			peer.postMessage({ type: 'written', id: message.id });
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			peer.postMessage({ type: 'written', id: message.id, failed: { code: typeof code === 'string' ? code : undefined, message: String((error as Error).message) } });
		}
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
