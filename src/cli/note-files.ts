import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { launcherLink } from './launcher-link';
import { writeNoteSync, type NoteWrite } from './vault-files';

/**
 * Note files for the folder store. Reads are synchronous: a note is a few
 * kilobytes, usually in the page cache, and a read costs less than a trip
 * through Node's thread pool or another thread. Writes wait on the disk, so
 * under the launcher they are handed to its thread, which has nothing else
 * to do, while this one renders the next notes; on its own, the command
 * writes them itself.
 */
/** Opening a named pipe must not wait for a writer (Windows has no such flag, nor such pipes). */
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;
/** Open errors that mean "no file there". */
const NOT_A_FILE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export class NoteFiles {
	private readonly link = launcherLink();

	/**
	 * The file's text, or null when there is no file: nothing there, or
	 * something that is not a plain file (a folder, a named pipe, a device),
	 * which is opened without waiting and never read.
	 */
	read(target: string): string | null {
		let fd: number;
		try {
			fd = openSync(target, constants.O_RDONLY | NON_BLOCKING);
		} catch (error) {
			if (NOT_A_FILE.has(String((error as { code?: unknown }).code))) return null;
			throw error;
		}
		try {
			return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : null;
		} finally {
			closeSync(fd);
		}
	}

	/** Writes a new file; rejects with code EEXIST if `target` exists. */
	create(target: string, text: string): Promise<void> {
		return this.write({ kind: 'create', target, data: text });
	}

	/** Replaces the file's content atomically (or writes it when there is none). */
	replace(target: string, text: string): Promise<void> {
		return this.write({ kind: 'replace', target, data: text });
	}

	private async write(write: NoteWrite): Promise<void> {
		if (this.link) return this.link.write(write);
		writeNoteSync(write);
	}
}
