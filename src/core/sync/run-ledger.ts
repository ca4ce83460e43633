import type { BookRecord } from '../api/record';
import type { ApplyOutcome } from './apply-book';
import { emptyCounts, type BookAction, type BookChange, type BookFailure, type SyncCounts } from './report';

/**
 * What one run did, book by book, for its report: each book's action
 * (counted once, however often the run applied it), the notes it changed,
 * and what failed.
 */
export class RunLedger {
	readonly changes: BookChange[] = [];
	readonly failures: BookFailure[] = [];
	private readonly actions = new Map<string, BookAction>();

	/** A book applied; one applied again (a re-walk, a duplicate link resolved at the end) counts once, as its first change. */
	applied(record: BookRecord, outcome: ApplyOutcome): void {
		const previous = this.actions.get(record.id);
		if (previous !== undefined && previous !== 'unchanged') return;
		this.actions.set(record.id, outcome.action);
		if (outcome.action !== 'unchanged' && outcome.action !== 'skipped') {
			this.changes.push({ id: record.id, title: record.title, action: outcome.action, path: outcome.path, from: outcome.from });
		}
	}

	failed(failure: BookFailure): void {
		this.failures.push(failure);
	}

	/** Changes and failures of another pass over the notes (the removal pass). */
	add(pass: { changes: BookChange[]; failures: BookFailure[] }): void {
		this.changes.push(...pass.changes);
		this.failures.push(...pass.failures);
	}

	/** Distinct books applied. */
	get books(): number {
		return this.actions.size;
	}

	counts(removed: number): SyncCounts {
		const counts = emptyCounts();
		for (const action of this.actions.values()) counts[action] += 1;
		counts.removed = removed;
		counts.failed = this.failures.length;
		return counts;
	}
}
