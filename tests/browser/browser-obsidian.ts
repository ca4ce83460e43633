/**
 * A browser-only fake of the `obsidian` module, for running the built
 * `main.js` inside headless Chromium the way the mobile app runs it: a web
 * view with no Node. Nothing here may import a Node module or touch
 * `process`/`Buffer`: the file is bundled by esbuild for the browser and the
 * page proves those globals are absent.
 *
 * Scope: what main.js uses (src/main.ts, src/obsidian/*, src/ui/*), with
 * Obsidian's behaviour where it matters to a sync:
 * - Vault: `create` rejects "File already exists." / ENOENT for a missing
 *   parent, paths collide case-insensitively (phones' file systems),
 *   `createFolder` rejects "Folder already exists.", `process` is atomic with
 *   a synchronous `fn`, every operation completes in a later task.
 * - MetadataCache: indexes a written file a task later (`getFileCache` is
 *   null until then) and fires `changed`; frontmatter is YAML with dates as
 *   strings.
 * - requestUrl: over `window.fetch`, rejecting on status >= 400 unless
 *   `throw: false`; `json` throws on a non-JSON body.
 * - Platform: the mobile app (isMobile, no status bar).
 * - Obsidian's DOM helpers (`createEl`, `setText`, `empty`, ...) and the
 *   globals `activeDocument`, `activeWindow`, `createDiv`, ...
 */
import { CORE_SCHEMA, safeLoad } from 'js-yaml';

// ---------------------------------------------------------------- DOM helpers

type ElementInfo = {
	cls?: string | string[];
	text?: string | DocumentFragment;
	attr?: Record<string, string | number | boolean | null>;
	title?: string;
	parent?: Node;
	value?: string;
	type?: string;
	prepend?: boolean;
	placeholder?: string;
	href?: string;
};

function applyInfo(el: HTMLElement, info: ElementInfo | string | undefined): void {
	if (info === undefined) return;
	const o: ElementInfo = typeof info === 'string' ? { cls: info } : info;
	if (o.cls !== undefined) el.classList.add(...(Array.isArray(o.cls) ? o.cls : o.cls.split(' ')).filter((c) => c !== ''));
	if (o.text !== undefined) setText(el, o.text);
	if (o.title !== undefined) el.title = o.title;
	if (o.href !== undefined) el.setAttribute('href', o.href);
	if (o.type !== undefined) el.setAttribute('type', o.type);
	if (o.placeholder !== undefined) el.setAttribute('placeholder', o.placeholder);
	if (o.value !== undefined) (el as HTMLInputElement).value = o.value;
	for (const [name, value] of Object.entries(o.attr ?? {})) {
		if (value === null || value === false) el.removeAttribute(name);
		else el.setAttribute(name, String(value));
	}
	if (o.parent) {
		if (o.prepend) o.parent.insertBefore(el, o.parent.firstChild);
		else o.parent.appendChild(el);
	}
}

function setText(el: Node, text: string | DocumentFragment): void {
	el.textContent = '';
	el.appendChild(typeof text === 'string' ? document.createTextNode(text) : text);
}

function makeEl(parent: Node | undefined, tag: string, info?: ElementInfo | string, callback?: (el: HTMLElement) => void): HTMLElement {
	const el = document.createElement(tag);
	applyInfo(el, info);
	if (parent && !(typeof info === 'object' && info.parent)) {
		if (typeof info === 'object' && info.prepend) parent.insertBefore(el, parent.firstChild);
		else parent.appendChild(el);
	}
	callback?.(el);
	return el;
}

/** Installs Obsidian's DOM extensions and globals on this window (idempotent). */
export function installDomHelpers(): void {
	const nodeProto = Node.prototype as unknown as Record<string, unknown>;
	const elementProto = HTMLElement.prototype as unknown as Record<string, unknown>;
	if (typeof nodeProto.createEl === 'function') return;
	Object.assign(nodeProto, {
		createEl(this: Node, tag: string, info?: ElementInfo | string, callback?: (el: HTMLElement) => void) {
			return makeEl(this, tag, info, callback);
		},
		createDiv(this: Node, info?: ElementInfo | string, callback?: (el: HTMLElement) => void) {
			return makeEl(this, 'div', info, callback);
		},
		createSpan(this: Node, info?: ElementInfo | string, callback?: (el: HTMLElement) => void) {
			return makeEl(this, 'span', info, callback);
		},
		empty(this: Node) {
			while (this.firstChild) this.removeChild(this.firstChild);
		},
		detach(this: Node) {
			this.parentNode?.removeChild(this);
		},
		setText(this: Node, text: string | DocumentFragment) {
			setText(this, text);
		},
		getText(this: Node) {
			return this.textContent ?? '';
		},
	});
	Object.assign(elementProto, {
		addClass(this: HTMLElement, ...classes: string[]) {
			this.classList.add(...classes);
		},
		addClasses(this: HTMLElement, classes: string[]) {
			this.classList.add(...classes);
		},
		removeClass(this: HTMLElement, ...classes: string[]) {
			this.classList.remove(...classes);
		},
		hasClass(this: HTMLElement, cls: string) {
			return this.classList.contains(cls);
		},
		toggleClass(this: HTMLElement, classes: string | string[], value: boolean) {
			for (const cls of Array.isArray(classes) ? classes : [classes]) this.classList.toggle(cls, value);
		},
		setAttr(this: HTMLElement, name: string, value: string | number | boolean | null) {
			if (value === null || value === false) this.removeAttribute(name);
			else this.setAttribute(name, String(value));
		},
	});
	Object.assign(window as unknown as Record<string, unknown>, {
		activeWindow: window,
		activeDocument: document,
		createEl: (tag: string, info?: ElementInfo | string, callback?: (el: HTMLElement) => void) => makeEl(undefined, tag, info, callback),
		createDiv: (info?: ElementInfo | string, callback?: (el: HTMLElement) => void) => makeEl(undefined, 'div', info, callback),
		createSpan: (info?: ElementInfo | string, callback?: (el: HTMLElement) => void) => makeEl(undefined, 'span', info, callback),
		createFragment: (callback?: (fragment: DocumentFragment) => void) => {
			const fragment = document.createDocumentFragment();
			callback?.(fragment);
			return fragment;
		},
	});
}

