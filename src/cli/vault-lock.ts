import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { SyncError } from '../core/errors';
import { processStart } from './process-start';
import { fileError, fileErrorCode, writeTempBeside } from './vault-files';
import { VaultRoot } from './vault-root';

/** Where the start of a lock's process cannot be told, a lock older than this is taken over even if its pid is alive. */
const STALE_AFTER_MS = 6 * 60 * 60_000;

/** What a lock file says about the run that took it. */
interface LockOwner {
	pid: number;
	since: number;
	/** processStart() of the run, where the platform tells it (older versions did not record it). */
	started?: string;
}

/**
 * One CLI sync per vault at a time: two runs would each see the other's new
 * notes as strangers and name them apart. The lock is a file created
 * exclusively in the plugin's folder, naming the run's process: its pid, when
 * it started (a pid alone is no identity: in a container the CLI is pid 1 on
 * every run) and a random run id. It is honoured only while that process is
 * alive and is not this one; anything else (a crash, a kill, junk) is stale
 * and taken over, and `acquire` says so.
 */
export class VaultLock {
	private held = false;

	constructor(
		private readonly path: string,
		/** Where the lock may be written: never outside it, whatever link is on the way. */
		private readonly root = new VaultRoot(nodePath.dirname(path)),
	) {}

	/** Takes the lock; resolves with a sentence for the report when it took over a stale one. */
	async acquire(): Promise<string | undefined> {
		// The lock appears whole (written aside, then linked into place): a
		// second run never reads a lock half written and takes it for a stale one.
		const mine = { pid: process.pid, since: new Date().toISOString(), started: processStart(process.pid), run: randomBytes(8).toString('hex') };
		let temp: string;
		try {
			await this.root.makeFolder(nodePath.dirname(this.path), this.root.shown(this.path));
			temp = await writeTempBeside(this.path, JSON.stringify(mine));
		} catch (error) {
			throw fileError('lock the vault for syncing in', nodePath.dirname(this.path), error);
		}
		let tookOver: string | undefined;
		try {
			for (let attempt = 0; attempt < 2; attempt++) {
				try {
					await fs.link(temp, this.path);
					this.held = true;
					return tookOver;
				} catch (error) {
					if (fileErrorCode(error) !== 'EEXIST') throw fileError('lock the vault for syncing with', this.path, error);
				}
				const owner = await this.owner();
				if (owner === 'gone') continue;
				if (owner !== 'damaged' && isRunning(owner)) {
					throw new SyncError('io', `Another sync of this vault is running (process ${owner.pid}); try again when it has finished.`);
				}
				tookOver =
					owner === 'damaged'
						? 'The lock file of an earlier sync of this vault was damaged; this run took the lock over.'
						: `An earlier sync of this vault (process ${owner.pid}) stopped without releasing its lock; this run took the lock over.`;
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

	/** The lock's owner; 'gone' when the lock was released meanwhile, 'damaged' when it says nothing usable. */
	private async owner(): Promise<LockOwner | 'gone' | 'damaged'> {
		let text: string;
		try {
			text = await fs.readFile(this.path, 'utf8');
		} catch (error) {
			return fileErrorCode(error) === 'ENOENT' ? 'gone' : 'damaged';
		}
		try {
			const data = JSON.parse(text) as { pid?: unknown; since?: unknown; started?: unknown };
			const since = typeof data.since === 'string' ? Date.parse(data.since) : Number.NaN;
			if (typeof data.pid !== 'number' || !Number.isSafeInteger(data.pid) || data.pid <= 0 || !Number.isFinite(since)) return 'damaged';
			return { pid: data.pid, since, started: typeof data.started === 'string' ? data.started : undefined };
		} catch {
			return 'damaged';
		}
	}
}

/**
 * Whether the lock's run is still going: its process is alive and is the
 * one that took the lock. This process's own pid is a run of this process
 * only when the start matches too (another thread); else it is the pid of a
 * run that died before this one was given the same pid.
 */
function isRunning(owner: LockOwner): boolean {
	const startedNow = processStart(owner.pid);
	if (owner.pid === process.pid) return owner.started !== undefined && owner.started === startedNow;
	if (!isAlive(owner.pid)) return false;
	if (owner.started !== undefined && startedNow !== undefined) return owner.started === startedNow;
	return Date.now() - owner.since < STALE_AFTER_MS;
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as { code?: unknown }).code === 'EPERM';
	}
}
