import { randomBytes } from 'node:crypto';
import { linkSync, promises as fs, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { SyncError } from '../core/errors';

/**
 * What the CLI's stores share: temporary files beside their targets
 * (vault-root.ts keeps every write inside the vault; file-errors.ts says
 * what a file error means, in one sentence).
 */

/** Temporary names unique within the process; the random prefix keeps two processes apart. */
const tempPrefix = `.library-sync-${randomBytes(4).toString('hex')}`;
let tempCounter = 0;

/** A new temporary file's path in `target`'s folder: a short name, as the target's own may use all 255 bytes. */
export function tempPathBeside(target: string): string {
	return nodePath.join(nodePath.dirname(target), `${tempPrefix}-${++tempCounter}.tmp`);
}

/**
 * Writes `data` to a new temporary file in `target`'s folder and returns its
 * path; the caller moves it into place.
 */
export async function writeTempBeside(target: string, data: string | Uint8Array): Promise<string> {
	const temp = tempPathBeside(target);
	try {
		await fs.writeFile(temp, data, { flag: 'wx' });
	} catch (error) {
		await fs.rm(temp, { force: true });
		throw error;
	}
	return temp;
}

/** A note file to write: `create` never replaces a file (EEXIST), `replace` swaps the content atomically. */
export interface NoteWrite {
	kind: 'create' | 'replace';
	target: string;
	/** The note's text, or its UTF-8 bytes. */
	data: string | Uint8Array;
}

/**
 * Writes a note through a temporary file beside it, synchronously: a
 * crash or a full disk never leaves half a note. A create is linked into
 * place (link() refuses to replace a file); a replace is renamed over the
 * old file.
 */
export function writeNoteSync({ kind, target, data }: NoteWrite): void {
	const temp = tempPathBeside(target);
	try {
		writeFileSync(temp, data, { flag: 'wx' });
		if (kind === 'create') {
			linkSync(temp, target);
			unlinkSync(temp);
		} else {
			renameSync(temp, target);
		}
	} catch (error) {
		try {
			unlinkSync(temp);
		} catch {
			// Never written, or already gone.
		}
		throw error;
	}
}

// File errors in one sentence live in file-errors.ts; the stores import them from here too.
export { fileError, fileErrorCode } from './file-errors';
