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
