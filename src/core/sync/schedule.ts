/**
 * When an automatic run is due. Pure: the plugin asks on start, when the
 * app returns to the foreground and on a timer; intervals only tick while
 * the app is open, so "due" is computed from the last run, not counted.
 */
export interface ScheduleInput {
	/** Minutes between runs; 0 means no schedule. */
	intervalMinutes: number;
	/** When the last run finished (ms), successful or not. */
	lastRunAt?: number;
	/** Failed automatic runs in a row since the last success. */
	consecutiveFailures: number;
	/** The server rejected the token: wait for the settings to change. */
	authBlocked: boolean;
	now: number;
}

const MINUTE = 60_000;
/** First retry after a failure, doubled each time. */
const FIRST_BACKOFF_MINUTES = 5;

/** Milliseconds from `lastRunAt` until the next automatic run, or undefined when none is due ever. */
export function waitAfterLastRun(input: Omit<ScheduleInput, 'now' | 'lastRunAt'>): number | undefined {
	if (input.intervalMinutes <= 0 || input.authBlocked) return undefined;
	const interval = input.intervalMinutes * MINUTE;
	if (input.consecutiveFailures <= 0) return interval;
	// Back off after failures, but never wait longer than the interval (or an hour, when it is short).
	const backoff = FIRST_BACKOFF_MINUTES * MINUTE * 2 ** Math.min(input.consecutiveFailures - 1, 10);
	return Math.min(backoff, Math.max(interval, 60 * MINUTE));
}

/** True when an automatic run should start now. */
export function isRunDue(input: ScheduleInput): boolean {
	const wait = waitAfterLastRun(input);
	if (wait === undefined) return false;
	if (input.lastRunAt === undefined || !Number.isFinite(input.lastRunAt)) return true;
	// A clock set back must not stall the schedule forever.
	if (input.lastRunAt > input.now) return true;
	return input.now - input.lastRunAt >= wait;
}
