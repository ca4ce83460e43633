/** TAbstractFile, TFile, TFolder as Obsidian shapes them. */
import type { FakeVault } from './vault';

export interface FakeFileStats {
	ctime: number;
	mtime: number;
	size: number;
}

export abstract class TAbstractFile {
	vault: FakeVault;
	path: string;
	name: string;
	parent: TFolder | null;

	constructor(vault: FakeVault, path: string, parent: TFolder | null) {
		this.vault = vault;
		this.path = path;
		this.name = path === '/' ? '' : (path.split('/').pop() ?? '');
		this.parent = parent;
	}

	/** @internal fake: called when the file moves. */
	setPath(path: string, parent: TFolder | null): void {
		this.path = path;
		this.name = path.split('/').pop() ?? '';
		this.parent = parent;
	}
}

export class TFile extends TAbstractFile {
	stat: FakeFileStats;
	basename = '';
	extension = '';

	constructor(vault: FakeVault, path: string, parent: TFolder | null, stat: FakeFileStats) {
		super(vault, path, parent);
		this.stat = stat;
		this.updateNames();
	}

	override setPath(path: string, parent: TFolder | null): void {
		super.setPath(path, parent);
		this.updateNames();
	}

	private updateNames(): void {
		const dot = this.name.lastIndexOf('.');
		this.basename = dot > 0 ? this.name.slice(0, dot) : this.name;
		this.extension = dot > 0 ? this.name.slice(dot + 1) : '';
	}
}

export class TFolder extends TAbstractFile {
	children: TAbstractFile[] = [];

	isRoot(): boolean {
		return this.path === '/';
	}
}