/** Finishes in a later task, as the app's file system does (MessageChannel: no 4 ms timer clamping). */
function nextTask(): Promise<void> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resolve();
		};
		channel.port2.postMessage(null);
	});
}

// ---------------------------------------------------------------- events

export interface EventRef {
	e: Events;
	name: string;
	fn: (...args: unknown[]) => unknown;
	ctx?: unknown;
}

export class Events {
	private readonly handlers = new Map<string, EventRef[]>();

	on(name: string, fn: (...args: never[]) => unknown, ctx?: unknown): EventRef {
		const ref: EventRef = { e: this, name, fn: fn as (...args: unknown[]) => unknown, ctx };
		this.handlers.set(name, [...(this.handlers.get(name) ?? []), ref]);
		return ref;
	}

	off(name: string, fn: (...args: never[]) => unknown): void {
		this.handlers.set(name, (this.handlers.get(name) ?? []).filter((ref) => ref.fn !== fn));
	}

	offref(ref: EventRef): void {
		this.handlers.set(ref.name, (this.handlers.get(ref.name) ?? []).filter((r) => r !== ref));
	}

	trigger(name: string, ...args: unknown[]): void {
		for (const ref of this.handlers.get(name) ?? []) {
			try {
				ref.fn.apply(ref.ctx, args);
			} catch (error) {
				console.error(error);
			}
		}
	}
}

// ---------------------------------------------------------------- files and vault

export function normalizePath(path: string): string {
	let result = path.replace(/[\\/]+/g, '/').replace(/^\/+|\/+$/g, '');
	if (result === '') result = '/';
	return result.replace(/[\u00A0\u202F]/g, ' ').normalize('NFC');
}

export abstract class TAbstractFile {
	name: string;

	constructor(
		public vault: Vault,
		public path: string,
		public parent: TFolder | null,
	) {
		this.name = path === '/' ? '' : (path.split('/').pop() ?? '');
	}

	moveTo(path: string, parent: TFolder): void {
		this.path = path;
		this.name = path.split('/').pop() ?? '';
		this.parent = parent;
	}
}

export class TFile extends TAbstractFile {
	basename = '';
	extension = '';
	stat: { ctime: number; mtime: number; size: number };

	constructor(vault: Vault, path: string, parent: TFolder, time: number) {
		super(vault, path, parent);
		this.stat = { ctime: time, mtime: time, size: 0 };
		this.names();
	}

	override moveTo(path: string, parent: TFolder): void {
		super.moveTo(path, parent);
		this.names();
	}

