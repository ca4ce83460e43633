/**
 * Node only: a real folder behind the fake vault (`createFakeApp({ vaultDir })`),
 * so a test can look at the files the plugin wrote and start a vault from
 * files already on disk. The vault itself knows nothing of Node.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { MirroredEntry, VaultMirror } from './vault';

/** Files loaded from disk as bytes rather than text. */
const BINARY_EXTENSIONS = /\.(?:jpe?g|png|gif|webp|pdf)$/i;

export function folderMirror(vaultDir: string): VaultMirror {
	fs.mkdirSync(vaultDir, { recursive: true });
	const absolute = (path: string): string => nodePath.join(vaultDir, path);

	// Obsidian follows symbolic links to folders when it loads a vault (once per real folder).
	const walked = new Set<string>([fs.realpathSync(vaultDir)]);
	const isFolder = (dirent: fs.Dirent, path: string): boolean => {
		if (dirent.isDirectory()) return true;
		if (!dirent.isSymbolicLink()) return false;
		try {
			const real = fs.realpathSync(absolute(path));
			if (walked.has(real) || !fs.statSync(real).isDirectory()) return false;
			walked.add(real);
			return true;
		} catch {
			return false;
		}
	};

	// Times in whole milliseconds, as the vault stamps them (a time set through utimes can come back a nanosecond short).
	function walk(relative: string, into: MirroredEntry[]): MirroredEntry[] {
		for (const dirent of fs.readdirSync(absolute(relative), { withFileTypes: true })) {
			const path = relative ? `${relative}/${dirent.name}` : dirent.name;
			if (isFolder(dirent, path)) {
				into.push({ path, folder: true });
				walk(path, into);
			} else if (dirent.isFile()) {
				const file = absolute(path);
				const stat = fs.statSync(file);
				const data = BINARY_EXTENSIONS.test(path) ? new Uint8Array(fs.readFileSync(file)) : fs.readFileSync(file, 'utf8');
				into.push({ path, folder: false, data, stat: { ctime: Math.round(stat.birthtimeMs || stat.ctimeMs), mtime: Math.round(stat.mtimeMs), size: stat.size } });
			}
		}
		return into;
	}

	return {
		load: () => walk('', []),
		absolute,
		fileSystem: { basePath: vaultDir, fsPromises: fs.promises },
		write(path, data, mtime) {
			if (typeof data === 'string') fs.writeFileSync(absolute(path), data, 'utf8');
			else fs.writeFileSync(absolute(path), data);
			fs.utimesSync(absolute(path), new Date(mtime), new Date(mtime));
		},
		mkdir(path) {
			fs.mkdirSync(absolute(path), { recursive: true });
		},
		rename(from, to) {
			fs.renameSync(absolute(from), absolute(to));
		},
		remove(path) {
			fs.rmSync(absolute(path), { recursive: true, force: true });
		},
		exists: (path) => fs.existsSync(absolute(path)),
		readText: (path) => fs.readFileSync(absolute(path), 'utf8'),
		writeText(path, data) {
			fs.mkdirSync(nodePath.dirname(absolute(path)), { recursive: true });
			fs.writeFileSync(absolute(path), data, 'utf8');
		},
		removeFile(path) {
			fs.rmSync(absolute(path), { force: true });
		},
	};
}
