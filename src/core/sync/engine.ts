import type { BookRecord } from '../api/record';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../api/retry';
import { walkFeed, type WalkResult } from '../api/walker';
import { SyncError, toSyncError } from '../errors';
import { isCancellation, throwIfCancelled } from '../cancel';
import { noBreather, type Breathe, type Clock, type HttpTransport, type NoteStore, type Random, type Sleep, type StateStore, type SyncState } from '../ports';
import { formatDate } from '../render/dates';
import { validateTemplate } from '../render/template';
import { managedPropertyNames, propertyNameMap } from '../render/properties';
import type { RenderOptions } from '../render/options';
import { BookApplier, type ApplyOutcome, type ExtraContext, type PlannedBook } from './apply-book';
import { cursorTooFarAhead, sinceFromCursor } from './cursor';
import type { SyncEventListener } from './events';
import { NoteFingerprints } from './fingerprint';
import { NoteIndex, usableHints, type LocatedNote } from './note-index';
import { normaliseFolder } from '../vault-path';
import { markRemovedBooks } from './removals';
import { RunLedger } from './run-ledger';
import { nextState } from './state';
import { WritePool } from './write-pool';
import type { BookAction, RemovalSummary, SyncMode, SyncReport } from './report';

/** Per-book extras found outside the feed, such as a downloaded cover. Failures are the source's own business. */
export interface BookExtras {
	extrasFor(record: BookRecord): Promise<ExtraContext>;
	/** Called once at the end of every run, failed or not; returns warnings for the report. */
	finish?(): Promise<string[]>;
	/** Covers of this run that could not be had (failed or refused), for the summary; read after finish(). */
	readonly coversNotDownloaded?: number;
}

export interface EngineDeps {
	http: HttpTransport;
	notes: NoteStore;
	state: StateStore;
	clock: Clock;
	sleep: Sleep;
	random: Random;
	extras?: BookExtras;
	/** The run's cancellation: it stops at the next book, and every wait under way ends at once. */
	signal?: AbortSignal;
	onEvent?: SyncEventListener;
	/** Gives the host a turn between books (the plugin: Obsidian's main thread); none: never. */
	breathe?: Breathe;
}

export interface EngineConfig {
	serverUrl: string;
	token?: string;
	authHeader: string;
	mode: SyncMode;
	dryRun: boolean;
	folder: string;
	/** Sub-folders for new notes, e.g. `{{author}}/{{series}}`. */
	folderTemplate: string;
	keepFileNamesInSync: boolean;
	/** Recreate notes the user deleted (the shells set it for a user-requested full sync too). */
	recreateDeleted: boolean;
	/** Notes of books that left the server move here; empty leaves them in place. */
	archiveFolder: string;
	/** Property names that are no longer written (renamed in the settings): removed from notes. */
	retiredPropertyNames: string[];
	/** Removal marking after a clean full walk. */
	removals: {
		/** The user confirmed marking more than a tenth of the library at once. */
		allowMassRemoval: boolean;
		/** An automatic walk: act only when two consecutive walks agree. */
		automatic: boolean;
	};
	render: RenderOptions;
	pageSize: number;
	overlapMinutes: number;
	timeoutMs: number;
	maxRewalks?: number;
	retry?: RetryPolicy;
	/** The app's version: a new one re-renders every note once (the fingerprints say so). */
	appVersion?: string;
}

/** Said once per run when the clean walk's first page had no usable `serverTime` (the books were still applied). */
const NO_SERVER_TIME_WARNING = 'The server sent no usable "serverTime", so the cursor stays where it was and the next sync checks the same books again.';

/** Books looked up (note read, cover fetched) ahead of their turn. */
const LOOKAHEAD = 8;
/** Note writes under way at once. */
const WRITES_IN_FLIGHT = 16;

interface PreparedBook {
	extra: ExtraContext;
	found?: LocatedNote;
	/** The book, found unchanged by its note's size and time (its note not read). */
	unchanged?: PlannedBook;
}

/** Books whose duplicate link is re-rendered at the end of a run; beyond this, the next run links them. */
const MAX_PENDING_DUPLICATES = 1000;

/**
 * One sync run: walks the feed (from the cursor, or everything when `full`),
 * applies every book as its page arrives, and commits the cursor only when
 * the walk was clean and every book was applied (and the server said what
 * time it was: without a usable `serverTime` the cursor stays where it was,
 * with one warning). After a clean full walk,
 * marks the notes of books that left the server. Never throws for a failed
 * run: the report says what happened and why.
 */
export async function runSync(deps: EngineDeps, config: EngineConfig): Promise<SyncReport> {
	return new SyncRun(deps, config).run();
}

