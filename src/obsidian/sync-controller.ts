import { normalizePath, type App } from 'obsidian';
import { SyncError, toSyncError } from '../core/errors';
import { templateFromNote } from '../core/render/template';
import type { Settings } from '../core/settings/schema';
import { engineConfigFrom, renderOptionsFrom } from '../core/settings/to-engine';
import { createLibraryView, type LibraryViewResult } from '../core/sync/library-view';
import { coverExtrasFor } from '../core/sync/cover-extras';
import { runSync } from '../core/sync/engine';
import type { SyncEvent } from '../core/sync/events';
import { emptyCounts, type SyncMode, type SyncReport } from '../core/sync/report';
import type { DeviceStore } from './device-store';
import { RequestUrlTransport } from './http-transport';
import { RequestUrlBinaryTransport } from './request-url-binary-transport';
import { VaultCoverStore } from './vault-cover-store';
import { readToken } from './secret-token';
import { LocalStorageStateStore } from './state-store';
import { breather } from './breather';
import { Timers } from './timers';
import { VaultNoteStore } from './vault-note-store';
import { folderLeadingOut } from './library-folder-link';

/** Who started a run: the user (notices) or the schedule (status bar only). */
export type SyncTrigger = 'manual' | 'startup' | 'schedule';

export type ControllerEvent =
	| { type: 'started'; mode: SyncMode; trigger: SyncTrigger }
	| { type: 'progress'; done: number; total: number; trigger: SyncTrigger }
	| { type: 'finished'; report: SyncReport; trigger: SyncTrigger };

export type ControllerListener = (event: ControllerEvent) => void;

/**
 * Runs syncs inside Obsidian, one at a time (kept in memory: a second
 * request while one runs is refused, not queued), wiring the engine to the
 * Obsidian adapters, and keeps the per-device bookkeeping that drives the
 * schedule: failures in a row, and the pause after a rejected token.
 */
export class SyncController {
	private running: { trigger: SyncTrigger; cancellation: AbortController } | undefined;
	private readonly listeners = new Set<ControllerListener>();
	private readonly timers = new Timers();
	readonly state: LocalStorageStateStore;
	lastReport: SyncReport | undefined;

	constructor(
		private readonly app: App,
		private readonly settings: () => Settings,
		private readonly device: DeviceStore,
		/** Changes the vault's settings and saves them (data.json travels with the vault). */
		private readonly changeSettings: (change: Partial<Settings>) => Promise<void> = async () => undefined,
	) {
		this.state = new LocalStorageStateStore(app);
	}

	get isRunning(): boolean {
		return this.running !== undefined;
	}

