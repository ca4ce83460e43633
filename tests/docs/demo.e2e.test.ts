/**
 * The README's first command, `npm run demo`, on a fresh checkout: there is
 * no demo vault yet, and the demo must make one, sync the sample library
 * into it twice and keep "your" note. Run here on a temporary vault (the
 * demo takes its folder from LIBRARY_SYNC_DEMO_VAULT when it is set).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let scratch: string;
beforeEach(async () => {
	scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-demo-'));
});
afterEach(() => fs.rm(scratch, { recursive: true, force: true }));

it('runs on a checkout that has no demo vault yet: two syncs, your note kept', async () => {
	const vault = path.join(scratch, 'demo-vault');
	const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
	const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
		const child = spawn(process.execPath, [tsx, path.join(ROOT, 'scripts', 'demo.ts')], { cwd: ROOT, env: { ...process.env, LIBRARY_SYNC_DEMO_VAULT: vault }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code, stdout, stderr }));
	});
	expect(result.code).toBe(0);
	// The sample library's odd covers are reported as warnings; nothing of Node's own may show.
	expect(result.stderr).not.toMatch(/\(node:\d+\)|Warning:|Error:/);
	expect(result.stdout).toContain('is still there.');
	const notes = (await fs.readdir(path.join(vault, 'Books'))).filter((name) => name.endsWith('.md'));
	expect(notes.length).toBeGreaterThan(100);
}, 120_000);