class SyncRun {
	private readonly emit: SyncEventListener;
	private readonly breathe: Breathe;
	private readonly ledger = new RunLedger();
	private readonly pendingDuplicates: BookRecord[] = [];
	private readonly writes = new WritePool(WRITES_IN_FLIGHT);
	/** Built in prepare(), from the state's note path hints. */
	private index: NoteIndex | undefined;
	/** Taken over from the loaded state in prepare(); the run adds the books it creates. */
	private knownIds = new Set<string>();
	private applier: BookApplier | undefined;
	private fingerprints: NoteFingerprints | undefined;
	private state: SyncState = {};
	private since: string | undefined;
	private walk: WalkResult | undefined;
	private removals: { summary: RemovalSummary; pending: string[] } | undefined;
	private error: SyncError | undefined;
	private removalsSkipped: { failed: number } | undefined;

	constructor(
		private readonly deps: EngineDeps,
		private readonly config: EngineConfig,
	) {
		this.emit = deps.onEvent ?? (() => undefined);
		this.breathe = deps.breathe ?? noBreather;
	}

	async run(): Promise<SyncReport> {
		const started = this.deps.clock.now();
		try {
			await this.prepare();
			await this.walkAndApply();
			for (const record of this.pendingDuplicates) await this.applyOne(record, true);
			await this.writes.drain();
			// A cancel that came with the last book still ends the run cancelled: no removal pass, no cursor.
			throwIfCancelled(this.deps.signal);
			if (this.config.mode === 'full' && this.walk && this.walk.ids.size > 0) {
				// A failed book may be one that seems gone: removals wait for a run where every book synced.
				if (this.ledger.failures.length === 0) await this.markRemovals();
				else this.removalsSkipped = { failed: this.ledger.failures.length };
			}
		} catch (caught) {
			this.error = toSyncError(caught, 'io', 'The sync stopped');
		}
		const warnings = await this.finishExtras();
		if (this.walk !== undefined && this.walk.cursor === undefined) warnings.push(NO_SERVER_TIME_WARNING);
		const report = this.report(started, this.deps.clock.now());
		if (warnings.length > 0) report.warnings = warnings;
		const coversNotDownloaded = this.deps.extras?.coversNotDownloaded ?? 0;
		if (coversNotDownloaded > 0) report.coversNotDownloaded = coversNotDownloaded;
		if (report.ok && !this.config.dryRun && this.state.lastSuccessAt === undefined) report.firstSync = true;
		if (!this.config.dryRun) await this.saveState(report);
		this.emit({ type: 'done', report });
		return report;
	}

	private async prepare(): Promise<void> {
		// The two per-book tables are taken over by the run (`knownIds`, the
		// index's hints), and the next state is written from them.
		const { knownIds, notePaths, fingerprints, ...state } = await this.deps.state.load();
		this.state = state;
		if (knownIds !== undefined) this.knownIds = knownIds;
		const folder = normaliseFolder(this.config.folder);
		const archiveFolder = this.config.archiveFolder === '' ? '' : normaliseFolder(this.config.archiveFolder);
		const index = new NoteIndex(this.deps.notes, this.config.render.idProperty, usableHints(notePaths, archiveFolder === '' ? [folder] : [folder, archiveFolder]), this.deps.signal, () => this.deps.clock.now());
		this.index = index;
		this.since = this.config.mode === 'full' ? undefined : sinceFromCursor(this.state.cursor, this.config.overlapMinutes);
		// A broken template fails the run up front, in one sentence, before any note is touched.
		if (this.config.render.bodyTemplate !== undefined) validateTemplate(this.config.render.bodyTemplate);
		this.emit({ type: 'start', mode: this.config.mode, since: this.since });
		const managed = managedPropertyNames(this.config.render);
		for (const name of this.config.retiredPropertyNames) if (name !== this.config.render.idProperty) managed.add(name);
		this.fingerprints = new NoteFingerprints(this.config.render, managed, this.config.appVersion ?? '', fingerprints);
		this.applier = new BookApplier({
			store: this.deps.notes,
			index,
			render: this.config.render,
			managed,
			folder,
			folderTemplate: this.config.folderTemplate,
			archiveFolder,
			keepFileNamesInSync: this.config.keepFileNamesInSync,
			knownIds: this.knownIds,
			recreateDeleted: this.config.recreateDeleted,
			dryRun: this.config.dryRun,
			fingerprints: this.fingerprints,
		});
	}

