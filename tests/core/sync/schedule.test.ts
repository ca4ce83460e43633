import { describe, expect, it } from 'vitest';
import { isRunDue, waitAfterLastRun } from '../../../src/core/sync/schedule';

const HOUR = 3_600_000;
const base = { intervalMinutes: 60, consecutiveFailures: 0, authBlocked: false };

describe('schedule', () => {
	it('is due when there was never a run, and after the interval', () => {
		expect(isRunDue({ ...base, now: 0 })).toBe(true);
		expect(isRunDue({ ...base, lastRunAt: 0, now: HOUR - 1 })).toBe(false);
		expect(isRunDue({ ...base, lastRunAt: 0, now: HOUR })).toBe(true);
	});

	it('is never due when the schedule is off or the token was rejected', () => {
		expect(isRunDue({ ...base, intervalMinutes: 0, now: 10 * HOUR })).toBe(false);
		expect(isRunDue({ ...base, authBlocked: true, lastRunAt: 0, now: 100 * HOUR })).toBe(false);
	});

	it('backs off after failures, doubling from five minutes, capped by the interval', () => {
		expect(waitAfterLastRun({ ...base, consecutiveFailures: 1 })).toBe(5 * 60_000);
		expect(waitAfterLastRun({ ...base, consecutiveFailures: 2 })).toBe(10 * 60_000);
		expect(waitAfterLastRun({ ...base, consecutiveFailures: 5 })).toBe(HOUR);
		expect(waitAfterLastRun({ ...base, intervalMinutes: 1440, consecutiveFailures: 30 })).toBe(24 * HOUR);
		expect(waitAfterLastRun({ ...base, intervalMinutes: 15, consecutiveFailures: 30 })).toBe(HOUR);
	});

	it('does not stall when the clock was set back', () => {
		expect(isRunDue({ ...base, lastRunAt: 10 * HOUR, now: HOUR })).toBe(true);
	});
});
