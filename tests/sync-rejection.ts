import { expect } from 'vitest';
import { SyncError } from '../src/core/errors';

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
