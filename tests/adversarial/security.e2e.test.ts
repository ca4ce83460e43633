/**
 * The token never leaves for another origin and never appears anywhere:
 * errors, log lines, the JSON report, the state file, the notes. README, Guarantees: honest.
 */
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, tempVault } from '../cli/run-cli';
import { startReferenceServer, type ReferenceServer } from '../server/reference-server';
import { notesById, syncCli } from './helpers';
import { honestPages, startRawServer, type RawServer } from './raw-server';

const TOKEN = 'Sup3r-Secret-Token-0451';

async function vaultHasNoToken(vault: string): Promise<void> {
	for (const [file, { text }] of await snapshot(vault)) expect(text, file).not.toContain(TOKEN);
}

describe('the token', () => {
	let server: ReferenceServer;
	let other: RawServer;
	let vault: string;
	beforeEach(async () => {
		server = await startReferenceServer({ books: [{ id: 's1', title: 'Secure' }], token: TOKEN });
		other = await startRawServer(honestPages([{ id: 'o1', title: 'From elsewhere' }]));
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await other.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('a redirect to another origin (another port of 127.0.0.1) is followed without the token: that server never sees it', async () => {
		server.faults.push({ kind: 'redirect', location: `${other.url}/api/library/sync?page=1&limit=100` });
		const result = await syncCli(server.url, vault, TOKEN, '--json');
		expect(other.requests.length).toBeGreaterThan(0);
		for (const request of other.requests) {
			expect(JSON.stringify(request.headers)).not.toContain(TOKEN);
			expect(request.headers.authorization).toBeUndefined();
		}
		expect(result.stdout + result.stderr).not.toContain(TOKEN);
		await vaultHasNoToken(vault);
	});

	it('a 307 to another origin with the token in the Location query is never printed', async () => {
		server.faults.push({ kind: 'redirect', status: 307, location: `${other.url}/login?token=${TOKEN}` });
		const result = await syncCli(server.url, vault, TOKEN, '--json');
		expect(result.stdout + result.stderr).not.toContain(TOKEN);
		expect(other.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
	});

	it('a server echoing the token in error bodies (400, 500 HTML) and a login page: no output, report or state file carries it', async () => {
		for (const fault of [
			{ kind: 'status' as const, status: 400, body: `{"error":"bad request from ${TOKEN}"}` },
			{ kind: 'html' as const },
		]) {
			server.faults.push(fault);
			const result = await syncCli(server.url, vault, TOKEN, '--json');
			expect(result.code).toBe(1);
			expect(result.stdout + result.stderr).not.toContain(TOKEN);
		}
		await vaultHasNoToken(vault);
	});

	it('--token on the command line (not the environment) never shows in the output of a failing or a successful run', async () => {
		const wrong = await syncCli(server.url, vault, undefined, '--token', `${TOKEN}-wrong`, '--json');
		expect(wrong.code).toBe(1);
		expect(wrong.stdout + wrong.stderr).not.toContain(TOKEN);
		const right = await syncCli(server.url, vault, undefined, '--token', TOKEN, '--json');
		expect(right.code).toBe(0);
		expect(right.stdout + right.stderr).not.toContain(TOKEN);
		await vaultHasNoToken(vault);
		expect((await notesById(vault)).size).toBe(1);
	});

	it('a server URL with the token as user:password is refused (exit 2) without echoing it', async () => {
		const url = new URL(server.url);
		const result = await syncCli(`http://user:${TOKEN}@${url.host}`, vault, undefined);
		expect(result.code).toBe(2);
		expect(result.stdout + result.stderr).not.toContain(TOKEN);
		expect(server.requests).toHaveLength(0);
	});

	it('an unreachable server: the one-sentence error names the host, never the token', async () => {
		const result = await syncCli('http://127.0.0.1:9', vault, TOKEN, '--timeout', '1', '--json');
		expect(result.code).toBe(1);
		expect(result.stdout + result.stderr).not.toContain(TOKEN);
	}, 60_000);
});
