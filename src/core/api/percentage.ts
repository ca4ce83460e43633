import { readNumber } from './coerce';

/**
 * How `progress.percentage` is scaled by the server: 'percent' (0..100, the
 * contract), 'fraction' (0..1, some servers) or 'auto' (the default rule).
 */
export type PercentageScale = 'auto' | 'fraction' | 'percent';

const FINISHED_STATUS = /^(?:finished|read|completed?|done)$/i;

/**
 * Normalises a progress percentage to 0..100, rounded to two decimals and
 * clamped. The 'auto' rule decides per record, so the same record always
 * renders the same way (a per-page guess would flap between runs):
 * - a value strictly between 0 and 1 is a fraction and is scaled by 100
 *   (0.42 -> 42); a 0..100 server reporting less than 1% is misread, which
 *   is the rarer and less harmful error;
 * - exactly 1 is 100 when the book is evidently finished (`finished` is
 *   true: a finished-like status or a finishedAt), otherwise 1 (the
 *   contract's 0..100 reading);
 * - 0 and anything above 1 are already percentages.
 * Returns undefined for a missing or non-numeric value.
 */
export function normalisePercentage(value: unknown, finished: boolean, scale: PercentageScale = 'auto'): number | undefined {
	const number = readNumber(value);
	if (number === undefined) return undefined;
	let percent: number;
	if (scale === 'fraction') percent = number * 100;
	else if (scale === 'percent') percent = number;
	else if (number > 0 && number < 1) percent = number * 100;
	else if (number === 1) percent = finished ? 100 : 1;
	else percent = number;
	const clamped = Math.min(100, Math.max(0, percent));
	// toFixed-free rounding; the extra epsilon keeps 0.285 * 100 (28.499999...) at 28.5.
	return Math.round(clamped * 100 + 1e-7) / 100;
}

/** True when a progress status says the book has been read to the end. */
export function isFinishedStatus(status: string | undefined): boolean {
	return status !== undefined && FINISHED_STATUS.test(status);
}
