import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { SyncError } from '../core/errors';
import { fileError, fileErrorCode, writeTempBeside } from './vault-files';

/** A lock older than this is taken over even if its process seems alive (a reused pid). */
const STALE_AFTER_MS = 6 * 60 * 60_000;

/**
 * One CLI sync per vault at a time: two runs would each see the other's new
 * notes as strangers and name them apart. The lock is a file created
 * exclusively in the plugin's folder; a lock whose process is gone (or that
 * is very old) is taken over, so a crash never blocks the next run.
 */
export class VaultLock {
	private held = false;

	constructor(private readonly path: string) {}

	async acquire(): Promise<void> {
		let temp: string;
		try {
			await fs.mkdir(nodePath.dirname(this.path), { recursive: true });
			// The lock appears whole (written aside, then linked into place): a
			// second run never reads a lock half written and takes it for a stale one.
			temp = await writeTempBeside(this.path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
		} catch (error) {
			throw fileError('lock the vault for syncing in', nodePath.dirname(this.path), error);
		}
		try {
			for (let attempt = 0; attempt < 2; attempt++) {
				try {
					await fs.link(temp, this.path);
					this.held = true;
					return;
				} catch (error) {
					if (fileErrorCode(error) !== 'EEXIST') throw fileError('lock the vault for syncing with', this.path, error);
				}
				const owner = await this.owner();
				if (owner !== undefined && isAlive(owner.pid) && Date.now() - owner.since < STALE_AFTER_MS) {
					throw new SyncError('io', `Another sync of this vault is running (process ${owner.pid}); try again when it has finished.`);
				}
				await fs.rm(this.path, { force: true });
			}
			throw new SyncError('io', 'Another sync of this vault started at the same moment; try again.');
		} finally {
			await fs.rm(temp, { force: true });
		}
	}

	async release(): Promise<void> {
		if (!this.held) return;
		this.held = false;
		await fs.rm(this.path, { force: true });
	}

	private async owner(): Promise<{ pid: number; since: number } | undefined> {
		try {
			const data = JSON.parse(await fs.readFile(this.path, 'utf8')) as { pid?: unknown; since?: unknown };
			const since = typeof data.since === 'string' ? Date.parse(data.since) : Number.NaN;
			if (typeof data.pid !== 'number' || !Number.isFinite(since)) return undefined;
			return { pid: data.pid, since };
		} catch {
			return undefined;
		}
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as { code?: unknown }).code === 'EPERM';
	}
}
