/**
 * Which files a run wrote: a snapshot of every file below a folder (inode,
 * size, nanosecond mtime, bytes), and the difference between two. A file
 * counts as written when it is new, gone, or its inode, mtime or bytes
 * changed (a write through a temporary file and a rename changes the inode
 * even when the bytes are the same).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

interface FileState {
	ino: bigint;
	size: bigint;
	mtimeNs: bigint;
	text: string;
}

export type VaultSnapshot = Map<string, FileState>;

/** Every file below `root`; with `notesOnly`, only the notes (`.md`, no dot-folders: not the plugin's state, not Library.base). */
export async function snapshotVault(root: string, notesOnly = true): Promise<VaultSnapshot> {
	const files: VaultSnapshot = new Map();
	const walk = async (relative: string): Promise<void> => {
		let entries;
		try {
			entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			if (notesOnly && entry.name.startsWith('.')) continue;
			const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
			if (entry.isDirectory()) {
				await walk(child);
				continue;
			}
			if (notesOnly && !entry.name.endsWith('.md')) continue;
			const full = path.join(root, child);
			const stat = await fs.stat(full, { bigint: true });
			files.set(child, { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, text: await fs.readFile(full, 'utf8') });
		}
	};
	await walk('');
	return files;
}

export interface VaultDiff {
	created: number;
	changed: number;
	removed: number;
	/** created + changed + removed. */
	written: number;
	/** Files whose bytes differ (a subset of changed). */
	bytesChanged: number;
}

export function diffVault(before: VaultSnapshot, after: VaultSnapshot): VaultDiff {
	let created = 0;
	let changed = 0;
	let removed = 0;
	let bytesChanged = 0;
	for (const [file, now] of after) {
		const then = before.get(file);
		if (!then) {
			created += 1;
			continue;
		}
		if (then.text !== now.text) bytesChanged += 1;
		if (then.ino !== now.ino || then.mtimeNs !== now.mtimeNs || then.size !== now.size || then.text !== now.text) changed += 1;
	}
	for (const file of before.keys()) if (!after.has(file)) removed += 1;
	return { created, changed, removed, written: created + changed + removed, bytesChanged };
}

/** The bytes of every file below `root` (notes only), for the write floor. */
export async function readNotes(root: string): Promise<Array<{ path: string; text: string }>> {
	return [...(await snapshotVault(root)).entries()].map(([file, state]) => ({ path: file, text: state.text }));
}
