import { expect } from 'vitest';
import { SyncError, type SyncErrorKind } from '../src/core/errors';

/** The SyncError the promise rejects with; the test fails if it resolves or rejects with anything else. */
export async function syncRejection(promise: Promise<unknown>): Promise<SyncError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(SyncError);
		return error as SyncError;
	}
	throw new Error('expected a rejection');
}

/** The SyncError of this kind that `run` throws; the test fails if it returns or throws anything else. */
export function thrownSyncError(kind: SyncErrorKind, run: () => unknown): SyncError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(SyncError);
		expect((error as SyncError).kind).toBe(kind);
		return error as SyncError;
	}
	throw new Error(`expected a ${kind} error`);
}

/** The SyncError of kind 'config' that `run` throws. */
export function configError(run: () => unknown): SyncError {
	return thrownSyncError('config', run);
}
