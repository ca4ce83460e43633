import { readFileSync } from 'node:fs';
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
export class NoteFiles {
	private readonly link = launcherLink();

	/** The file's text, or null when there is no file. */
	read(target: string): string | null {
		try {
			return readFileSync(target, 'utf8');
		} catch (error) {
			if ((error as { code?: unknown }).code === 'ENOENT') return null;
			throw error;
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
