/**
 * The `since` to send for an incremental run: the committed cursor (the
 * server's own clock, never ours) minus a small overlap, so that a change
 * stamped in the same instant as the cursor is not missed. Returns undefined
 * when there is no usable cursor, which means a full walk.
 */
export function sinceFromCursor(cursor: string | undefined, overlapMinutes: number): string | undefined {
	if (!cursor) return undefined;
	const time = Date.parse(cursor);
	if (!Number.isFinite(time)) return undefined;
	const overlapMs = Math.max(0, overlapMinutes) * 60_000;
	return new Date(time - overlapMs).toISOString();
}

/** More than a day ahead of this device: a server clock gone wrong, not a time zone or drift. */
const MAX_CURSOR_LEAD_MS = 24 * 60 * 60_000;

/** True when the cursor is more than a day ahead of `now` (this device's clock). */
export function cursorTooFarAhead(cursor: string, now: number): boolean {
	const time = Date.parse(cursor);
	return Number.isFinite(time) && time - now > MAX_CURSOR_LEAD_MS;
}
