import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs the built CLI as a user would, with a clean environment plus `env`. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
	});
}

export async function tempVault(): Promise<string> {
	return fs.mkdtemp(path.join(os.tmpdir(), 'library-sync-vault-'));
}

/** Every file below `dir` (relative, '/'-separated) with its bytes and mtime. */
export async function snapshot(dir: string): Promise<Map<string, { text: string; mtimeMs: number }>> {
	const files = new Map<string, { text: string; mtimeMs: number }>();
	const walk = async (rel: string): Promise<void> => {
		for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
			const child = rel ? `${rel}/${entry.name}` : entry.name;
			if (entry.isDirectory()) await walk(child);
			else {
				const full = path.join(dir, child);
				files.set(child, { text: await fs.readFile(full, 'utf8'), mtimeMs: (await fs.stat(full)).mtimeMs });
			}
		}
	};
	await walk('');
	return files;
}

export function notesIn(files: Map<string, { text: string }>, folder = 'Books'): string[] {
	return [...files.keys()].filter((file) => file.startsWith(`${folder}/`) && file.endsWith('.md')).sort();
}
