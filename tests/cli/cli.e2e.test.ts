import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNoteId } from '../../src/core/sync/merge';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { CLI, notesIn, runCli, snapshot, tempVault } from './run-cli';

const TOKEN = 's3cret-token-value-123';

/** id -> note path, read back from the notes themselves. */
async function notesById(vault: string): Promise<Map<string, string>> {
	const files = await snapshot(vault);
	const byId = new Map<string, string>();
	for (const file of notesIn(files)) {
		const id = readNoteId(files.get(file)?.text ?? '', 'book_id');
		expect(id, `${file} carries its book id`).toBeDefined();
		expect(byId.has(id as string), `one note per book (${id})`).toBe(false);
		byId.set(id as string, file);
	}
	return byId;
}

function usableIds(server: ReferenceServer): string[] {
	return server
		.books()
		.map((book) => book.id)
		.filter((id: unknown): id is string | number => (typeof id === 'string' && id.trim() !== '') || typeof id === 'number')
		.map((id) => String(id).trim());
}

describe('library-sync sync against the reference server', () => {
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

	const sync = (...extra: string[]) => runCli(['sync', '--server', server.url, '--vault', vault, ...extra], { LIBRARY_SYNC_TOKEN: TOKEN });

	it('mirrors every book into one note on the first sync', async () => {
		const result = await sync();
		// Only cover warnings (two odd sample records have covers the server cannot give), no failure.
		expect(result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('library-sync: warnings:') && !line.startsWith('  Cover of '))).toEqual([]);
		expect(result.code).toBe(0);
		const ids = usableIds(server);
		const byId = await notesById(vault);
		expect([...byId.keys()].sort()).toEqual([...new Set(ids)].sort());
		expect(result.stdout).toMatch(new RegExp(`Synced ${ids.length} books: ${ids.length} created, 0 unchanged`));
		const state = JSON.parse(await fs.readFile(path.join(vault, '.obsidian/plugins/library-sync/cli-state.json'), 'utf8')) as Record<string, string>;
		expect(state.cursor).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(JSON.stringify(state)).not.toContain(TOKEN);
	});

	it('downloads the covers of a server behind a path prefix, one request per book, and the summary counts the covers it could not get', async () => {
		await server.stop();
		const prefix = '/some/prefix';
		server = await startReferenceServer({ books: sampleLibrary(), token: TOKEN, pathPrefix: prefix });
		const result = await sync();
		expect(result.code, result.stderr).toBe(0);
		const notes = await snapshot(vault);
		const linked = notesIn(notes).filter((file) => /^cover: "\[\[Books\/covers\/[^"]+\.jpg\]\]"$/m.test(notes.get(file)?.text ?? ''));
		const served = server.covers?.requests ?? [];
		expect(served.length).toBeGreaterThan(100);
		expect(served.every((request) => request.url.startsWith(`${prefix}/covers/`) && request.status === 200)).toBe(true);
		expect(linked).toHaveLength(served.length);
		// Every request but the feed's is a cover's, each asked for once.
		const coverRequests = server.requests.filter((request) => !request.url.startsWith(`${prefix}/api/library/sync`)).map((request) => request.url);
		expect(coverRequests.length).toBe(new Set(coverRequests).size);
		// The two odd sample covers (one climbing out with ../, one on another server) are not downloaded, and the summary says so.
		expect(result.stdout).toMatch(/^Synced \d+ books: .*; 2 covers could not be downloaded, see the warnings below$/m);
		expect(result.stderr).toContain('library-sync: warnings:');
	});

	it('writes nothing on a second sync with nothing new, incremental or full', async () => {
		expect((await sync()).code).toBe(0);
		const before = await snapshot(vault);
		const notes = notesIn(before);
		const incremental = await sync();
		expect(incremental.code).toBe(0);
		expect(incremental.stdout).toMatch(/: 0 unchanged|: \d+ unchanged/);
		expect(incremental.stdout).not.toMatch(/created|updated|renamed/);
		const full = await sync('--full');
		expect(full.code).toBe(0);
		expect(full.stdout).toContain(`Synced ${notes.length} books: ${notes.length} unchanged`);
		const after = await snapshot(vault);
		for (const note of notes) {
			expect(after.get(note)?.text, note).toBe(before.get(note)?.text);
			expect(after.get(note)?.mtimeMs, note).toBe(before.get(note)?.mtimeMs);
		}
	});

	it('applies only the changes on an incremental sync and keeps what the user wrote', async () => {
		expect((await sync()).code).toBe(0);
		const byId = await notesById(vault);
		const [first, second, third] = usableIds(server);
		const mine = path.join(vault, byId.get(first as string) as string);
		const userText = '\n## My thoughts\nLoved the ending. [[Some other note]]\n';
		await fs.appendFile(mine, userText);
		const withUserProperty = (await fs.readFile(mine, 'utf8')).replace(/^---\n/, '---\nmy_rating: 5 # out of five\n');
		await fs.writeFile(mine, withUserProperty);
		const before = await snapshot(vault);

		server.mutate.setProgress(first as string, { percentage: 55, status: 'reading', lastDevice: 'Test e-reader' });
		server.mutate.setProgress(second as string, { percentage: 100, status: 'finished' });
		server.mutate.update(third as string, { publisher: 'A Brand New Publisher' });

		const result = await sync();
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/Synced 3 books: 3 updated, 0 unchanged/);
		const after = await snapshot(vault);
		const changed = [...after.keys()].filter((file) => file.endsWith('.md') && after.get(file)?.text !== before.get(file)?.text);
		expect(changed.sort()).toEqual([byId.get(first as string), byId.get(second as string), byId.get(third as string)].sort());

		const text = await fs.readFile(mine, 'utf8');
		expect(text).toContain('progress: 55');
		expect(text).toContain('last_device: Test e-reader');
		expect(text).toContain('my_rating: 5 # out of five');
		expect(text.endsWith(userText)).toBe(true);
		expect(after.get(byId.get(third as string) as string)?.text).toContain('publisher: A Brand New Publisher');
	});

	it('sends since from the cursor with an overlap, and no since on --full', async () => {
		expect((await sync()).code).toBe(0);
		const state = JSON.parse(await fs.readFile(path.join(vault, '.obsidian/plugins/library-sync/cli-state.json'), 'utf8')) as { cursor: string };
		server.requests.length = 0;
		expect((await sync()).code).toBe(0);
		const since = new URL(server.requests[0]?.url ?? '', 'http://x').searchParams.get('since');
		expect(since).not.toBeNull();
		expect(Date.parse(state.cursor) - Date.parse(since as string)).toBe(5 * 60_000);
		server.requests.length = 0;
		expect((await sync('--full')).code).toBe(0);
		expect(server.requests.every((request) => !request.url.includes('since='))).toBe(true);
	});

	it('fails with exit 1 on a rejected token, writes no note, and never prints the token', async () => {
		const wrong = 'wrong-token-987654';
		const result = await runCli(['sync', '--server', server.url, '--vault', vault, '--token', wrong]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/token/i);
		expect(result.stderr.split('\n').filter((line) => line.trim() !== '')).toHaveLength(1);
		expect(result.stdout + result.stderr).not.toContain(wrong);
		const files = await snapshot(vault);
		expect(notesIn(files)).toEqual([]);
		const state = JSON.parse(await fs.readFile(path.join(vault, '.obsidian/plugins/library-sync/cli-state.json'), 'utf8')) as Record<string, string>;
		expect(state.cursor).toBeUndefined();
		expect(JSON.stringify(state)).not.toContain(wrong);
	});

	it('survives a run of transient faults in one sync', async () => {
		server.faults.push(
			{ kind: 'status', status: 503 },
			{ kind: 'reset' },
			{ kind: 'status', status: 429, retryAfter: '1' },
			{ kind: 'status', status: 502, body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' },
		);
		const result = await sync('--limit', '50');
		expect(result.code).toBe(0);
		expect((await notesById(vault)).size).toBe(new Set(usableIds(server)).size);
	});

	it('stops on a 200 that is a login page: exit 1, no cursor, a sentence that says why', async () => {
		server.faults.push({ kind: 'html' });
		const result = await sync();
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/web page|HTML/i);
		expect(notesIn(await snapshot(vault))).toEqual([]);
	});

	it('changes nothing on --dry-run and lists what it would do', async () => {
		const result = await sync('--dry-run');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('would create Books/');
		expect(await snapshot(vault)).toEqual(new Map());
	});

	it('prints the report as JSON with --json', async () => {
		const result = await sync('--json');
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout) as { ok: boolean; counts: { created: number }; mode: string };
		expect(report.ok).toBe(true);
		expect(report.mode).toBe('incremental');
		expect(report.counts.created).toBe(new Set(usableIds(server)).size);
	});

	it('finishes the sync, unlocks the vault and exits 0 when the reader of its output has gone (| head)', async () => {
		const child = spawn(process.execPath, [CLI, 'sync', '--server', server.url, '--vault', vault, '--json'], {
			env: { PATH: process.env.PATH ?? '', LIBRARY_SYNC_TOKEN: TOKEN },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		// The reader goes away before the first byte: every write to standard output fails.
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		expect(stderr).not.toMatch(/EPIPE|Unhandled/);
		expect(code).toBe(0);
		expect((await notesById(vault)).size).toBe(new Set(usableIds(server)).size);
		const pluginDir = path.join(vault, '.obsidian/plugins/library-sync');
		expect(await fs.readdir(pluginDir)).toEqual(['cli-state.json']);
	});

	it('keeps the plugin settings of the vault: folder and file name template', async () => {
		const pluginDir = path.join(vault, '.obsidian/plugins/library-sync');
		await fs.mkdir(pluginDir, { recursive: true });
		await fs.writeFile(path.join(pluginDir, 'data.json'), JSON.stringify({ schemaVersion: 1, folder: 'Library/Books', fileNameTemplate: '{{author}} - {{title}}' }));
		expect((await sync()).code).toBe(0);
		const notes = notesIn(await snapshot(vault), 'Library/Books');
		expect(notes.length).toBe(new Set(usableIds(server)).size);
		expect(notes.some((note) => / - /.test(note))).toBe(true);
	});
});

