import type { BookRecord } from '../api/record';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../api/retry';
import { walkFeed, type WalkResult } from '../api/walker';
import { SyncError, toSyncError } from '../errors';
import type { Clock, HttpTransport, NoteStore, Random, Sleep, StateStore, SyncState } from '../ports';
import { managedPropertyNames } from '../render/properties';
import type { RenderOptions } from '../render/options';
import { BookApplier } from './apply-book';
import { sinceFromCursor } from './cursor';
import type { SyncEventListener } from './events';
import { NoteIndex } from './note-index';
import { normaliseFolder } from './paths';
import { emptyCounts, type BookAction, type BookChange, type BookFailure, type SyncMode, type SyncReport } from './report';

export interface EngineDeps {
	http: HttpTransport;
	notes: NoteStore;
	state: StateStore;
	clock: Clock;
	sleep: Sleep;
	random: Random;
	isCancelled?: () => boolean;
	onEvent?: SyncEventListener;
}

export interface EngineConfig {
	serverUrl: string;
	token?: string;
	authHeader: string;
	mode: SyncMode;
	dryRun: boolean;
	folder: string;
	keepFileNamesInSync: boolean;
	render: RenderOptions;
	pageSize: number;
	overlapMinutes: number;
	timeoutMs: number;
	maxRewalks?: number;
	retry?: RetryPolicy;
}

/** Books whose duplicate link is re-rendered at the end of a run; beyond this, the next run links them. */
const MAX_PENDING_DUPLICATES = 1000;

/**
 * One sync run: walks the feed (from the cursor, or everything when `full`),
 * applies every book as its page arrives, and commits the cursor only when
 * the walk was clean and every book was applied. Never throws for a failed
 * run: the report says what happened and why.
 */
export async function runSync(deps: EngineDeps, config: EngineConfig): Promise<SyncReport> {
	const started = deps.clock.now();
	const emit: SyncEventListener = deps.onEvent ?? (() => undefined);
	const actions = new Map<string, BookAction>();
	const changes: BookChange[] = [];
	const failures: BookFailure[] = [];
	const pendingDuplicates: BookRecord[] = [];
	let state: SyncState = {};
	let since: string | undefined;
	let walk: WalkResult | undefined;
	let error: SyncError | undefined;

	try {
		state = await deps.state.load();
		since = config.mode === 'full' ? undefined : sinceFromCursor(state.cursor, config.overlapMinutes);
		emit({ type: 'start', mode: config.mode, since });
		const index = new NoteIndex(deps.notes, config.render.idProperty);
		const applier = new BookApplier({
			store: deps.notes,
			index,
			render: config.render,
			managed: managedPropertyNames(config.render),
			folder: normaliseFolder(config.folder),
			keepFileNamesInSync: config.keepFileNamesInSync,
			dryRun: config.dryRun,
		});

		const applyOne = async (record: BookRecord, retryingDuplicate: boolean): Promise<BookAction | 'failed'> => {
			if (deps.isCancelled?.()) throw new SyncError('cancelled', 'The sync was cancelled.');
			try {
				const outcome = await applier.apply(record);
				if (outcome.unresolvedDuplicate && !retryingDuplicate && pendingDuplicates.length < MAX_PENDING_DUPLICATES) {
					pendingDuplicates.push(record);
				}
				const previous = actions.get(record.id);
				if (previous === undefined || previous === 'unchanged') actions.set(record.id, outcome.action);
				if (outcome.action !== 'unchanged') {
					changes.push({ id: record.id, title: record.title, action: outcome.action, path: outcome.path, from: outcome.from });
				}
				return outcome.action;
			} catch (caught) {
				const failure = toSyncError(caught, 'io', 'The note could not be written');
				if (failure.kind === 'cancelled') throw failure;
				failures.push({ id: record.id, title: record.title, reason: failure.message });
				return 'failed';
			}
		};

		walk = await walkFeed(
			{
				http: deps.http,
				clock: deps.clock,
				sleep: deps.sleep,
				random: deps.random,
				isCancelled: deps.isCancelled,
				onRetry: ({ attempt, delayMs, error: retryError }) =>
					emit({ type: 'retry', attempt, delayMs, kind: retryError.kind, message: retryError.message }),
			},
			{
				baseUrl: config.serverUrl,
				token: config.token,
				authHeader: config.authHeader,
				timeoutMs: config.timeoutMs,
				retry: config.retry ?? DEFAULT_RETRY_POLICY,
				limit: config.pageSize,
				since,
				maxRewalks: config.maxRewalks ?? 2,
			},
			async (page, progress) => {
				emit({ type: 'page', walk: progress.walk, page: progress.page, totalPages: progress.totalPages, total: progress.total });
				for (const skipped of page.skipped) {
					failures.push({ reason: `A record on page ${progress.page} was skipped: ${skipped.reason}` });
				}
				let done = progress.received - page.records.length;
				for (const record of page.records) {
					const action = await applyOne(record, false);
					done += 1;
					emit({ type: 'book', id: record.id, action, done, total: progress.total });
				}
			},
		);
		for (const record of pendingDuplicates) await applyOne(record, true);
	} catch (caught) {
		error = toSyncError(caught, 'io', 'The sync stopped');
	}

	const finished = deps.clock.now();
	const counts = emptyCounts();
	for (const action of actions.values()) counts[action] += 1;
	counts.failed = failures.length;
	const ok = error === undefined && failures.length === 0;
	const report: SyncReport = {
		mode: config.mode,
		dryRun: config.dryRun,
		ok,
		since,
		cursor: ok ? walk?.cursor : undefined,
		startedAt: new Date(started).toISOString(),
		durationMs: finished - started,
		books: walk?.ids.size ?? actions.size,
		counts,
		changes,
		failures,
		pages: walk?.pages ?? 0,
		requests: walk?.requests ?? 0,
		rewalks: walk?.rewalks ?? 0,
		error: error === undefined ? undefined : { kind: error.kind, message: error.message },
	};

	if (!config.dryRun) {
		const finishedAt = new Date(finished).toISOString();
		const next: SyncState = { ...state, lastRunAt: finishedAt };
		if (ok && walk) {
			next.cursor = walk.cursor;
			next.lastSuccessAt = finishedAt;
			if (config.mode === 'full') next.lastFullSyncAt = finishedAt;
			delete next.lastError;
		} else {
			next.lastError = error?.message ?? describeBookFailures(failures.length);
		}
		try {
			await deps.state.save(next);
		} catch (caught) {
			const saveError = toSyncError(caught, 'io', 'The sync state could not be saved');
			report.ok = false;
			report.cursor = undefined;
			report.error ??= { kind: saveError.kind, message: saveError.message };
		}
	}
	emit({ type: 'done', report });
	return report;
}

function describeBookFailures(count: number): string {
	return count === 1 ? '1 book could not be synced.' : `${count} books could not be synced.`;
}
