import { describe, expect, it } from 'vitest';
import { SyncError } from '../../src/core/errors';
import { describeFileError, fileError, fileProblem } from '../../src/cli/file-errors';

describe('file-system errors in the tool\'s words', () => {
	// Codes a test running as root cannot provoke on a real disk (EACCES, EROFS, ENOSPC ...) are checked here.
	it.each([
		['ENOTDIR', /a file where a folder should be; check the vault path/],
		['EISDIR', /a folder where a file should be; move that folder out of the way/],
		['EACCES', /permission denied; give this user write access/],
		['EPERM', /not permitted there; check the permissions/],
		['EROFS', /the disk is read-only; sync to a vault on a writable disk/],
		['ENOSPC', /the disk is full; free some space and run again/],
		['ENAMETOOLONG', /too long for the file system; choose a shorter/],
		['ELOOP', /loops through symbolic links; fix or remove the link/],
		['EDQUOT', /quota/],
		['EIO', /input\/output error/],
	])('%s: one sentence naming the path, why and what to do', (code, reason) => {
		const message = fileProblem('create', 'Books/Emma.md', code);
		expect(message).toMatch(/^Could not create "Books\/Emma\.md": .+\.$/);
		expect(message).toMatch(reason);
		expect(message).not.toContain(code);
		expect(message.split('\n')).toHaveLength(1);
	});

	it('names an unknown code, and keeps SyncErrors as they are', () => {
		expect(fileProblem('read', 'x.md', 'EWEIRD')).toBe('Could not read "x.md": the file system refused it (EWEIRD).');
		const own = new SyncError('io', 'Already said.');
		expect(fileError('read', 'x.md', own)).toBe(own);
		expect(fileError('read', 'x.md', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })).message).toMatch(/^Could not read "x\.md": permission denied;/);
	});

	it('turns Node\'s own error (code, syscall, path) into the sentence', () => {
		const error = Object.assign(new Error("EROFS: read-only file system, mkdir '/v/.obsidian'"), { code: 'EROFS', syscall: 'mkdir', path: '/v/.obsidian' });
		expect(describeFileError(error)).toBe('Could not create the folder "/v/.obsidian": the disk is read-only; sync to a vault on a writable disk, or remount it writable.');
		expect(describeFileError(new Error('plain'))).toBeUndefined();
	});
});
