/**
 * Regression: a serverTime far in the future used to poison the cursor, so
 * later changes never arrived. A cursor more than a day ahead of the device
 * is not kept: the next run walks everything.
 */
import { promises as fs } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempVault } from '../cli/run-cli';
import { startReferenceServer } from '../server/reference-server';
import { notesById, only, readState, syncCli } from './helpers';

describe('serverTime far in the future', () => {
	it('after one answer stamped 2999, a later change on a server with a sane clock still reaches the vault', async () => {
		let clock = Date.parse('2999-01-01T00:00:00Z');
		const server = await startReferenceServer({ books: [{ id: 'ft1', title: 'Future' }], now: () => clock });
		const vault = await tempVault();
		try {
			expect((await syncCli(server.url, vault, undefined)).code).toBe(0);
			clock = Date.now();
			server.mutate.setProgress('ft1', { percentage: 50 });
			const second = await syncCli(server.url, vault, undefined);
			expect(second.code).toBe(0);
			expect(only(await notesById(vault), 'ft1').data.progress, `cursor ${(await readState(vault)).cursor}`).toBe(50);
		} finally {
			await server.stop();
			await fs.rm(vault, { recursive: true, force: true });
		}
	});
});