	private names(): void {
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

function parentPath(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? '/' : path.slice(0, slash);
}

function fold(path: string): string {
	return path.normalize('NFC').toLowerCase();
}

function enoent(path: string): Error {
	return Object.assign(new Error(`ENOENT: no such file or directory, open '/vault/${path}'`), { code: 'ENOENT' });
}

export class Vault extends Events {
	readonly configDir = '.obsidian';
	private readonly root: TFolder;
	private readonly entries = new Map<string, TAbstractFile>();
	/** Text for notes, bytes for files written with the binary API (covers). */
	private readonly contents = new Map<string, string | Uint8Array>();
	private lastTime = 0;

	constructor() {
		super();
		this.root = new TFolder(this, '/', null);
		this.entries.set('/', this.root);
	}

	getName(): string {
		return 'Browser vault';
	}

	getRoot(): TFolder {
		return this.root;
	}

	getAbstractFileByPath(path: string): TAbstractFile | null {
		return this.entries.get(normalizePath(path)) ?? null;
	}

	getFileByPath(path: string): TFile | null {
		const file = this.getAbstractFileByPath(path);
		return file instanceof TFile ? file : null;
	}

	getFolderByPath(path: string): TFolder | null {
		const folder = this.getAbstractFileByPath(path);
		return folder instanceof TFolder ? folder : null;
	}

	getFiles(): TFile[] {
		return [...this.entries.values()].filter((entry): entry is TFile => entry instanceof TFile);
	}

	getMarkdownFiles(): TFile[] {
		return this.getFiles().filter((file) => file.extension === 'md');
	}

	getAllLoadedFiles(): TAbstractFile[] {
		return [...this.entries.values()];
	}

	getAllFolders(includeRoot = false): TFolder[] {
		return [...this.entries.values()].filter((entry): entry is TFolder => entry instanceof TFolder && (includeRoot || !entry.isRoot()));
	}

	async create(path: string, data: string): Promise<TFile> {
		return this.createEntry(path, data);
	}

	async createBinary(path: string, data: ArrayBuffer): Promise<TFile> {
		return this.createEntry(path, new Uint8Array(data.slice(0)));
	}

	async modifyBinary(file: TFile, data: ArrayBuffer): Promise<void> {
		await nextTask();
		this.readNow(file);
		this.store(file, new Uint8Array(data.slice(0)));
		this.trigger('modify', file);
	}

	async readBinary(file: TFile): Promise<ArrayBuffer> {
		await nextTask();
		this.readNow(file);
		const data = this.contents.get(file.path) ?? '';
		return (typeof data === 'string' ? new TextEncoder().encode(data) : data).slice().buffer;
	}

	private async createEntry(path: string, data: string | Uint8Array): Promise<TFile> {
		await nextTask();
		const normal = normalizePath(path);
		if (this.occupied(normal)) throw new Error('File already exists.');
		const parent = this.entries.get(parentPath(normal));
		if (!(parent instanceof TFolder)) throw enoent(normal);
		const file = new TFile(this, normal, parent, this.tick());
		this.attach(file, parent);
		this.store(file, data);
		this.trigger('create', file);
		return file;
	}

	async createFolder(path: string): Promise<TFolder> {
		await nextTask();
		const normal = normalizePath(path);
		if (normal === '/' || this.occupied(normal)) throw new Error('Folder already exists.');
		return this.makeFolders(normal);
	}

	async read(file: TFile): Promise<string> {
		await nextTask();
		return this.readNow(file);
	}

	async cachedRead(file: TFile): Promise<string> {
		return this.read(file);
	}

	async modify(file: TFile, data: string): Promise<void> {
		await nextTask();
		this.readNow(file);
		this.store(file, data);
		this.trigger('modify', file);
	}

	async process(file: TFile, fn: (data: string) => string): Promise<string> {
		await nextTask();
		const next = fn(this.readNow(file));
		if (typeof next !== 'string') throw new TypeError('vault.process: fn must return a string synchronously');
		this.store(file, next);
		this.trigger('modify', file);
		return next;
	}

	async rename(file: TAbstractFile, newPath: string): Promise<void> {
		await nextTask();
		const target = normalizePath(newPath);
		if (this.entries.get(file.path) !== file) throw enoent(file.path);
		if (target === file.path) return;
		if (fold(target) !== fold(file.path) && this.occupied(target)) throw new Error('Destination file already exists!');
		const parent = this.entries.get(parentPath(target));
		if (!(parent instanceof TFolder)) throw enoent(target);
		const oldPath = file.path;
		this.move(file, target, parent);
		this.trigger('rename', file, oldPath);
	}

	/** Test helper: the text of a file now. */
	peek(path: string): string | undefined {
		const data = this.contents.get(normalizePath(path));
		return data === undefined || typeof data === 'string' ? data : new TextDecoder().decode(data);
	}

	private readNow(file: TFile): string {
		const data = this.contents.get(file.path);
		if (data === undefined || this.entries.get(file.path) !== file) throw enoent(file.path);
		return typeof data === 'string' ? data : new TextDecoder().decode(data);
	}

	private store(file: TFile, data: string | Uint8Array): void {
		this.contents.set(file.path, data);
		file.stat = { ...file.stat, mtime: this.tick(), size: typeof data === 'string' ? new TextEncoder().encode(data).length : data.byteLength };
	}

	/** Phones' file systems fold case: `books/x.md` is taken when `Books/X.md` exists. */
	private occupied(path: string): boolean {
		if (this.entries.has(path)) return true;
		const folded = fold(path);
		for (const key of this.entries.keys()) if (fold(key) === folded) return true;
		return false;
	}

	private makeFolders(path: string): TFolder {
		const existing = this.entries.get(path);
		if (existing instanceof TFolder) return existing;
		if (existing) throw new Error('Folder already exists.');
		const parent = this.makeFolders(parentPath(path));
		const folder = new TFolder(this, path, parent);
		this.attach(folder, parent);
		this.trigger('create', folder);
		return folder;
	}

	private attach(entry: TAbstractFile, parent: TFolder): void {
		entry.parent = parent;
		parent.children.push(entry);
		this.entries.set(entry.path, entry);
	}

	private move(entry: TAbstractFile, path: string, parent: TFolder): void {
		if (entry.parent) entry.parent.children = entry.parent.children.filter((child) => child !== entry);
		this.entries.delete(entry.path);
		const data = this.contents.get(entry.path);
		this.contents.delete(entry.path);
		entry.moveTo(path, parent);
		parent.children.push(entry);
		this.entries.set(path, entry);
		if (data !== undefined) this.contents.set(path, data);
		if (entry instanceof TFolder) {
			for (const child of [...entry.children]) this.move(child, `${path}/${child.name}`, entry);
		}
	}

	private tick(): number {
		this.lastTime = Math.max(Date.now(), this.lastTime + 1);
		return this.lastTime;
	}
}

// ---------------------------------------------------------------- metadata cache and file manager

export interface CachedMetadata {
	frontmatter?: Record<string, unknown>;
}

/** Frontmatter as the app reads it: `---` at the start, YAML (dates stay strings) to the next `---` line. */
export function readFrontmatter(text: string): Record<string, unknown> | undefined {
	const open = /^---[ \t]*\r?\n/.exec(text);
	if (!open) return undefined;
	const lines = text.slice(open[0].length).split('\n');
	const end = lines.findIndex((line) => line.replace(/\r$/, '').trimEnd() === '---');
	if (end < 0) return undefined;
	try {
		const value = safeLoad(lines.slice(0, end).join('\n'), { schema: CORE_SCHEMA });
		if (value === null || value === undefined) return {};
		return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

export class MetadataCache extends Events {
	private readonly entries = new Map<string, CachedMetadata>();

	constructor(private readonly vault: Vault) {
		super();
		const index = (file: unknown): void => {
			if (file instanceof TFile && file.extension === 'md') window.setTimeout(() => this.index(file), 0);
		};
		vault.on('create', index);
		vault.on('modify', index);
		// Renames move the entry silently: no `changed` event, as in the app.
		vault.on('rename', (file: TAbstractFile, oldPath: string) => {
			const entry = this.entries.get(oldPath);
			this.entries.delete(oldPath);
			if (entry) this.entries.set(file.path, entry);
		});
	}

	getFileCache(file: TFile): CachedMetadata | null {
		return this.entries.get(file.path) ?? null;
	}

	getCache(path: string): CachedMetadata | null {
		return this.entries.get(normalizePath(path)) ?? null;
	}

	fileToLinktext(file: TFile): string {
		return file.extension === 'md' ? file.basename : file.name;
	}

	/** Test helper: resolves once every file written so far has been indexed. */
	async settle(): Promise<void> {
		await new Promise((resolve) => window.setTimeout(resolve, 0));
		await new Promise((resolve) => window.setTimeout(resolve, 0));
	}

	private index(file: TFile): void {
		const text = this.vault.peek(file.path);
		if (text === undefined || this.vault.getFileByPath(file.path) !== file) return;
		const frontmatter = readFrontmatter(text);
		const entry: CachedMetadata = frontmatter ? { frontmatter } : {};
		this.entries.set(file.path, entry);
		this.trigger('changed', file, text, entry);
	}
}

export class FileManager {
	constructor(private readonly vault: Vault) {}

	/** Moves the file; links are not rewritten here (no note links to a book note in these runs). */
	async renameFile(file: TAbstractFile, newPath: string): Promise<void> {
		await this.vault.rename(file, newPath);
	}
}

// ---------------------------------------------------------------- app

export class SecretStorage extends Events {
	private readonly secrets = new Map<string, string>();

	setSecret(id: string, secret: string): void {
		if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw new Error(`Invalid secret ID: ${id}`);
		this.secrets.set(id, secret);
		this.trigger('changed', id);
	}

	getSecret(id: string): string | null {
		return this.secrets.get(id) ?? null;
	}

	listSecrets(): string[] {
		return [...this.secrets.keys()];
	}
}

export class Workspace extends Events {
	layoutReady = false;
	/** Test helper: links the plugin asked to open. */
	readonly opened: string[] = [];
	private readonly pending: (() => unknown)[] = [];

	onLayoutReady(callback: () => unknown): void {
		if (this.layoutReady) callback();
		else this.pending.push(callback);
	}

	async openLinkText(link: string): Promise<void> {
		this.opened.push(link);
	}

	/** Test helper: the app finished loading its layout. */
	setLayoutReady(): void {
		if (this.layoutReady) return;
		this.layoutReady = true;
		for (const callback of this.pending.splice(0)) callback();
		this.trigger('layout-ready');
	}
}

export class App {
	readonly vault = new Vault();
	readonly metadataCache = new MetadataCache(this.vault);
	readonly fileManager = new FileManager(this.vault);
	readonly workspace = new Workspace();
	readonly secretStorage = new SecretStorage();
	/** Test registries: not part of Obsidian's API. */
	readonly commands = new Map<string, Command>();
	readonly settingTabs: PluginSettingTab[] = [];
	statusBarItems = 0;

	constructor(private readonly appId = 'browser-vault') {}

	/** Vault-scoped keys in the page's real localStorage. */
	loadLocalStorage(key: string): unknown {
		const raw = window.localStorage.getItem(`${this.appId}-${key}`);
		if (raw === null) return null;
		try {
			return JSON.parse(raw) as unknown;
		} catch {
			return null;
		}
	}

	saveLocalStorage(key: string, data: unknown): void {
		const full = `${this.appId}-${key}`;
		if (data === null || data === undefined) window.localStorage.removeItem(full);
		else window.localStorage.setItem(full, JSON.stringify(data));
	}

	/** Test helper: runs a command by its full id, as the palette does. */
	async runCommand(id: string): Promise<void> {
		const command = this.commands.get(id);
		if (!command) throw new Error(`No command ${id}`);
		if (command.checkCallback) {
			if (command.checkCallback(true) === false) throw new Error(`Command ${id} is not available`);
			command.checkCallback(false);
			return;
		}
		await command.callback?.();
	}
}

export const Platform = {
	isDesktop: false,
	isMobile: true,
	isDesktopApp: false,
	isMobileApp: true,
	isIosApp: false,
	isAndroidApp: true,
	isPhone: true,
	isTablet: false,
	isMacOS: false,
	isWin: false,
	isLinux: false,
	isSafari: false,
	resourcePathPrefix: 'app://local/',
};

// ---------------------------------------------------------------- plugin

export interface Command {
	id: string;
	name: string;
	callback?: () => unknown;
	checkCallback?: (checking: boolean) => boolean | void;
}

export interface PluginManifest {
	id: string;
	name: string;
	version: string;
	minAppVersion: string;
	description: string;
	author: string;
	dir?: string;
}

export class Component {
	private readonly cleanups: (() => unknown)[] = [];
	private loaded = false;
	/** What `onload` returned, as a promise (the app awaits a plugin's async onload). */
	onloadResult: Promise<unknown> = Promise.resolve();

	load(): void {
		if (this.loaded) return;
		this.loaded = true;
		this.onloadResult = Promise.resolve(this.onload());
	}

	onload(): unknown {
		return undefined;
	}

	unload(): void {
		if (!this.loaded) return;
		this.loaded = false;
		for (const cleanup of this.cleanups.splice(0).reverse()) cleanup();
		this.onunload();
	}

	onunload(): void {}

	register(cleanup: () => unknown): void {
		this.cleanups.push(cleanup);
	}

	registerEvent(ref: EventRef): void {
		this.register(() => ref.e.offref(ref));
	}

	registerInterval(id: number): number {
		this.register(() => window.clearInterval(id));
		return id;
	}

	registerDomEvent(el: EventTarget, type: string, callback: (event: Event) => unknown, options?: boolean | AddEventListenerOptions): void {
		el.addEventListener(type, callback, options);
		this.register(() => el.removeEventListener(type, callback, options));
	}

	/** Test helper: how many cleanups are registered. */
	get registrations(): number {
		return this.cleanups.length;
	}
}

export class Plugin extends Component {
	private data: string | null = null;

	constructor(
		public app: App,
		public manifest: PluginManifest,
	) {
		super();
	}

	async loadData(): Promise<unknown> {
		await nextTask();
		return this.data === null ? null : (JSON.parse(this.data) as unknown);
	}

	async saveData(data: unknown): Promise<void> {
		await nextTask();
		this.data = JSON.stringify(data, null, 2);
	}

	/** Test helper: the text of data.json. */
	dataJson(): string | null {
		return this.data;
	}

	addCommand(command: Command): Command {
		const full = { ...command, id: `${this.manifest.id}:${command.id}` };
		this.app.commands.set(full.id, full);
		this.register(() => this.app.commands.delete(full.id));
		return full;
	}

	addRibbonIcon(icon: string, title: string, callback: (event: MouseEvent) => unknown): HTMLElement {
		const el = makeEl(document.body, 'div', { cls: 'side-dock-ribbon-action', attr: { 'aria-label': title, 'data-icon': icon } });
		this.registerDomEvent(el, 'click', (event) => callback(event as MouseEvent));
		this.register(() => el.remove());
		return el;
	}

	/** Mobile has no status bar: the item is never shown. */
	addStatusBarItem(): HTMLElement {
		this.app.statusBarItems++;
		return makeEl(undefined, 'div', 'status-bar-item');
	}

	addSettingTab(tab: PluginSettingTab): void {
		this.app.settingTabs.push(tab);
	}
}

// ---------------------------------------------------------------- network

export interface RequestUrlParam {
	url: string;
	method?: string;
	contentType?: string;
	body?: string | ArrayBuffer;
	headers?: Record<string, string>;
	throw?: boolean;
}

export interface RequestUrlResponse {
	status: number;
	headers: Record<string, string>;
	arrayBuffer: ArrayBuffer;
	text: string;
	json: unknown;
}

/** `requestUrl` over the page's fetch. A network failure rejects with a Chromium-style code, like the app. */
export async function requestUrl(request: RequestUrlParam | string): Promise<RequestUrlResponse> {
	const param = typeof request === 'string' ? { url: request } : request;
	const headers: Record<string, string> = { ...(param.headers ?? {}) };
	if (param.contentType) headers['Content-Type'] = param.contentType;
	let response: Response;
	try {
		response = await window.fetch(param.url, { method: param.method ?? 'GET', headers, body: param.body, credentials: 'omit', cache: 'no-store' });
	} catch {
		throw new Error('net::ERR_FAILED');
	}
	const arrayBuffer = await response.arrayBuffer();
	const text = new TextDecoder().decode(arrayBuffer);
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((value, name) => (responseHeaders[name] = value));
	const result: RequestUrlResponse = {
		status: response.status,
		headers: responseHeaders,
		arrayBuffer,
		text,
		get json(): unknown {
			return JSON.parse(text) as unknown;
		},
	};
	if (response.status >= 400 && param.throw !== false) {
		throw Object.assign(new Error(`Request failed, status ${response.status}`), { status: response.status, headers: responseHeaders });
	}
	return result;
}

// ---------------------------------------------------------------- UI

/** Test registry: every notice shown, in order. */
export const notices: Notice[] = [];

export class Notice {
	readonly containerEl: HTMLElement;
	readonly noticeEl: HTMLElement;
	readonly messageEl: HTMLElement;

	constructor(message: string | DocumentFragment, duration?: number) {
		let container = document.body.querySelector<HTMLElement>('.notice-container');
		container ??= makeEl(document.body, 'div', 'notice-container');
		this.containerEl = makeEl(container, 'div', 'notice');
		this.noticeEl = this.containerEl;
		this.messageEl = makeEl(this.noticeEl, 'div', 'notice-message');
		this.setMessage(message);
		notices.push(this);
		if (duration !== 0) window.setTimeout(() => this.hide(), duration ?? 5000);
	}

	setMessage(message: string | DocumentFragment): this {
		setText(this.messageEl, message);
		return this;
	}

	hide(): void {
		this.containerEl.remove();
	}
}

export class Modal {
	readonly containerEl: HTMLElement;
	readonly modalEl: HTMLElement;
	readonly titleEl: HTMLElement;
	readonly contentEl: HTMLElement;

	constructor(public app: App) {
		this.containerEl = makeEl(undefined, 'div', 'modal-container');
		this.modalEl = makeEl(this.containerEl, 'div', 'modal');
		this.titleEl = makeEl(this.modalEl, 'div', 'modal-title');
		this.contentEl = makeEl(this.modalEl, 'div', 'modal-content');
	}

	setTitle(title: string | DocumentFragment): this {
		setText(this.titleEl, title);
		return this;
	}

	setContent(content: string | DocumentFragment): this {
		setText(this.contentEl, content);
		return this;
	}

	open(): void {
		document.body.appendChild(this.containerEl);
		void this.onOpen();
	}

	close(): void {
		this.containerEl.remove();
		this.onClose();
	}

	onOpen(): Promise<void> | void {}

	onClose(): void {}
}

export class SettingTab {
	readonly containerEl = makeEl(undefined, 'div', 'vertical-tab-content');

	constructor(public app: App) {}

	display(): void {}

	hide(): void {
		this.containerEl.empty();
	}
}

export class PluginSettingTab extends SettingTab {
	constructor(
		app: App,
		public plugin: Plugin,
	) {
		super(app);
	}
}

export class BaseComponent {
	disabled = false;

	setDisabled(disabled: boolean): this {
		this.disabled = disabled;
		return this;
	}

	then(callback: (component: this) => unknown): this {
		callback(this);
		return this;
	}
}

function setTooltipOn(el: HTMLElement, tooltip: string): void {
	el.setAttribute('aria-label', tooltip);
}

/** Text-like inputs: the value is a string, `onChange` fires on every edit. */
abstract class AbstractTextComponent<E extends HTMLInputElement | HTMLTextAreaElement> extends BaseComponent {
	private changed: ((value: string) => unknown) | undefined;

	constructor(readonly inputEl: E) {
		super();
		inputEl.addEventListener('input', () => this.onChanged());
	}

	override setDisabled(disabled: boolean): this {
		this.inputEl.disabled = disabled;
		return super.setDisabled(disabled);
	}

	getValue(): string {
		return this.inputEl.value;
	}

	setValue(value: string): this {
		this.inputEl.value = value;
		return this;
	}

	setPlaceholder(placeholder: string): this {
		this.inputEl.placeholder = placeholder;
		return this;
	}

	onChanged(): void {
		this.changed?.(this.getValue());
	}

	onChange(callback: (value: string) => unknown): this {
		this.changed = callback;
		return this;
	}
}

export class TextComponent extends AbstractTextComponent<HTMLInputElement> {
	constructor(containerEl: HTMLElement) {
		super(makeEl(containerEl, 'input', { type: 'text' }) as HTMLInputElement);
	}
}

export class SearchComponent extends TextComponent {
	readonly clearButtonEl: HTMLElement;

	constructor(containerEl: HTMLElement) {
		super(containerEl);
		this.inputEl.type = 'search';
		this.clearButtonEl = makeEl(containerEl, 'div', 'search-input-clear-button');
		this.clearButtonEl.addEventListener('click', () => {
			this.setValue('');
			this.onChanged();
		});
	}
}

export class TextAreaComponent extends AbstractTextComponent<HTMLTextAreaElement> {
	constructor(containerEl: HTMLElement) {
		super(makeEl(containerEl, 'textarea') as HTMLTextAreaElement);
	}
}

export class DropdownComponent extends BaseComponent {
	readonly selectEl: HTMLSelectElement;
	private changed: ((value: string) => unknown) | undefined;

	constructor(containerEl: HTMLElement) {
		super();
		this.selectEl = makeEl(containerEl, 'select', 'dropdown') as HTMLSelectElement;
		this.selectEl.addEventListener('change', () => this.changed?.(this.selectEl.value));
	}

	override setDisabled(disabled: boolean): this {
		this.selectEl.disabled = disabled;
		return super.setDisabled(disabled);
	}

	addOption(value: string, display: string): this {
		makeEl(this.selectEl, 'option', { value, text: display });
		return this;
	}

	addOptions(options: Record<string, string>): this {
		for (const [value, display] of Object.entries(options)) this.addOption(value, display);
		return this;
	}

	getValue(): string {
		return this.selectEl.value;
	}

	setValue(value: string): this {
		this.selectEl.value = value;
		return this;
	}

	onChange(callback: (value: string) => unknown): this {
		this.changed = callback;
		return this;
	}
}

export class ToggleComponent extends BaseComponent {
	readonly toggleEl: HTMLElement;
	private value = false;
	private changed: ((value: boolean) => unknown) | undefined;

	constructor(containerEl: HTMLElement) {
		super();
		this.toggleEl = makeEl(containerEl, 'div', 'checkbox-container');
		this.toggleEl.addEventListener('click', () => this.onClick());
	}

	override setDisabled(disabled: boolean): this {
		this.toggleEl.classList.toggle('is-disabled', disabled);
		return super.setDisabled(disabled);
	}

	getValue(): boolean {
		return this.value;
	}

	setValue(on: boolean): this {
		const changed = on !== this.value;
		this.value = on;
		this.toggleEl.classList.toggle('is-enabled', on);
		if (changed) this.changed?.(on);
		return this;
	}

	setTooltip(tooltip: string): this {
		setTooltipOn(this.toggleEl, tooltip);
		return this;
	}

	onClick(): void {
		if (!this.disabled) this.setValue(!this.value);
	}

	onChange(callback: (value: boolean) => unknown): this {
		this.changed = callback;
		return this;
	}
}

export class SliderComponent extends BaseComponent {
	readonly sliderEl: HTMLInputElement;
	private changed: ((value: number) => unknown) | undefined;

	constructor(containerEl: HTMLElement) {
		super();
		this.sliderEl = makeEl(containerEl, 'input', { type: 'range', cls: 'slider' }) as HTMLInputElement;
		this.sliderEl.addEventListener('input', () => this.changed?.(this.getValue()));
	}

	override setDisabled(disabled: boolean): this {
		this.sliderEl.disabled = disabled;
		return super.setDisabled(disabled);
	}

	setInstant(_instant: boolean): this {
		return this;
	}

	setLimits(min: number | null, max: number | null, step: number | 'any'): this {
		if (min !== null) this.sliderEl.min = String(min);
		if (max !== null) this.sliderEl.max = String(max);
		this.sliderEl.step = String(step);
		return this;
	}

	getValue(): number {
		return Number(this.sliderEl.value);
	}

	setValue(value: number): this {
		this.sliderEl.value = String(value);
		return this;
	}

	getValuePretty(): string {
		return this.sliderEl.value;
	}

	setDynamicTooltip(): this {
		return this;
	}

	onChange(callback: (value: number) => unknown): this {
		this.changed = callback;
		return this;
	}
}

export class ButtonComponent extends BaseComponent {
	readonly buttonEl: HTMLButtonElement;

	constructor(containerEl: HTMLElement) {
		super();
		this.buttonEl = makeEl(containerEl, 'button') as HTMLButtonElement;
	}

	override setDisabled(disabled: boolean): this {
		this.buttonEl.disabled = disabled;
		return super.setDisabled(disabled);
	}

	setCta(): this {
		this.buttonEl.classList.add('mod-cta');
		return this;
	}

	removeCta(): this {
		this.buttonEl.classList.remove('mod-cta');
		return this;
	}

	setWarning(): this {
		this.buttonEl.classList.add('mod-warning');
		return this;
	}

	setDestructive(): this {
		this.buttonEl.classList.add('mod-destructive');
		return this;
	}

	removeDestructive(): this {
		this.buttonEl.classList.remove('mod-destructive');
		return this;
	}

	setTooltip(tooltip: string): this {
		setTooltipOn(this.buttonEl, tooltip);
		return this;
	}

	setButtonText(name: string): this {
		setText(this.buttonEl, name);
		return this;
	}

	setIcon(icon: string): this {
		this.buttonEl.dataset.icon = icon;
		return this;
	}

	setClass(cls: string): this {
		this.buttonEl.classList.add(cls);
		return this;
	}

	onClick(callback: (event: MouseEvent) => unknown): this {
		this.buttonEl.addEventListener('click', (event) => void callback(event));
		return this;
	}
}

export class ExtraButtonComponent extends BaseComponent {
	readonly extraSettingsEl: HTMLElement;

	constructor(containerEl: HTMLElement) {
		super();
		this.extraSettingsEl = makeEl(containerEl, 'div', 'clickable-icon extra-setting-button');
	}

	override setDisabled(disabled: boolean): this {
		this.extraSettingsEl.classList.toggle('is-disabled', disabled);
		return super.setDisabled(disabled);
	}

	setTooltip(tooltip: string): this {
		setTooltipOn(this.extraSettingsEl, tooltip);
		return this;
	}

	setIcon(icon: string): this {
		this.extraSettingsEl.dataset.icon = icon;
		return this;
	}

	onClick(callback: () => unknown): this {
		this.extraSettingsEl.addEventListener('click', () => {
			if (!this.disabled) callback();
		});
		return this;
	}
}

/** The secret picker: holds the secret's name (the token itself stays in SecretStorage). */
export class SecretComponent extends BaseComponent {
	private readonly input: TextComponent;

	constructor(
		public app: App,
		containerEl: HTMLElement,
	) {
		super();
		this.input = new TextComponent(containerEl);
		this.input.inputEl.classList.add('secret-component');
	}

	setValue(value: string): this {
		this.input.setValue(value);
		return this;
	}

	onChange(callback: (value: string) => unknown): this {
		this.input.onChange(callback);
		return this;
	}
}

export class Setting {
	readonly settingEl: HTMLElement;
	readonly infoEl: HTMLElement;
	readonly nameEl: HTMLElement;
	readonly descEl: HTMLElement;
	readonly controlEl: HTMLElement;
	components: BaseComponent[] = [];
	errorEl: HTMLElement | null = null;

	constructor(containerEl: HTMLElement) {
		this.settingEl = makeEl(containerEl, 'div', 'setting-item');
		this.infoEl = makeEl(this.settingEl, 'div', 'setting-item-info');
		this.nameEl = makeEl(this.infoEl, 'div', 'setting-item-name');
		this.descEl = makeEl(this.infoEl, 'div', 'setting-item-description');
		this.controlEl = makeEl(this.settingEl, 'div', 'setting-item-control');
	}

	setName(name: string | DocumentFragment): this {
		setText(this.nameEl, name);
		return this;
	}

	setDesc(desc: string | DocumentFragment): this {
		setText(this.descEl, desc);
		return this;
	}

	setErrorMessage(message: string | null): this {
		this.errorEl?.remove();
		this.errorEl = message === null ? null : makeEl(this.infoEl, 'div', { cls: 'setting-item-error', text: message });
		return this;
	}

	setClass(cls: string): this {
		this.settingEl.classList.add(cls);
		return this;
	}

	setTooltip(tooltip: string): this {
		setTooltipOn(this.nameEl, tooltip);
		return this;
	}

	setHeading(): this {
		this.settingEl.classList.add('setting-item-heading');
		return this;
	}

	setDisabled(disabled: boolean): this {
		this.settingEl.classList.toggle('is-disabled', disabled);
		for (const component of this.components) component.setDisabled(disabled);
		return this;
	}

	addButton(callback: (component: ButtonComponent) => unknown): this {
		return this.add(new ButtonComponent(this.controlEl), callback);
	}

	addExtraButton(callback: (component: ExtraButtonComponent) => unknown): this {
		return this.add(new ExtraButtonComponent(this.controlEl), callback);
	}

	addToggle(callback: (component: ToggleComponent) => unknown): this {
		return this.add(new ToggleComponent(this.controlEl), callback);
	}

	addText(callback: (component: TextComponent) => unknown): this {
		return this.add(new TextComponent(this.controlEl), callback);
	}

	addSearch(callback: (component: SearchComponent) => unknown): this {
		return this.add(new SearchComponent(this.controlEl), callback);
	}

	addTextArea(callback: (component: TextAreaComponent) => unknown): this {
		return this.add(new TextAreaComponent(this.controlEl), callback);
	}

	addDropdown(callback: (component: DropdownComponent) => unknown): this {
		return this.add(new DropdownComponent(this.controlEl), callback);
	}

	addSlider(callback: (component: SliderComponent) => unknown): this {
		return this.add(new SliderComponent(this.controlEl), callback);
	}

	addComponent<T extends BaseComponent>(callback: (el: HTMLElement) => T): this {
		this.components.push(callback(this.controlEl));
		return this;
	}

	then(callback: (setting: this) => unknown): this {
		callback(this);
		return this;
	}

	clear(): this {
		this.controlEl.empty();
		this.components = [];
		return this;
	}

	private add<T extends BaseComponent>(component: T, callback: (component: T) => unknown): this {
		this.components.push(component);
		callback(component);
		return this;
	}
}

export class SettingGroup {
	readonly groupEl: HTMLElement;
	readonly headerEl: HTMLElement;
	readonly listEl: HTMLElement;

	constructor(containerEl: HTMLElement) {
		this.groupEl = makeEl(containerEl, 'div', 'setting-group');
		this.headerEl = makeEl(this.groupEl, 'div', 'setting-item setting-item-heading');
		this.listEl = makeEl(this.groupEl, 'div', 'setting-items');
	}

	setHeading(text: string | DocumentFragment): this {
		setText(this.headerEl, text);
		return this;
	}

	addClass(...classes: string[]): this {
		this.groupEl.classList.add(...classes);
		return this;
	}

	addSetting(callback: (setting: Setting) => void): this {
		callback(new Setting(this.listEl));
		return this;
	}

	addSearch(callback: (component: SearchComponent) => unknown): this {
		callback(new SearchComponent(this.headerEl));
		return this;
	}

	addExtraButton(callback: (component: ExtraButtonComponent) => unknown): this {
		callback(new ExtraButtonComponent(this.headerEl));
		return this;
	}
}

/** Test registry: every input suggester created, in order. */
export const inputSuggests: AbstractInputSuggest<unknown>[] = [];

/** Suggestions under a text input; the popover itself is not drawn. */
export abstract class AbstractInputSuggest<T> {
	limit = 100;

	constructor(
		public app: App,
		protected readonly textInputEl: HTMLInputElement | HTMLDivElement,
	) {
		inputSuggests.push(this);
	}

	setValue(value: string): void {
		if (this.textInputEl instanceof HTMLInputElement) this.textInputEl.value = value;
		else this.textInputEl.textContent = value;
	}

	getValue(): string {
		return this.textInputEl instanceof HTMLInputElement ? this.textInputEl.value : (this.textInputEl.textContent ?? '');
	}

	/** Test helper: what the suggester lists for `query`, as the popover would show it. */
	async suggest(query: string): Promise<{ items: T[]; rendered: string[] }> {
		const items = await this.getSuggestions(query);
		const rendered = items.map((item) => {
			const el = makeEl(undefined, 'div', 'suggestion-item');
			this.renderSuggestion(item, el);
			return el.textContent ?? '';
		});
		return { items, rendered };
	}

	protected abstract getSuggestions(query: string): T[] | Promise<T[]>;

	abstract renderSuggestion(value: T, el: HTMLElement): void;

	selectSuggestion(_value: T, _event?: MouseEvent | KeyboardEvent): void {}

	close(): void {}
}

export function setIcon(el: HTMLElement, icon: string): void {
	el.dataset.icon = icon;
}
