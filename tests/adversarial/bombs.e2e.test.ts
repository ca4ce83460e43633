/**
 * A compressed answer that inflates far past any real page (a gzip bomb)
 * must be refused while it streams, in one sentence that says the answer
 * was too large, not blamed on the network. Issue #11, class 2.
 */
import { promises as fs } from 'node:fs';
import { createGzip } from 'node:zlib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { lines, notesById, readState, syncCli } from './helpers';
import { startRawServer, type RawServer } from './raw-server';

const TOKEN = 'bomb-token-4242';

/** 1 GiB of spaces, gzipped chunk by chunk (about 1 MB on the wire). */
function gzipBomb(inflatedBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const gzip = createGzip({ level: 9 });
		const out: Buffer[] = [];
		gzip.on('data', (chunk: Buffer) => out.push(chunk));
		gzip.on('end', () => resolve(Buffer.concat(out)));
		gzip.on('error', reject);
		const chunk = Buffer.alloc(16 * 1024 * 1024, 0x20);
		let left = inflatedBytes;
		const pump = (): void => {
			while (left > 0) {
				left -= chunk.length;
				if (!gzip.write(chunk)) {
					gzip.once('drain', pump);
					return;
				}
			}
			gzip.end();
		};
		pump();
	});
}

describe('decompression bombs: CLI', () => {
	let bomb: Buffer;
	let server: RawServer;
	let vault: string;
	beforeAll(async () => {
		bomb = await gzipBomb(1024 * 1024 * 1024);
	}, 60_000);
	beforeEach(async () => {
		vault = await tempVault();
	});
	afterEach(async () => {
		await server.stop();
		await fs.rm(vault, { recursive: true, force: true });
	});

	it('a 1 MiB gzip feed page that inflates to 1 GiB: exit 1, one sentence saying the answer was too large, no note, no cursor', async () => {
		server = await startRawServer(() => ({ headers: { 'content-encoding': 'gzip' }, body: bomb }));
		const result = await syncCli(server.url, vault, TOKEN);
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toMatch(/too large/);
		expect(result.stderr).not.toMatch(/Could not reach/);
		expect((await notesById(vault)).size).toBe(0);
		expect((await readState(vault)).cursor).toBeUndefined();
	}, 60_000);
});