	private async walkAndApply(): Promise<void> {
		const { deps, config } = this;
		this.walk = await walkFeed(
			{
				http: deps.http,
				clock: deps.clock,
				sleep: deps.sleep,
				random: deps.random,
				signal: deps.signal,
				onRetry: ({ attempt, delayMs, error }) => this.emit({ type: 'retry', attempt, delayMs, kind: error.kind, message: error.message }),
			},
			{
				baseUrl: config.serverUrl,
				token: config.token,
				authHeader: config.authHeader,
				timeoutMs: config.timeoutMs,
				retry: config.retry ?? DEFAULT_RETRY_POLICY,
				limit: config.pageSize,
				since: this.since,
				maxRewalks: config.maxRewalks ?? 2,
			},
			async (page, progress) => {
				this.emit({ type: 'page', walk: progress.walk, page: progress.page, totalPages: progress.totalPages, total: progress.total });
				for (const skipped of page.skipped) {
					this.ledger.failed({ reason: `A record on page ${progress.page} was skipped: ${skipped.reason}` });
				}
				let done = progress.received - page.records.length;
				await this.applyPage(page.records, (record, action) => {
					done += 1;
					this.emit({ type: 'book', id: record.id, action, done, total: progress.total });
				});
			},
		);
	}

	/**
	 * Applies a page's books in feed order, looking the next ones up (their
	 * note read, their cover fetched) while one is planned, and writing
	 * several notes at once. Every write has settled when this returns.
	 */
	private async applyPage(records: readonly BookRecord[], applied: (record: BookRecord, action: BookAction | 'failed') => void): Promise<void> {
		const firstAt = new Map<string, number>();
		records.forEach((record, i) => {
			if (!firstAt.has(record.id)) firstAt.set(record.id, i);
		});
		const ahead = new Map<number, Promise<PreparedBook>>();
		const lookAhead = (i: number): void => {
			const record = records[i];
			// A repeated id is looked up only after its earlier copy's write.
			if (record !== undefined && !ahead.has(i) && firstAt.get(record.id) === i) ahead.set(i, this.prepareBook(record));
		};
		try {
			for (const [i, record] of records.entries()) {
				// A book whose lookup is done renders without waiting for anything: without a turn for
				// the host now and then, a page's books would render in one task.
				await this.breathe();
				for (let j = i; j < i + LOOKAHEAD; j++) lookAhead(j);
				const prepared = ahead.get(i);
				ahead.delete(i);
				if (prepared === undefined) await this.writes.drain();
				await this.applyOne(record, false, prepared, applied);
			}
		} finally {
			await Promise.allSettled(ahead.values());
			await this.writes.drain();
		}
	}

	/** The book's extras and its note, looked up together; the promise never goes unhandled. */
	private prepareBook(record: BookRecord): Promise<PreparedBook> {
		const applier = this.applier;
		if (!applier) return Promise.reject(new SyncError('io', 'The sync was not prepared.'));
		const extras: Promise<ExtraContext> = Promise.resolve(this.deps.extras ? this.deps.extras.extrasFor(record) : {});
		const prepared: Promise<PreparedBook> = applier.mayBeUnchangedFile(record.id)
			? // The note is read only when its file does not show it unchanged.
				extras.then(async (extra) => {
					const unchanged = await applier.unchangedFile(record, extra);
					return unchanged === undefined ? { extra, found: await applier.locate(record.id) } : { extra, unchanged };
				})
			: Promise.all([extras, applier.locate(record.id)]).then(([extra, found]) => ({ extra, found }));
		prepared.catch(() => undefined);
		return prepared;
	}

	/** Plans the book and hands its write to the pool; `applied` hears of it once the write settled. */
	private async applyOne(
		record: BookRecord,
		retryingDuplicate: boolean,
		prepared?: Promise<PreparedBook>,
		applied?: (record: BookRecord, action: BookAction | 'failed') => void,
	): Promise<void> {
		throwIfCancelled(this.deps.signal);
		const applier = this.applier;
		if (!applier) throw new SyncError('io', 'The sync was not prepared.');
		const failed = (caught: unknown): void => {
			const failure = toSyncError(caught, 'io', 'The note could not be written');
			this.ledger.failed({ id: record.id, title: record.title, reason: failure.message });
			applied?.(record, 'failed');
		};
		const settled = (outcome: ApplyOutcome): void => {
			this.settle(record, outcome, retryingDuplicate);
			applied?.(record, outcome.action);
		};
		let planned: PlannedBook;
		try {
			const { extra, found, unchanged } = await (prepared ?? this.prepareBook(record));
			planned = unchanged ?? (await applier.plan(record, found, extra));
		} catch (caught) {
			if (isCancellation(caught)) throw caught;
			failed(caught);
			return;
		}
		const write = planned.write;
		if (write === undefined) settled(planned.outcome);
		else await this.writes.add(() => write().then(() => settled(planned.outcome), failed));
	}

