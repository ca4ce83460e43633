import { existsSync } from 'node:fs';
import process from 'node:process';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath } from './chromium-path';

describe('chromiumPath', () => {
	const saved = { chromium: process.env.CHROMIUM_PATH, path: process.env.PATH };
	afterEach(() => {
		if (saved.chromium === undefined) delete process.env.CHROMIUM_PATH;
		else process.env.CHROMIUM_PATH = saved.chromium;
		process.env.PATH = saved.path;
	});

	it('refuses a CHROMIUM_PATH that does not exist, in one sentence naming it', async () => {
		process.env.CHROMIUM_PATH = '/nowhere/chromium';
		await expect(chromiumPath()).rejects.toThrow('CHROMIUM_PATH is /nowhere/chromium, which does not exist');
	});

	it('falls back to the packaged Chromium when none is on the PATH (Linux x64)', async () => {
		delete process.env.CHROMIUM_PATH;
		process.env.PATH = '/nonexistent-bin';
		if (process.platform === 'linux' && process.arch === 'x64') {
			const found = await chromiumPath();
			expect(existsSync(found)).toBe(true);
		} else {
			await expect(chromiumPath()).rejects.toThrow('No Chromium found for the browser test');
		}
	});
});
