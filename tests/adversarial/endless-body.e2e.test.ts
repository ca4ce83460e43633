/**
 * A body that never ends where Library Sync does not read one: a redirect's
 * body (the CLI follows redirects itself) and a cover's error page. It must
 * not be drained for ever: the run follows the redirect (or gives the cover
 * up), ends, and the process exits. Issue #11, classes 2 and 3.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { notesById, syncCli } from './helpers';
import { envelope } from './raw-server';

let server: Server;
let url: string;
let vault: string;
const sockets = new Set<Socket>();
const timers = new Set<ReturnType<typeof setInterval>>();

/** Sends chunks of spaces for ever (until the client goes away). */
function endless(res: ServerResponse): void {
	const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 0x20)), 5);
	timers.add(timer);
	res.on('close', () => clearInterval(timer));
}

beforeEach(async () => {
	vault = await tempVault();
	server = createServer((req, res) => {
		const requested = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (requested.pathname === '/api/library/sync') {
			res.writeHead(302, { location: `/moved/api/library/sync${requested.search}`, 'content-type': 'text/html' });
			endless(res);
		} else if (requested.pathname === '/moved/api/library/sync') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(envelope([{ id: 'e1', title: 'Endless', updatedAt: '2024-01-01T00:00:00Z', coverUrl: '/covers/e1.jpg' }], { page: 1, limit: 50, total: 1 })));
		} else {
			res.writeHead(500, { 'content-type': 'text/html' });
			endless(res);
		}
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no TCP address');
	url = `http://127.0.0.1:${address.port}`;
});
afterEach(async () => {
	for (const timer of timers) clearInterval(timer);
	for (const socket of sockets) socket.destroy();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	await fs.rm(vault, { recursive: true, force: true });
});

it('a redirect and a cover error page whose bodies never end: the run follows, gives the cover up, ends and exits', async () => {
	const result = await syncCli(url, vault, undefined);
	expect(result.code).toBe(0);
	expect((await notesById(vault)).has('e1')).toBe(true);
	expect(result.stderr).toContain('could not be downloaded (HTTP 500)');
}, 30_000);