	/** Books what a planned book did, once its write is done. */
	private settle(record: BookRecord, outcome: ApplyOutcome, retryingDuplicate: boolean): void {
		if (outcome.unresolvedDuplicate && !retryingDuplicate && this.pendingDuplicates.length < MAX_PENDING_DUPLICATES) {
			this.pendingDuplicates.push(record);
		}
		this.ledger.applied(record, outcome);
		if (outcome.action === 'created') this.knownIds.add(record.id);
	}

	private async finishExtras(): Promise<string[]> {
		try {
			return (await this.deps.extras?.finish?.()) ?? [];
		} catch (caught) {
			return [toSyncError(caught, 'io', 'Covers could not be saved').message];
		}
	}

	private async markRemovals(): Promise<void> {
		const { config, deps } = this;
		const { applier, walk, index } = this;
		if (!applier || !walk || !index) return;
		const removedProperty = propertyNameMap(config.render).find(([key]) => key === 'removed')?.[1] ?? null;
		const result = await markRemovedBooks(
			deps.notes,
			index,
			walk.ids,
			this.state.pendingRemovals ?? [],
			{
				removedProperty,
				today: formatDate(deps.clock.now(), config.render.timeZone) ?? new Date(deps.clock.now()).toISOString().slice(0, 10),
				archiveFolder: config.archiveFolder === '' ? '' : normaliseFolder(config.archiveFolder),
				allowMassRemoval: config.removals.allowMassRemoval,
				requireAgreement: config.removals.automatic,
				dryRun: config.dryRun,
				signal: deps.signal,
			},
			(folder, baseName, id) => applier.freePath(folder, baseName, id),
			this.breathe,
		);
		this.ledger.add(result);
		this.removals = { summary: result.summary, pending: result.pending };
	}

	private report(started: number, finished: number): SyncReport {
		const { ledger } = this;
		const ok = this.error === undefined && ledger.failures.length === 0;
		return {
			mode: this.config.mode,
			dryRun: this.config.dryRun,
			ok,
			since: this.since,
			cursor: ok ? this.walk?.cursor : undefined,
			startedAt: new Date(started).toISOString(),
			durationMs: finished - started,
			books: this.walk?.ids.size ?? ledger.books,
			counts: ledger.counts(this.removals?.summary.marked ?? 0),
			changes: ledger.changes,
			failures: ledger.failures,
			pages: this.walk?.pages ?? 0,
			requests: this.walk?.requests ?? 0,
			rewalks: this.walk?.rewalks ?? 0,
			removals: this.removals?.summary,
			removalsSkipped: this.removalsSkipped,
			error: this.error === undefined ? undefined : { kind: this.error.kind, message: this.error.message, ...(this.error.tokenMissing ? { tokenMissing: true as const } : {}) },
		};
	}

	private async saveState(report: SyncReport): Promise<void> {
		const paths = this.index?.paths() ?? new Map<string, string>();
		for (const id of paths.keys()) {
			await this.breathe();
			this.knownIds.add(id);
		}
		let cursor = report.ok ? this.walk?.cursor : undefined;
		if (cursor !== undefined && cursorTooFarAhead(cursor, this.deps.clock.now())) {
			// A server clock far ahead would hide every change until it catches up: walk everything next time.
			(report.warnings ??= []).push(`The server's clock (${cursor}) is more than a day ahead of this device's; the next sync checks every book.`);
			report.cursor = undefined;
			cursor = undefined;
		} else if (report.ok && this.walk !== undefined && this.walk.cursor === undefined) {
			// No usable serverTime: every book is mirrored, but there is no instant to go on from, so the cursor stays.
			cursor = this.state.cursor;
		}
		const next = nextState(this.state, {
			finishedAt: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
			clean: report.ok && this.walk !== undefined,
			full: this.config.mode === 'full',
			cursor,
			knownIds: this.knownIds,
			paths,
			fingerprints: await this.fingerprints?.kept(paths, this.breathe),
			pendingRemovals: this.removals?.pending,
			error: this.error?.message ?? describeBookFailures(this.ledger.failures.length),
		});
		try {
			await this.deps.state.save(next);
		} catch (caught) {
			const saveError = toSyncError(caught, 'io', 'The sync state could not be saved');
			report.ok = false;
			report.cursor = undefined;
			report.error ??= { kind: saveError.kind, message: saveError.message };
		}
	}
}

function describeBookFailures(count: number): string {
	return count === 1 ? '1 book could not be synced.' : `${count} books could not be synced.`;
}
