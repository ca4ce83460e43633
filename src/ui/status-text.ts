import { intlFormatDistance } from 'date-fns';
import type { SyncErrorKind } from '../core/errors';
import type { SyncReport } from '../core/sync/report';
import { inertText } from '../core/text/inert-text';

const numbers = new Intl.NumberFormat('en-US');

/** What the status bar says while idle: `Library synced 5 minutes ago`. */
export function idleText(lastSuccessAt: number | undefined, now: number): string {
	if (lastSuccessAt === undefined) return 'Library not synced yet';
	if (now - lastSuccessAt < 60_000) return 'Library synced just now';
	// Intl's relative time: no locale tables in the bundle (the mobile download stays small).
	return `Library synced ${intlFormatDistance(lastSuccessAt, now, { locale: 'en', numeric: 'always' })}`;
}

/** While syncing: `Syncing library 340/1,204`. */
export function progressText(done: number, total: number): string {
	return total > 0 ? `Syncing library ${numbers.format(done)}/${numbers.format(total)}` : 'Syncing library';
}

/** The reason of a failed run, in a few words, for the status bar. */
export function failureText(report: SyncReport): string {
	switch (report.error?.kind) {
		case 'auth':
			return report.error.tokenMissing ? 'Library sync: no token set' : 'Library sync: token rejected';
		case 'network':
			return 'Library sync: server unreachable';
		case 'timeout':
			return 'Library sync: server too slow';
		case 'rate-limited':
			return 'Library sync: rate limited';
		case 'protocol':
			return 'Library sync: not a library server';
		case 'incomplete':
			return 'Library sync: answer cut off';
		case 'http':
			return 'Library sync: server error';
		case 'config':
			return 'Library sync: check settings';
		case 'cancelled':
			return 'Library sync cancelled';
		case 'io':
			return 'Library sync: could not write notes';
		case undefined:
			return report.failures.length > 0 ? `Library sync: ${numbers.format(report.failures.length)} failed` : 'Library synced';
	}
}

/**
 * One sentence for a notice at the end of a run the user started; `why`
 * says where to see why covers could not be downloaded.
 */
export function summaryText(report: SyncReport, why = '"Show last sync report" says why'): string {
	if (report.error) return `Library sync failed: ${errorText(report.error)}`;
	const { counts } = report;
	const parts: string[] = [];
	if (counts.created) parts.push(`${numbers.format(counts.created)} created`);
	if (counts.updated) parts.push(`${numbers.format(counts.updated)} updated`);
	if (counts.renamed) parts.push(`${numbers.format(counts.renamed)} renamed`);
	parts.push(`${numbers.format(counts.unchanged)} unchanged`);
	if (counts.skipped) parts.push(`${numbers.format(counts.skipped)} not recreated (deleted by you)`);
	if (counts.removed) parts.push(`${numbers.format(counts.removed)} marked removed`);
	if (counts.failed) parts.push(`${numbers.format(counts.failed)} failed`);
	if (report.removalsSkipped) parts.push('removals not checked (books failed)');
	const unreadable = report.removals?.unreadableCount ?? 0;
	if (unreadable) parts.push(`${numbers.format(unreadable)} not marked removed (broken properties)`);
	const books = report.books === 1 ? '1 book' : `${numbers.format(report.books)} books`;
	const covers = report.coversNotDownloaded ?? 0;
	const coverText = covers === 0 ? '' : ` ${covers === 1 ? '1 cover' : `${numbers.format(covers)} covers`} could not be downloaded; ${why}.`;
	return `Synced ${books}: ${parts.join(', ')}.${coverText}`;
}

/**
 * An error's sentence as the plugin shows it: server text made inert (one
 * line, no control or bidi characters), and for a token problem what to do
 * in the settings.
 */
export function errorText(error: { kind: SyncErrorKind; message: string; tokenMissing?: boolean }): string {
	if (error.kind !== 'auth') return inertText(error.message);
	return `${inertText(error.message)} ${error.tokenMissing ? 'Set the API token in the settings.' : 'Check the API token in the settings.'}`;
}