	onEvent(listener: ControllerListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Starts a run unless one is under way; resolves with its report, or undefined when refused. */
	async run(mode: SyncMode, trigger: SyncTrigger, options: { allowMassRemoval?: boolean } = {}): Promise<SyncReport | undefined> {
		if (this.running) return undefined;
		const run = { trigger, cancellation: new AbortController() };
		this.running = run;
		this.emit({ type: 'started', mode, trigger });
		let report: SyncReport;
		try {
			report = await this.execute(mode, trigger, run, options.allowMassRemoval ?? false);
			// Part of the run: the run is over (and its report visible) only once the view is there.
			// Once per vault, not per device: a view the user deleted stays deleted.
			if (report.firstSync && !this.settings().libraryViewCreated) await this.createLibraryView().catch(() => undefined);
		} finally {
			this.running = undefined;
		}
		this.lastReport = report;
		this.recordOutcome(report);
		this.emit({ type: 'finished', report, trigger });
		return report;
	}

	/**
	 * Stops the running sync: it ends at once, whatever it waits on (a pause,
	 * a request: requestUrl cannot be aborted, so its late answer is dropped).
	 */
	cancel(): boolean {
		if (!this.running) return false;
		this.running.cancellation.abort();
		return true;
	}

	/** Forgets the cursor (the next run walks the whole library); the notes stay. */
	async resetState(): Promise<void> {
		await this.state.save({});
		this.device.update({ consecutiveFailures: 0, authBlocked: false });
	}

	/** Called on unload: stop what runs and clear every timer. */
	dispose(): void {
		this.cancel();
		this.timers.clearAll();
		this.listeners.clear();
	}

	private async execute(mode: SyncMode, trigger: SyncTrigger, run: { cancellation: AbortController }, allowMassRemoval: boolean): Promise<SyncReport> {
		const settings = this.settings();
		if (!settings.serverUrl) {
			return failedReport(mode, new SyncError('config', 'Set the server URL in the Library Sync settings first.'), Date.now());
		}
		const linkedOut = await folderLeadingOut(this.app.vault.adapter, settings);
		if (linkedOut !== undefined) return failedReport(mode, linkedOut, Date.now());
		const token = readToken(this.app, settings) ?? undefined;
		let bodyTemplate: string | undefined;
		try {
			bodyTemplate = await this.readBodyTemplate(settings);
		} catch (error) {
			return failedReport(mode, toSyncError(error, 'config', 'The body template could not be read'), Date.now());
		}
		const config = engineConfigFrom(settings, { mode, dryRun: false, token, userRequested: trigger === 'manual', allowMassRemoval, bodyTemplate });
		const clock = { now: () => Date.now() };
		const signal = run.cancellation.signal;
		const extras = coverExtrasFor({ http: new RequestUrlBinaryTransport(), store: new VaultCoverStore(this.app), clock, sleep: this.timers.sleep, random: Math.random, signal }, config, {
			downloadCovers: settings.downloadCovers,
			allowOtherOrigins: settings.coversFromOtherOrigins,
		});
		return runSync(
			{
				http: new RequestUrlTransport(),
				notes: new VaultNoteStore(this.app),
				state: this.state,
				clock,
				sleep: this.timers.sleep,
				random: Math.random,
				extras,
				signal,
				// Books render between turns of the app's event loop, never a page of them in one task.
				breathe: breather(),
				onEvent: (event: SyncEvent) => {
					if (event.type === 'book') this.emit({ type: 'progress', done: event.done, total: event.total, trigger });
				},
			},
			config,
		);
	}

	/** The body template note's text, when the settings name one. */
	private async readBodyTemplate(settings: Settings): Promise<string | undefined> {
		if (settings.bodyTemplateFile === '') return undefined;
		const file = this.app.vault.getFileByPath(normalizePath(settings.bodyTemplateFile));
		if (!file) throw new SyncError('config', `The body template note "${settings.bodyTemplateFile}" does not exist; check the path in the settings.`);
		return templateFromNote(await this.app.vault.cachedRead(file));
	}

	/** Writes Library.base next to the notes unless one is there, and records in the settings that the vault has it. */
	async createLibraryView(): Promise<LibraryViewResult> {
		const settings = this.settings();
		const result = await createLibraryView(new VaultNoteStore(this.app), settings.folder, renderOptionsFrom(settings));
		if (!this.settings().libraryViewCreated) await this.changeSettings({ libraryViewCreated: true });
		return result;
	}

	private recordOutcome(report: SyncReport): void {
		if (report.ok) {
			this.device.update({ consecutiveFailures: 0, authBlocked: false });
		} else if (report.error?.kind === 'auth') {
			this.device.update({ authBlocked: true, consecutiveFailures: this.device.get().consecutiveFailures + 1 });
		} else if (report.error?.kind !== 'cancelled') {
			this.device.update({ consecutiveFailures: this.device.get().consecutiveFailures + 1 });
		}
	}

	private emit(event: ControllerEvent): void {
		for (const listener of this.listeners) listener(event);
	}
}

/** The report of a run that could not start. */
function failedReport(mode: SyncMode, error: SyncError, now: number): SyncReport {
	return {
		mode,
		dryRun: false,
		ok: false,
		startedAt: new Date(now).toISOString(),
		durationMs: 0,
		books: 0,
		counts: emptyCounts(),
		changes: [],
		failures: [],
		pages: 0,
		requests: 0,
		rewalks: 0,
		error: { kind: error.kind, message: error.message },
	};
}
