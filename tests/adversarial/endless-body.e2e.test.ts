/**
 * A body that never ends where Library Sync does not read one: a redirect's
 * body (the CLI follows redirects itself) and a cover's error page. It must
 * not be drained for ever: the run follows the redirect (or gives the cover
 * up), ends, and the process exits. Issue #11, classes 2 and 3.
 */
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { notesById, syncCli } from './helpers';
import { envelope, startRawServer, type RawReply, type RawServer } from './raw-server';

let server: RawServer;
let vault: string;
beforeEach(async () => {
	vault = await tempVault();
	server = await startRawServer((request): RawReply => {
		if (request.url.startsWith('/api/library/sync')) {
			return { status: 302, headers: { location: `/moved${request.url}`, 'content-type': 'text/html' }, body: '', endless: true };
		}
		if (request.url.startsWith('/moved/api/library/sync')) {
			return { body: envelope([{ id: 'e1', title: 'Endless', updatedAt: '2024-01-01T00:00:00Z', coverUrl: '/covers/e1.jpg' }], { page: 1, limit: 50, total: 1 }) };
		}
		return { status: 500, headers: { 'content-type': 'text/html' }, body: '', endless: true };
	});
});
afterEach(async () => {
	await server.stop();
	await fs.rm(vault, { recursive: true, force: true });
});

it('a redirect and a cover error page whose bodies never end: the run follows, gives the cover up, ends and exits', async () => {
	const result = await syncCli(server.url, vault, undefined);
	expect(result.code).toBe(0);
	expect((await notesById(vault)).has('e1')).toBe(true);
	expect(result.stderr).toContain('could not be downloaded (HTTP 500)');
}, 30_000);
