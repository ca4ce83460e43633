import { SyncError } from '../core/errors';

/**
 * File-system errors in the tool's words: every error code the disk can
 * give becomes one sentence naming the path, what is wrong and what to do.
 * The one place where a Node file error becomes a message.
 */

/** Why, and what to do, per error code. */
const REASONS: Record<string, string> = {
	ENOTDIR: 'part of that path is a file where a folder should be; check the vault path and move that file out of the way',
	EISDIR: 'it is a folder where a file should be; move that folder out of the way',
	EACCES: 'permission denied; give this user write access to that folder, or run as its owner',
	EPERM: 'the operation is not permitted there; check the permissions and flags of that folder, or run as its owner',
	EROFS: 'the disk is read-only; sync to a vault on a writable disk, or remount it writable',
	ENOSPC: 'the disk is full; free some space and run again',
	EDQUOT: 'the disk quota of this user is used up; free some space and run again',
	ENAMETOOLONG: 'the name is too long for the file system; choose a shorter vault path, folder or file name template',
	ELOOP: 'the path loops through symbolic links; fix or remove the link',
	ENOENT: 'a folder on the way does not exist; check the vault path',
	EEXIST: 'something is already there; move it out of the way',
	EBUSY: 'the file is in use by another program; close it and run again',
	EMFILE: 'too many files are open; close some programs, or raise the limit (ulimit -n), and run again',
	ENFILE: 'too many files are open on this system; close some programs and run again',
	EIO: 'the disk reported an input/output error; check the disk',
	EXDEV: 'the file would move across disks; keep the vault on one disk',
};

/** Node's error code (ENOENT, EEXIST, ...), if any. */
export function fileErrorCode(error: unknown): string | undefined {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
}

/** `Could not <action> "<path>": <why>; <what to do>.` */
export function fileProblem(action: string, path: string, code: string | undefined): string {
	const reason = code === undefined ? 'an unknown error' : (REASONS[code] ?? `the file system refused it (${code})`);
	return `Could not ${action} "${path}": ${reason}.`;
}

/** The sentence of `fileProblem` as a SyncError of kind io; SyncErrors pass through. */
export function fileError(action: string, path: string, error: unknown): SyncError {
	if (error instanceof SyncError) return error;
	return new SyncError('io', fileProblem(action, path, fileErrorCode(error)), { cause: error });
}

/** Node's own file errors carry their path and system call: `ENOTDIR: not a directory, mkdir '...'` in the tool's words. */
export function describeFileError(error: unknown): string | undefined {
	const code = fileErrorCode(error);
	const { path, syscall } = (error ?? {}) as { path?: unknown; syscall?: unknown };
	if (code === undefined || typeof path !== 'string' || !code.startsWith('E')) return undefined;
	return fileProblem(ACTIONS[typeof syscall === 'string' ? syscall : ''] ?? 'use', path, code);
}

const ACTIONS: Record<string, string> = {
	mkdir: 'create the folder',
	open: 'open',
	read: 'read',
	write: 'write',
	rename: 'move',
	link: 'create',
	unlink: 'remove',
	rmdir: 'remove',
	scandir: 'list',
	stat: 'look at',
	lstat: 'look at',
	access: 'look at',
};
