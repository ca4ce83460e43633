import { describe, expect, it } from 'vitest';
import { emptyCounts, type SyncReport } from '../../src/core/sync/report';
import { errorText, failureText, summaryText } from '../../src/ui/status-text';

function report(extra: Partial<SyncReport> = {}): SyncReport {
	return {
		mode: 'full', dryRun: false, ok: true, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000, books: 10,
		counts: { ...emptyCounts(), unchanged: 10 }, changes: [], failures: [], pages: 1, requests: 1, rewalks: 0, ...extra,
	};
}

describe('the plugin\'s words for a run', () => {
	it('says when removals were not checked, and notes of removed books it could not mark', () => {
		expect(summaryText(report({ ok: false, removalsSkipped: { failed: 1 }, counts: { ...emptyCounts(), unchanged: 9, failed: 1 } }))).toBe('Synced 10 books: 9 unchanged, 1 failed, removals not checked (books failed).');
		expect(summaryText(report({ removals: { missing: 0, marked: 0, examples: [], unreadable: ['Books/A.md'], unreadableCount: 1 } }))).toBe('Synced 10 books: 10 unchanged, 1 not marked removed (broken properties).');
	});

	it('tells a missing token from a rejected one, in the notice and the status bar', () => {
		const missing = report({ ok: false, error: { kind: 'auth', message: 'The server at x needs a token (HTTP 401), and no token is set.', tokenMissing: true } });
		expect(summaryText(missing)).toBe('Library sync failed: The server at x needs a token (HTTP 401), and no token is set. Set the API token in the settings.');
		expect(failureText(missing)).toBe('Library sync: no token set');
		const rejected = report({ ok: false, error: { kind: 'auth', message: 'The server rejected the token (HTTP 401).' } });
		expect(summaryText(rejected)).toBe('Library sync failed: The server rejected the token (HTTP 401). Check the API token in the settings.');
		expect(failureText(rejected)).toBe('Library sync: token rejected');
	});

	it('says an answer was cut off, not that the server is no library server', () => {
		const cut = report({ ok: false, error: { kind: 'incomplete', message: 'The answer from books.example.com was cut off (incomplete JSON); try again later.' } });
		expect(failureText(cut)).toBe('Library sync: answer cut off');
		expect(summaryText(cut)).toBe('Library sync failed: The answer from books.example.com was cut off (incomplete JSON); try again later.');
	});

	it('shows server text in an error on one line, controls made visible', () => {
		expect(errorText({ kind: 'http', message: 'Bad\u001b[2J\nline' })).toBe('Bad\\x1b[2J\\nline');
	});
});
