import { afterEach, describe, expect, it, vi } from 'vitest';
import { breather } from '../../src/obsidian/breather';
import { installFakeGlobals } from '../obsidian-fake/index';

// The app's `window` (its timers are the global ones, which the test freezes).
installFakeGlobals();

/** `count` turns of the event loop, by messages (which fake timers leave alone). */
async function turns(count: number): Promise<void> {
	for (let i = 0; i < count; i++) {
		await new Promise<void>((resolve) => {
			const channel = new MessageChannel();
			channel.port1.onmessage = () => {
				channel.port1.close();
				resolve();
			};
			channel.port2.postMessage(null);
		});
	}
}

describe('breather', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('costs nothing within its budget, and then gives a turn that no timer holds up', async () => {
		// Timers are frozen: a breath that waited on a timer (which a browser holds for at least
		// 4 ms when set from a chain of timers) would never come back.
		vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
		vi.setSystemTime(1_000_000);
		const breathe = breather(8);
		let done = 0;
		void breathe().then(() => done++);
		await Promise.resolve();
		expect(done, 'within the budget: a resolved promise').toBe(1);

		vi.setSystemTime(1_000_010);
		const late = breathe().then(() => 'breathed');
		let settledInSameTask = false;
		void late.then(() => {
			settledInSameTask = true;
		});
		await Promise.resolve();
		await Promise.resolve();
		expect(settledInSameTask, 'over the budget: the app gets a turn first').toBe(false);
		expect(await Promise.race([late, turns(20).then(() => 'stuck behind a timer')])).toBe('breathed');

		// The budget starts again after the breath.
		vi.setSystemTime(1_000_012);
		let again = false;
		void breathe().then(() => {
			again = true;
		});
		await Promise.resolve();
		expect(again).toBe(true);
	});
});
