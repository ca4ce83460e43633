/**
 * What the built CLI says when things go wrong: one sentence in its own
 * words, naming what to do, and nothing else.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { notesById, only } from '../adversarial/helpers';
import { runCli, tempVault } from './run-cli';

const TOKEN = 'messages-token-value-123';

const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

describe('library-sync messages', () => {
	let server: ReferenceServer;
	let dir: string;

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary().slice(0, 5), token: TOKEN });
		dir = await tempVault();
	});

	afterEach(async () => {
		await server.stop();
		await fs.rm(dir, { recursive: true, force: true });
	});

	const sync = (vault: string, env: Record<string, string>, ...extra: string[]) => runCli(['sync', '--server', server.url, '--vault', vault, ...extra], env);

	it('without a token against a server that needs one: says so and how to give it, and prints no summary', async () => {
		const result = await sync(dir, {});
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toMatch(/needs a token \(HTTP 401\), and no token is set\. Give the token with --token <token> or the LIBRARY_SYNC_TOKEN environment variable\./);
		expect(result.stderr).not.toMatch(/rejected|settings/);
		expect(result.stdout).toBe('');
	});

	it('with a wrong token: names --token and LIBRARY_SYNC_TOKEN, not the settings', async () => {
		const result = await sync(dir, { LIBRARY_SYNC_TOKEN: 'wrong-token-4711' });
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/The server rejected the token \(HTTP 401\)\. Check the token given with --token or LIBRARY_SYNC_TOKEN\./);
		expect(result.stderr).not.toMatch(/settings/);
	});

	it('a run that fails before any book prints only the failure, dry run or not', async () => {
		await server.stop();
		for (const extra of [[], ['--dry-run']]) {
			const result = await sync(dir, { LIBRARY_SYNC_TOKEN: TOKEN }, ...extra);
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(lines(result.stderr)).toHaveLength(1);
			expect(result.stderr).toMatch(/Could not reach the server/);
		}
	});

	// As root no folder can be made unwritable: the errors that can be provoked so, and a unit test for the rest.
	it.each([
		['a file where the vault folder should be', 'ENOTDIR', async () => {
			const file = path.join(dir, 'afile');
			await fs.writeFile(file, 'x');
			return file;
		}, /part of that path is a file where a folder should be/],
		['a vault path component longer than 255 bytes', 'ENAMETOOLONG', async () => path.join(dir, 'a'.repeat(300)), /the name is too long for the file system/],
		['a vault that is a loop of symbolic links', 'ELOOP', async () => {
			await fs.symlink(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
			await fs.symlink(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
			return path.join(dir, 'loop-a');
		}, /the path loops through symbolic links/],
		['a file where the plugin folder should be', 'ENOTDIR', async () => {
			await fs.mkdir(path.join(dir, 'v/.obsidian/plugins'), { recursive: true });
			await fs.writeFile(path.join(dir, 'v/.obsidian/plugins/library-sync'), 'x');
			return path.join(dir, 'v');
		}, /part of that path is a file where a folder should be|something is already there/],
	])('%s (%s): one sentence in its own words, naming the path', async (_what, code, makeVault, reason) => {
		const vault = await makeVault();
		const result = await sync(vault, { LIBRARY_SYNC_TOKEN: TOKEN });
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toMatch(/^library-sync: Could not [a-z ]+ "\/[^"]+": /);
		expect(result.stderr).toMatch(reason);
		expect(result.stderr).not.toContain(`${code}:`);
		expect(result.stderr).not.toMatch(/not valid JSON/);
		expect(result.stdout).toBe('');
	});
});

describe('library-sync --full and a note whose properties the user broke', () => {
	let server: ReferenceServer;
	let vault: string;

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary(), token: TOKEN });
		vault = await tempVault();
		expect((await sync()).code).toBe(0);
	});

	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	const sync = (...extra: string[]) => runCli(['sync', '--server', server.url, '--vault', vault, ...extra], { LIBRARY_SYNC_TOKEN: TOKEN });

	async function breakNote(id: string): Promise<string> {
		const note = only(await notesById(vault), id);
		await fs.writeFile(path.join(vault, note.path), note.text.replace(/^---\n/, '---\nmy_list: [unclosed\n'));
		return note.path;
	}

	it('of a book still listed: the book fails, and the summary and the report say removals were not checked, and why', async () => {
		await breakNote('bk_0036');
		server.mutate.setProgress('bk_0036', { percentage: 30 });
		server.mutate.remove('bk_0035');
		const result = await sync('--full');
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^Sync incomplete for \d+ books: .*1 failed, removals not checked \(books failed\)/m);
		expect(result.stderr).toMatch(/^library-sync: Books that left the server were not looked for, because a book failed: .*run --full again\.$/m);
		expect(await fs.readFile(path.join(vault, 'Books/Pride and Prejudice.md'), 'utf8')).not.toMatch(/^removed:/m);
		const json = JSON.parse((await sync('--full', '--json')).stdout) as { removalsSkipped?: { failed: number } };
		expect(json.removalsSkipped).toEqual({ failed: 1 });
	});

	it('of a book that left the server: the note is left alone, and the summary and the report name it', async () => {
		const broken = await breakNote('bk_0035');
		server.mutate.remove('bk_0035');
		const result = await sync('--full');
		expect(result.stdout).toMatch(/1 not marked removed \(broken properties\)/);
		expect(result.stderr).toContain(`1 note of a book no longer on the server could not be marked removed: the properties are not valid YAML ("${broken}"). Fix them and run --full again.`);
		const json = JSON.parse((await sync('--full', '--json')).stdout) as { removals?: { unreadable?: string[]; unreadableCount?: number } };
		expect(json.removals?.unreadable).toEqual([broken]);
	});
});

describe('library-sync --dry-run', () => {
	let server: ReferenceServer;
	let vault: string;

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary(), token: TOKEN });
		vault = await tempVault();
	});

	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	const sync = async (...extra: string[]) => {
		const result = await runCli(['sync', '--server', server.url, '--vault', vault, '--json', ...extra], { LIBRARY_SYNC_TOKEN: TOKEN });
		const report = JSON.parse(result.stdout) as { counts: Record<string, number>; changes: Array<{ id: string; action: string; path: string }> };
		// In the order the writes settled, which varies: compared as a set.
		const changes = report.changes.map(({ id, action, path }) => `${action} ${id} ${path}`).sort();
		return { counts: report.counts, changes };
	};

	it.each([['on', []], ['off', ['--no-covers']]])('covers %s: reports what the real run then does, on a fresh vault, then a synced one with --full', async (_covers, flags) => {
		const freshDry = await sync('--dry-run', ...flags);
		expect(await fs.readdir(vault)).toEqual([]);
		const freshReal = await sync(...flags);
		expect(freshDry).toEqual(freshReal);
		expect(freshReal.counts.created).toBeGreaterThan(100);

		const fullDry = await sync('--dry-run', '--full', ...flags);
		const fullReal = await sync('--full', ...flags);
		expect(fullDry).toEqual(fullReal);
		expect(fullReal.counts.updated).toBe(0);
	});
});
