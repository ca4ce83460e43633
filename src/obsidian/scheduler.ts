import type { Plugin } from 'obsidian';
import type { Settings } from '../core/settings/schema';
import { isRunDue } from '../core/sync/schedule';
import type { DeviceStore } from './device-store';
import type { SyncController } from './sync-controller';

/** How often the schedule looks whether a run is due. */
const CHECK_EVERY_MS = 60_000;
/** An automatic full walk (which can find books that left the server) at most this often. */
const FULL_WALK_EVERY_MS = 24 * 60 * 60_000;

/**
 * Automatic runs. Started once the layout is ready (never during onload):
 * a quiet run on startup, then a check every minute and whenever the app
 * comes back to the foreground, which is when intervals resume on mobile.
 * "Due" comes from the last run's time in the per-device state, so the
 * schedule survives restarts.
 */
export class SyncScheduler {
	private started = false;

	constructor(
		private readonly plugin: Plugin,
		private readonly controller: SyncController,
		private readonly settings: () => Settings,
		private readonly device: DeviceStore,
	) {}

	start(): void {
		if (this.started) return;
		this.started = true;
		this.plugin.registerInterval(window.setInterval(() => void this.check(), CHECK_EVERY_MS));
		this.plugin.registerDomEvent(activeDocument, 'visibilitychange', () => {
			if (activeDocument.visibilityState === 'visible') void this.check();
		});
		if (this.settings().syncOnStartup && this.allowed()) void this.controller.run('incremental', 'startup');
		else void this.check();
	}

	/** Runs an incremental sync when one is due on this device. */
	async check(): Promise<void> {
		if (!this.allowed() || this.controller.isRunning) return;
		const state = await this.controller.state.load();
		const device = this.device.get();
		const lastRunAt = state.lastRunAt === undefined ? undefined : Date.parse(state.lastRunAt);
		const due = isRunDue({
			intervalMinutes: this.settings().syncIntervalMinutes,
			lastRunAt: Number.isFinite(lastRunAt) ? lastRunAt : undefined,
			consecutiveFailures: device.consecutiveFailures,
			authBlocked: device.authBlocked,
			now: Date.now(),
		});
		if (!due) return;
		// Removals only show in a full walk: one a day at most, quietly.
		const lastFull = state.lastFullSyncAt === undefined ? Number.NaN : Date.parse(state.lastFullSyncAt);
		const fullDue = !Number.isFinite(lastFull) || Date.now() - lastFull >= FULL_WALK_EVERY_MS;
		await this.controller.run(fullDue && state.cursor !== undefined ? 'full' : 'incremental', 'schedule');
	}

	private allowed(): boolean {
		const device = this.device.get();
		return device.syncOnThisDevice && !device.authBlocked && this.settings().serverUrl !== '';
	}
}
