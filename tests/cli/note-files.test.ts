import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NoteFiles } from '../../src/cli/note-files';

describe('NoteFiles (the command on its own: it writes the notes itself)', () => {
	let dir: string;
	let files: NoteFiles;

	beforeEach(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'library-sync-thread-'));
		files = new NoteFiles();
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));

	it('creates, reads and replaces files, leaving no temporary file behind', async () => {
		const note = path.join(dir, 'Émma.md');
		expect(files.read(note)).toBeNull();
		await files.create(note, 'first ✓\n');
		expect(files.read(note)).toBe('first ✓\n');
		await files.replace(note, 'second\n');
		expect(await readFile(note, 'utf8')).toBe('second\n');
		expect(await readdir(dir)).toEqual(['Émma.md']);
	});

	it('never overwrites with a create: EEXIST, the file intact, no temporary file', async () => {
		const note = path.join(dir, 'Mine.md');
		await writeFile(note, 'the user wrote this\n');
		await expect(files.create(note, 'sync wrote this\n')).rejects.toMatchObject({ code: 'EEXIST' });
		expect(await readFile(note, 'utf8')).toBe('the user wrote this\n');
		expect(await readdir(dir)).toEqual(['Mine.md']);
	});

	it('rejects with the file system code when it cannot write, and goes on working', async () => {
		await expect(files.create(path.join(dir, 'missing', 'a.md'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
		const loop = path.join(dir, 'loop.md');
		await symlink(loop, loop);
		expect(() => files.read(loop)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
		await rm(loop);
		await files.create(path.join(dir, 'b.md'), 'y');
		expect(await readdir(dir)).toEqual(['b.md']);
	});

	it('reads only plain files: a folder or a named pipe called like a note is no note (null), and a pipe is never waited on', async () => {
		await mkdir(path.join(dir, 'Folder.md'));
		expect(files.read(path.join(dir, 'Folder.md'))).toBeNull();
		execFileSync('mkfifo', [path.join(dir, 'Pipe.md')]);
		expect(files.read(path.join(dir, 'Pipe.md'))).toBeNull();
		expect(files.read(path.join(dir, 'Pipe.md', 'below.md'))).toBeNull();
	});

	it('answers many requests at once, each with its own result', async () => {
		const names = Array.from({ length: 200 }, (_, i) => path.join(dir, `n${i}.md`));
		await Promise.all(names.map((name, i) => files.create(name, `note ${i}\n`)));
		const texts = names.map((name) => files.read(name));
		expect(texts).toEqual(names.map((_, i) => `note ${i}\n`));
	});
});
