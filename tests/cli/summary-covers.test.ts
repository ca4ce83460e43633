/**
 * #12: when covers fail, the CLI's summary line and the plugin's final
 * notice say how many and where to see why, not only "Synced".
 */
import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../src/cli/format';
import { emptyCounts, type SyncReport } from '../../src/core/sync/report';
import { CoverExtras } from '../../src/core/sync/cover-extras';
import { CoverFetcher } from '../../src/core/covers/cover-fetcher';
import { summaryText } from '../../src/ui/status-text';
import { FakeBinaryTransport, MemoryCoverStore, image } from '../fakes/memory-cover-store';
import { tinyJpeg } from '../server/covers';

function report(extra: Partial<SyncReport> = {}): SyncReport {
	return {
		mode: 'incremental', dryRun: false, ok: true, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1200, books: 237,
		counts: { ...emptyCounts(), created: 237 }, changes: [], failures: [], pages: 3, requests: 3, rewalks: 0, ...extra,
	};
}

describe('failed covers in the summary', () => {
	it('the CLI summary line counts the covers it could not download and points at the warnings', () => {
		expect(summaryLine(report())).toBe('Synced 237 books: 237 created, 0 unchanged (1.2 s)');
		expect(summaryLine(report({ coversNotDownloaded: 237 }))).toBe('Synced 237 books: 237 created, 0 unchanged (1.2 s); 237 covers could not be downloaded, see the warnings below');
		expect(summaryLine(report({ coversNotDownloaded: 1 }))).toMatch(/; 1 cover could not be downloaded, see the warnings below$/);
	});

	it('the plugin notice counts them and names the command that shows why', () => {
		expect(summaryText(report())).toBe('Synced 237 books: 237 created, 0 unchanged.');
		expect(summaryText(report({ coversNotDownloaded: 1204 }))).toBe('Synced 237 books: 237 created, 0 unchanged. 1,204 covers could not be downloaded; "Show last sync report" says why.');
		// The report itself lists the warnings.
		expect(summaryText(report({ coversNotDownloaded: 1 }), 'the warnings below say why')).toMatch(/ 1 cover could not be downloaded; the warnings below say why\.$/);
	});

	it('CoverExtras counts failed and refused covers, not downloaded or missing ones', async () => {
		const http = new FakeBinaryTransport();
		http.on('https://h.example/lib/covers/ok.jpg', image(tinyJpeg('ok')));
		http.on('https://h.example/lib/covers/gone.jpg', { status: 404, headers: {}, bytes: new Uint8Array(0) });
		const fetcher = new CoverFetcher({ http, store: new MemoryCoverStore(), clock: { now: () => 0 } }, { baseUrl: 'https://h.example/lib', authHeader: 'Authorization', folder: 'Books', allowOtherOrigins: false });
		const extras = new CoverExtras(fetcher);
		const book = (id: string, coverUrl?: string) => ({ id, coverUrl, genres: [], tags: [], files: [] });
		await extras.extrasFor(book('ok', '/covers/ok.jpg'));
		await extras.extrasFor(book('gone', '/covers/gone.jpg'));
		await extras.extrasFor(book('far', 'https://cdn.example/far.jpg'));
		await extras.extrasFor(book('none'));
		expect(await extras.finish()).toHaveLength(2);
		expect(extras.coversNotDownloaded).toBe(2);
	});
});
