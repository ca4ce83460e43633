/**
 * `npm run demo`: the whole mirror on the bundled sample library, in a
 * minute. Starts the reference server on 127.0.0.1, syncs into
 * ./demo-vault/Books with the built CLI, writes a note of "yours" into one
 * book, changes a few books on the server, syncs again (only those change,
 * your words stay), and stops the server. Safe to run again. The vault
 * folder can be moved with LIBRARY_SYNC_DEMO_VAULT (the tests do).
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { startReferenceServer } from '../tests/server/reference-server';
import { sampleLibrary } from '../tests/server/sample-library';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const vault = process.env.LIBRARY_SYNC_DEMO_VAULT ?? path.join(root, 'demo-vault');
const folder = 'Books';
const userLine = '\n> [!quote] My notes\n> Written in the demo vault by "you": no sync ever touches this.\n';

function heading(text: string): void {
	process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`);
}

function runCli(args: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
		child.on('error', reject);
		child.on('exit', (code) => resolve(code ?? 1));
	});
}

async function findNote(bookTitle: string): Promise<string | undefined> {
	const dir = path.join(vault, folder);
	for (const name of await fs.readdir(dir)) {
		if (!name.endsWith('.md')) continue;
		const text = await fs.readFile(path.join(dir, name), 'utf8');
		if (text.includes(`title: ${bookTitle}\n`)) return path.join(dir, name);
	}
	return undefined;
}

async function main(): Promise<void> {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm run demo does).');
	// The CLI never makes a vault folder (a typo must not become a second vault); the demo's is its own to make.
	await fs.mkdir(vault, { recursive: true });
	const books = sampleLibrary();
	const server = await startReferenceServer({ books });
	try {
		heading(`Reference server with ${books.length} books at ${server.url}`);
		heading('First sync: every book becomes a note');
		const first = await runCli(['sync', '--server', server.url, '--vault', vault, '--folder', folder, '--full']);
		if (first !== 0) throw new Error(`the first sync failed (exit ${first})`);

		const mine = await findNote('Pride and Prejudice');
		if (mine) {
			if (!(await fs.readFile(mine, 'utf8')).includes(userLine)) await fs.appendFile(mine, userLine);
			heading(`You write in ${path.relative(root, mine)}`);
		}

		heading('Meanwhile on the server: progress on three books, one retitled');
		const byId = new Map(server.books().map((book) => [book.id, book]));
		const [a, b, c, d] = ['bk_0001', 'bk_0005', 'bk_0020', 'bk_0030'].map((id) => byId.get(id));
		const now = new Date().toISOString();
		for (const [book, percentage] of [[a, 37], [b, 100], [c, 64]] as const) {
			if (!book) continue;
			server.mutate.setProgress(String(book.id), { percentage, status: percentage === 100 ? 'finished' : 'reading', lastDevice: 'Kobo Libra 2', lastTimestamp: Date.now(), startedAt: now });
			process.stdout.write(`  ${String(book.title)}: ${percentage}%\n`);
		}
		if (d) {
			server.mutate.retitle(String(d.id), `${String(d.title)} (Annotated Edition)`);
			process.stdout.write(`  "${String(d.title)}" is now "${String(d.title)} (Annotated Edition)"\n`);
		}

		heading('Second sync: only what changed');
		const second = await runCli(['sync', '--server', server.url, '--vault', vault, '--folder', folder]);
		if (second !== 0) throw new Error(`the second sync failed (exit ${second})`);
		if (mine) {
			const kept = (await fs.readFile(mine, 'utf8')).includes(userLine);
			process.stdout.write(`  Your note in ${path.basename(mine)} is ${kept ? 'still there' : 'MISSING'}.\n`);
		}
	} finally {
		await server.stop();
	}
	heading('Done');
	process.stdout.write(
		`The notes are in ${path.join(vault, folder)}.\n` +
			`To look at them in Obsidian: "Open folder as vault" and pick ${vault}.\n` +
			'Run "npm run demo" again at any time; it picks up the same vault.\n',
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
