/**
 * A wrong command line gets one line in the tool's own words and exit 2,
 * before any request is sent and before anything is created.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/core/settings/load';
import { DEFAULT_SETTINGS } from '../../src/core/settings/schema';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { sampleLibrary } from '../server/sample-library';
import { runCli, tempVault } from './run-cli';

describe('CLI usage errors', () => {
	let server: ReferenceServer;
	let vault: string;

	beforeAll(async () => {
		server = await startReferenceServer({ books: sampleLibrary().slice(0, 3) });
		vault = await tempVault();
	});
	afterAll(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	const cases: Array<[string, (vault: string, server: string) => string[], RegExp]> = [
		['an unknown option', (v) => ['sync', '--vault', v, '--bogus'], /^There is no option --bogus\./],
		['a negative timeout', (v, s) => ['sync', '--vault', v, '--server', s, '--timeout', '-1'], /^--timeout takes a whole number from 1 to 600, not "-1"\./],
		['an option where a value belongs', (v) => ['sync', '--server', '--vault', v], /^--server needs a value \(the server's base URL\), but is followed by the option --vault\./],
		['an option without its value', (v) => ['sync', '--vault', v, '--server'], /^--server needs a value: the server's base URL\./],
		['a value for a flag that takes none', (v, s) => ['sync', '--vault', v, '--server', s, '--full=yes'], /^--full takes no value/],
		['an unknown time zone', (v, s) => ['sync', '--vault', v, '--server', s, '--time-zone', 'Mars/Olympus'], /^--time-zone takes an IANA time zone .* "Mars\/Olympus" is not one\./],
		['--confirm-removals without --full', (v, s) => ['sync', '--vault', v, '--server', s, '--confirm-removals'], /^--confirm-removals only applies to a full sync; add --full\./],
		['an absolute --folder', (v, s) => ['sync', '--vault', v, '--server', s, '--folder', '/abs'], /^--folder is a folder inside the vault, such as Books; "\/abs" is an absolute path\./],
		['a --folder that climbs out', (v, s) => ['sync', '--vault', v, '--server', s, '--folder', '../escape'], /^--folder must stay inside the vault; "\.\.\/escape" climbs out of it/],
		['a --config-dir with a slash', (v, s) => ['sync', '--vault', v, '--server', s, '--config-dir', 'a/b'], /^--config-dir is the name of a folder at the vault's root/],
		['an option of another command', (v) => ['view', '--vault', v, '--full'], /^--full does not apply to "view"\./],
		['a stray argument', (v, s) => ['sync', '--vault', v, '--server', s, 'extra'], /^Unexpected argument "extra"/],
	];

	it.each(cases)('%s: exit 2, one line of its own, no request', async (_name, argv, message) => {
		const before = server.requests.length;
		const result = await runCli(argv(vault, server.url));
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^library-sync: /);
		expect(lines[0]?.slice('library-sync: '.length)).toMatch(message);
		// Node's own wording never reaches the user.
		expect(result.stderr).not.toMatch(/ambiguous|place it at the end|ERR_PARSE_ARGS/);
		expect(server.requests.length).toBe(before);
		expect(await fs.readdir(vault)).toEqual([]);
	});

	it('refuses a vault folder that does not exist, and creates nothing', async () => {
		const missing = path.join(os.tmpdir(), `library-sync-missing-${process.pid}`, 'vault');
		const result = await runCli(['sync', '--vault', missing, '--server', server.url]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`library-sync: The vault folder "${missing}" does not exist; check the path (a disk not mounted?) or create the folder first.\n`);
		expect(existsSync(path.dirname(missing))).toBe(false);
		expect(server.requests.length).toBe(0);
	});

	it('reads the settings from --config-dir', async () => {
		const dir = await tempVault();
		try {
			const settingsDir = path.join(dir, '.config-alt', 'plugins', 'library-sync');
			await fs.mkdir(settingsDir, { recursive: true });
			await fs.writeFile(path.join(settingsDir, 'data.json'), JSON.stringify({ serverUrl: server.url, folder: 'Shelf' }));
			const result = await runCli(['sync', '--vault', dir, '--config-dir', '.config-alt', '--no-covers', '--quiet']);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			expect((await fs.readdir(path.join(dir, 'Shelf'))).filter((name) => name.endsWith('.md'))).toHaveLength(3);
			expect(existsSync(path.join(settingsDir, 'cli-state.json'))).toBe(true);
			expect(existsSync(path.join(dir, '.obsidian'))).toBe(false);
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	});
});

describe('library-sync init', () => {
	it('writes the settings file the plugin reads, every key, and never overwrites it', async () => {
		const dir = await tempVault();
		try {
			const first = await runCli(['init', '--vault', dir, '--server', 'http://127.0.0.1:9/library/', '--folder', 'Library', '--time-zone', 'Europe/Berlin']);
			expect(first.stderr).toBe('');
			expect(first.code).toBe(0);
			expect(first.stdout).toMatch(/^Wrote \.obsidian\/plugins\/library-sync\/data\.json: /);
			const file = path.join(dir, '.obsidian', 'plugins', 'library-sync', 'data.json');
			const written = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
			expect(Object.keys(written).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
			expect(written).toMatchObject({ serverUrl: 'http://127.0.0.1:9/library', folder: 'Library', timeZone: 'Europe/Berlin' });
			// Loads as it is, without one warning: the same file the plugin would save.
			expect(loadSettings(written)).toEqual({ settings: written, warnings: [] });

			await fs.writeFile(file, '{"serverUrl": "http://127.0.0.1:9/mine"}');
			const again = await runCli(['init', '--vault', dir, '--server', 'http://127.0.0.1:9']);
			expect(again.code).toBe(2);
			expect(again.stderr).toMatch(/^library-sync: \.obsidian\/plugins\/library-sync\/data\.json already exists; init never overwrites settings/);
			expect(await fs.readFile(file, 'utf8')).toBe('{"serverUrl": "http://127.0.0.1:9/mine"}');
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	});

	it('refuses a server address that is not http(s), writing nothing', async () => {
		const dir = await tempVault();
		try {
			const result = await runCli(['init', '--vault', dir, '--server', 'ftp://example.org']);
			expect(result.code).toBe(2);
			expect(result.stderr).toBe('library-sync: The server URL must start with http:// or https://.\n');
			expect(await fs.readdir(dir)).toEqual([]);
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	});
});
