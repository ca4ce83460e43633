import type { SyncReport } from '../core/sync/report';

const numbers = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
	return numbers.format(value);
}

export function formatDuration(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const minutes = Math.floor(ms / 60_000);
	const seconds = Math.round((ms % 60_000) / 1000);
	return `${minutes} min ${seconds} s`;
}

/** `Synced 1,204 books: 12 created, 3 updated, 1,189 unchanged (4.2 s)` */
export function summaryLine(report: SyncReport): string {
	const { counts } = report;
	const parts: string[] = [];
	if (counts.created) parts.push(`${formatCount(counts.created)} created`);
	if (counts.updated) parts.push(`${formatCount(counts.updated)} updated`);
	if (counts.renamed) parts.push(`${formatCount(counts.renamed)} renamed`);
	parts.push(`${formatCount(counts.unchanged)} unchanged`);
	if (counts.skipped) parts.push(`${formatCount(counts.skipped)} not recreated (deleted by you)`);
	if (counts.removed) parts.push(`${formatCount(counts.removed)} marked removed`);
	if (counts.failed) parts.push(`${formatCount(counts.failed)} failed`);
	if (report.removalsSkipped) parts.push('removals not checked (books failed)');
	const unreadable = report.removals?.unreadableCount ?? 0;
	if (unreadable) parts.push(`${formatCount(unreadable)} not marked removed (broken properties)`);
	const books = report.books === 1 ? '1 book' : `${formatCount(report.books)} books`;
	const verb = report.dryRun ? 'Dry run over' : report.ok ? 'Synced' : 'Sync incomplete for';
	return `${verb} ${books}: ${parts.join(', ')} (${formatDuration(report.durationMs)})${coversLine(report)}`;
}

/** `; 3 covers could not be downloaded, see the warnings below` (the warnings follow the summary on stderr). */
function coversLine(report: SyncReport): string {
	const count = report.coversNotDownloaded ?? 0;
	if (count === 0) return '';
	return `; ${count === 1 ? '1 cover' : `${formatCount(count)} covers`} could not be downloaded, see the warnings below`;
}

/** What a dry run would do, a line per note. */
export function changeLines(report: SyncReport): string[] {
	return report.changes.map((change) => {
		const verb = report.dryRun ? { created: 'would create', updated: 'would update', renamed: 'would rename', removed: 'would mark removed' }[change.action] : change.action;
		return change.from ? `  ${verb} ${change.from} -> ${change.path}` : `  ${verb} ${change.path}`;
	});
}

export function failureLines(report: SyncReport, limit = 20): string[] {
	const lines = report.failures.slice(0, limit).map((failure) => {
		const who = failure.title ? `"${failure.title}"` : failure.id ? `book ${failure.id}` : 'a record';
		return `  ${who}: ${failure.reason}`;
	});
	if (report.failures.length > limit) lines.push(`  ... and ${formatCount(report.failures.length - limit)} more`);
	return lines;
}
