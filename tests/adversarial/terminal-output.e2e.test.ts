/**
 * Server text never steers the terminal (docs/security.md, "Inert"): a
 * title carrying ESC/OSC sequences, BEL, a line break and a bidi override,
 * printed by the built CLI in a cover warning and in a failure line,
 * reaches standard error as one visible line per message, and --json stays
 * JSON with the same values.
 */
/* eslint-disable no-control-regex -- these tests look for control characters */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import type { RawBook } from '../server/raw-book';
import { notesById, only, syncCli } from './helpers';

const TOKEN = 'terminal-output-token-77';
const FORGED = 'library-sync: Synced 999 books: all good';
// Clears the screen, renames the window (OSC 0 ... BEL), rings the bell, starts a forged line, reverses what follows.
const HOSTILE_TITLE = `Evil\u001b[2J\u001b]0;pwned\u0007\u009b31m\r\n${FORGED}\u2028\u202eexe.txt`;

/** Every character a terminal could act on or that moves the eye: C0 but LF, DEL, C1, bidi, line separators. */
const STEERING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectOneLinePerMessage(stderr: string): void {
	expect(stderr).not.toMatch(STEERING);
	for (const line of stderr.split('\n').filter((line) => line !== '')) {
		// A message, or an indented line of the message above it; never a forged message of its own.
		expect(line.startsWith('library-sync: ') || line.startsWith('  '), `line ${JSON.stringify(line)}`).toBe(true);
		expect(line.startsWith(FORGED)).toBe(false);
	}
}

describe('a hostile title printed by the CLI', () => {
	let server: ReferenceServer;
	let vault: string;

	beforeEach(async () => {
		const books: RawBook[] = [
			{ id: 'evil-1', title: HOSTILE_TITLE, author: 'A. Author', coverUrl: '/covers/evil-1.jpg' },
			{ id: 'calm-1', title: 'A Calm Book', author: 'B. Author' },
		];
		server = await startReferenceServer({ books, token: TOKEN });
		vault = await tempVault();
	});

	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('in a cover warning and a failure line: one visible line per message on stderr, no ESC byte; --json parses with the same title', async () => {
		server.covers?.faults.push({ kind: 'status', status: 404 });
		const first = await syncCli(server.url, vault, TOKEN);
		expect(first.code).toBe(0);
		expect(first.stderr).toContain('Cover of Evil');
		expect(first.stderr).toContain('\\x1b]0;pwned\\x07');
		expectOneLinePerMessage(first.stderr);
		expect(first.stdout).not.toMatch(STEERING);

		// The user breaks the note's YAML; the book changes: its failure line names the title.
		const note = only(await notesById(vault), 'evil-1');
		await fs.writeFile(path.join(vault, note.path), note.text.replace(/^---\n/, '---\nmy_list: [unclosed\n'));
		server.mutate.setProgress('evil-1', { percentage: 40 });
		const second = await syncCli(server.url, vault, TOKEN);
		expect(second.code).toBe(1);
		expect(second.stderr).toMatch(/^ {2}"Evil\\x1b\[2J.*not valid YAML/m);
		expectOneLinePerMessage(second.stderr);
		expect(second.stdout).not.toMatch(STEERING);

		const json = await syncCli(server.url, vault, TOKEN, '--json');
		expect(json.stdout).not.toMatch(/[\u001b\u0007\u009b\u2028\u202e]/);
		const report = JSON.parse(json.stdout) as { failures: Array<{ id?: string; title?: string }> };
		expect(report.failures.find((failure) => failure.id === 'evil-1')?.title).toBe(HOSTILE_TITLE);
	});
});
/* eslint-enable no-control-regex -- end of the file */