describe('library-sync command line', () => {
	it('exits 2 with a sentence on a usage error', async () => {
		const result = await runCli(['sync', '--server', 'http://127.0.0.1:9']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--vault');
	});

	it('exits 2 on an unknown flag and on a bad --limit', async () => {
		expect((await runCli(['sync', '--vault', '/tmp/x', '--bogus'])).code).toBe(2);
		const limit = await runCli(['sync', '--vault', '/tmp/x', '--server', 'http://127.0.0.1:9', '--limit', '0']);
		expect(limit.code).toBe(2);
		expect(limit.stderr).toContain('--limit');
	});

	it('prints help', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('library-sync sync --server <base-url> --vault <dir>');
	});

	it('exits 1 with a clear sentence when the server is unreachable', async () => {
		const vault = await tempVault();
		try {
			const result = await runCli(['sync', '--server', 'http://127.0.0.1:9', '--vault', vault, '--timeout', '2']);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(/reach|refused/i);
		} finally {
			await fs.rm(vault, { recursive: true, force: true });
		}
	}, 120_000);
});

describe('library-sync over a library that lives on, with the settings of its vault', () => {
	let server: ReferenceServer;
	let vault: string;

	beforeEach(async () => {
		server = await startReferenceServer({ books: sampleLibrary() });
		vault = await tempVault();
	});

	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	const sync = (...extra: string[]) => runCli(['sync', '--server', server.url, '--vault', vault, ...extra]);

	it('renames a note when its book is retitled, and keeps links to it working in the report', async () => {
		expect((await sync()).code).toBe(0);
		server.mutate.retitle('bk_0035', 'Pride and Prejudice (Annotated)');
		const result = await sync('--json');
		const report = JSON.parse(result.stdout) as { changes: Array<{ action: string; from?: string; path: string }> };
		expect(report.changes).toEqual([{ id: 'bk_0035', title: 'Pride and Prejudice (Annotated)', action: 'renamed', from: 'Books/Pride and Prejudice.md', path: 'Books/Pride and Prejudice (Annotated).md' }]);
		const files = await snapshot(vault);
		expect(files.has('Books/Pride and Prejudice.md')).toBe(false);
		expect(files.get('Books/Pride and Prejudice (Annotated).md')?.text).toContain('title: Pride and Prejudice (Annotated)');
	});

	it('does not recreate a deleted note on an incremental sync, but does on --full', async () => {
		expect((await sync()).code).toBe(0);
		await fs.rm(path.join(vault, 'Books/Emma.md'));
		const emma = server.books().find((book) => book.title === 'Emma');
		server.mutate.setProgress(String(emma?.id), { percentage: 12 });
		const incremental = await sync();
		expect(incremental.code).toBe(0);
		expect(incremental.stdout).toContain('1 not recreated (deleted by you)');
		expect((await snapshot(vault)).has('Books/Emma.md')).toBe(false);
		const full = await sync('--full');
		expect(full.code).toBe(0);
		expect((await snapshot(vault)).has('Books/Emma.md')).toBe(true);
	});

	it('marks books that left the server on --full, asks before marking more than a tenth, never deletes', async () => {
		expect((await sync()).code).toBe(0);
		const before = notesIn(await snapshot(vault));
		server.mutate.remove('bk_0035');
		const one = await sync('--full');
		expect(one.code).toBe(0);
		expect(one.stdout).toContain('1 marked removed');
		expect((await fs.readFile(path.join(vault, 'Books/Pride and Prejudice.md'), 'utf8'))).toMatch(/^removed: \d{4}-\d\d-\d\d$/m);

		const ids = server.books().map((book) => String(book.id)).slice(0, 40);
		for (const id of ids) server.mutate.remove(id);
		const many = await sync('--full');
		expect(many.code).toBe(0);
		expect(many.stderr).toMatch(/more than a tenth of your library.*--confirm-removals/);
		const confirmed = await sync('--full', '--confirm-removals');
		expect(confirmed.stdout).toContain(`${ids.length} marked removed`);
		expect(notesIn(await snapshot(vault))).toEqual(before);
	});

	describe('library-sync with the plugin settings of the vault', () => {
		const settingsFile = () => path.join(vault, '.obsidian/plugins/library-sync/data.json');
		const writeSettings = async (settings: Record<string, unknown>): Promise<void> => {
			await fs.mkdir(path.dirname(settingsFile()), { recursive: true });
			await fs.writeFile(settingsFile(), JSON.stringify({ schemaVersion: 1, ...settings }));
		};

		it('renders the body from the template note, files notes by the folder layout, and writes the library view once', async () => {
			await fs.mkdir(path.join(vault, 'Templates'), { recursive: true });
			await fs.writeFile(path.join(vault, 'Templates/Book.md'), '---\ntags: [template]\n---\n## {{title}}\nBy {{author}}{{#has_progress}}, {{progress_text}}{{/has_progress}}.\n');
			await writeSettings({ bodyTemplateFile: 'Templates/Book.md', folderTemplate: '{{author}}' });
			const first = await sync('--no-covers');
			expect(first.code).toBe(0);
			expect(first.stdout).toContain('Created Books/Library.base');
			const note = await fs.readFile(path.join(vault, 'Books/Jane Austen/Pride and Prejudice.md'), 'utf8');
			expect(note).toContain('<!-- library-sync:begin -->\n## Pride and Prejudice\nBy Jane Austen.\n<!-- library-sync:end -->');
			expect(note).toContain('cover: "http');
			const base = await fs.readFile(path.join(vault, 'Books/Library.base'), 'utf8');
			expect(base).toContain('file.inFolder("Books")');
			await fs.writeFile(path.join(vault, 'Books/Library.base'), `${base}# my edit\n`);
			const view = await runCli(['view', '--vault', vault]);
			expect(view.code).toBe(0);
			expect(view.stdout).toContain('already there');
			expect(await fs.readFile(path.join(vault, 'Books/Library.base'), 'utf8')).toContain('# my edit');
		});

		it('leaves Library.base out of a first sync when the vault has had it once (the plugin records that)', async () => {
			await writeSettings({ libraryViewCreated: true });
			const first = await sync('--no-covers');
			expect(first.code).toBe(0);
			expect(first.stdout).not.toContain('Library.base');
			await expect(fs.access(path.join(vault, 'Books/Library.base'))).rejects.toThrow();
		});

		it('fails in one sentence, touching nothing, when the template note is missing or broken', async () => {
			await writeSettings({ bodyTemplateFile: 'Templates/Missing.md' });
			const missing = await sync();
			expect(missing.code).toBe(2);
			expect(missing.stderr).toMatch(/body template note "Templates\/Missing.md" could not be read/);
			await fs.mkdir(path.join(vault, 'Templates'), { recursive: true });
			await fs.writeFile(path.join(vault, 'Templates/Missing.md'), '{{#title}} never closed');
			const broken = await sync();
			expect(broken.code).toBe(1);
			expect(notesIn(await snapshot(vault))).toEqual([]);
		});

		it('carries existing notes over when a property is renamed or left out in the settings', async () => {
			expect((await sync('--no-covers')).code).toBe(0);
			await writeSettings({ propertyNames: { author: 'writer', pages: null }, retiredPropertyNames: ['author', 'pages'] });
			const result = await sync('--full', '--no-covers');
			expect(result.code).toBe(0);
			const note = await fs.readFile(path.join(vault, 'Books/Pride and Prejudice.md'), 'utf8');
			expect(note).toMatch(/^writer:\n {2}- Jane Austen$/m);
			expect(note).not.toMatch(/^author:/m);
			expect(note).not.toMatch(/^pages:/m);
		});

		it('downloads covers into the covers folder and links them; --no-covers keeps the address', async () => {
			expect((await sync()).code).toBe(0);
			const note = await fs.readFile(path.join(vault, 'Books/Pride and Prejudice.md'), 'utf8');
			expect(note).toContain('cover: "[[Books/covers/bk_0035.jpg]]"');
			const image = await fs.readFile(path.join(vault, 'Books/covers/bk_0035.jpg'));
			expect([...image.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
			const covers = server.covers?.requests.length ?? 0;
			expect((await sync('--full')).stdout).toContain('unchanged');
			expect(server.covers?.requests.length).toBe(covers);
		});
	});
});
