/**
 * A minimal stand-in for the DOM, with Obsidian's element helpers
 * (createEl, createDiv, setText, empty, addClass, ...). Tests run in Node
 * without jsdom; this is just enough for settings tabs, the status bar,
 * notices and modals, and for finding what a plugin rendered.
 *
 * In the browser test's page the same fake renders into the real DOM instead
 * (browser-dom.ts installs Obsidian's helpers on it and calls `setDomBackend`);
 * the rest of the fake makes its elements with `newElement` and uses only what
 * both offer.
 */

export interface FakeDomElementInfo {
	cls?: string | string[];
	text?: string;
	attr?: Record<string, string | number | boolean | null>;
	title?: string;
	value?: string;
	type?: string;
	placeholder?: string;
	href?: string;
}

type Listener = (event: FakeDomEvent) => unknown;

export interface FakeDomEvent {
	type: string;
	target: FakeElement;
	preventDefault(): void;
	stopPropagation(): void;
}

export class FakeElement {
	readonly tagName: string;
	children: FakeElement[] = [];
	parentElement: FakeElement | null = null;
	readonly classList = new Set<string>();
	readonly attributes = new Map<string, string>();
	readonly style: Record<string, string> = {};
	private ownText = '';
	private readonly listeners = new Map<string, Listener[]>();
	/** For inputs, selects and textareas. */
	value = '';
	checked = false;
	disabled = false;
	placeholder = '';
	type = '';

	constructor(tagName: string) {
		this.tagName = tagName.toUpperCase();
	}

	get className(): string {
		return [...this.classList].join(' ');
	}

	get textContent(): string {
		return this.ownText + this.children.map((child) => child.textContent).join('');
	}

	set textContent(text: string) {
		this.empty();
		this.ownText = text;
	}

	get innerText(): string {
		return this.textContent;
	}

	set innerHTML(_html: string) {
		throw new Error('fake DOM: innerHTML is not supported (and plugins must not use it)');
	}

	set outerHTML(_html: string) {
		throw new Error('fake DOM: outerHTML is not supported (and plugins must not use it)');
	}

	insertAdjacentHTML(_position: string, _html: string): void {
		throw new Error('fake DOM: insertAdjacentHTML is not supported (and plugins must not use it)');
	}

	createEl(tag: string, o?: FakeDomElementInfo | string, callback?: (el: FakeElement) => void): FakeElement {
		const el = new FakeElement(tag);
		applyInfo(el, o);
		this.appendChild(el);
		callback?.(el);
		return el;
	}

	createDiv(o?: FakeDomElementInfo | string, callback?: (el: FakeElement) => void): FakeElement {
		const el = new FakeElement('div');
		applyInfo(el, o);
		this.appendChild(el);
		callback?.(el);
		return el;
	}

	createSpan(o?: FakeDomElementInfo | string, callback?: (el: FakeElement) => void): FakeElement {
		const el = new FakeElement('span');
		applyInfo(el, o);
		this.appendChild(el);
		callback?.(el);
		return el;
	}

	appendChild<T extends FakeElement>(child: T): T {
		child.detach();
		child.parentElement = this;
		this.children.push(child);
		return child;
	}

	append(...nodes: (FakeElement | string)[]): void {
		for (const node of nodes) {
			if (typeof node === 'string') this.appendChild(textNode(node));
			else this.appendChild(node);
		}
	}

	appendText(text: string): void {
		this.appendChild(textNode(text));
	}

	setText(text: string | FakeElement): void {
		this.empty();
		if (typeof text === 'string') this.ownText = text;
		else this.appendChild(text);
	}

	getText(): string {
		return this.textContent;
	}

	empty(): void {
		for (const child of this.children) child.parentElement = null;
		this.children = [];
		this.ownText = '';
	}

	detach(): void {
		const parent = this.parentElement;
		if (!parent) return;
		parent.children = parent.children.filter((child) => child !== this);
		this.parentElement = null;
	}

	remove(): void {
		this.detach();
	}

	addClass(...classes: string[]): void {
		for (const cls of classes) for (const part of cls.split(/\s+/)) if (part) this.classList.add(part);
	}

	addClasses(classes: string[]): void {
		this.addClass(...classes);
	}

	removeClass(...classes: string[]): void {
		for (const cls of classes) this.classList.delete(cls);
	}

	toggleClass(classes: string | string[], value: boolean): void {
		for (const cls of Array.isArray(classes) ? classes : [classes]) {
			if (value) this.classList.add(cls);
			else this.classList.delete(cls);
		}
	}

	hasClass(cls: string): boolean {
		return this.classList.has(cls);
	}

	setAttr(name: string, value: string | number | boolean | null): void {
		if (value === null) this.attributes.delete(name);
		else this.attributes.set(name, String(value));
	}

	setAttribute(name: string, value: string): void {
		this.attributes.set(name, value);
	}

	getAttr(name: string): string | null {
		return this.attributes.get(name) ?? null;
	}

	getAttribute(name: string): string | null {
		return this.getAttr(name);
	}

	removeAttribute(name: string): void {
		this.attributes.delete(name);
	}

	setCssProps(props: Record<string, string>): void {
		Object.assign(this.style, props);
	}

	show(): void {
		delete this.style.display;
	}

	hide(): void {
		this.setCssProps({ display: 'none' });
	}

	toggle(show: boolean): void {
		if (show) this.show();
		else this.hide();
	}

	isShown(): boolean {
		return this.style.display !== 'none';
	}

	addEventListener(type: string, listener: Listener): void {
		const list = this.listeners.get(type) ?? [];
		list.push(listener);
		this.listeners.set(type, list);
	}

	removeEventListener(type: string, listener: Listener): void {
		const list = this.listeners.get(type);
		if (list) this.listeners.set(type, list.filter((l) => l !== listener));
	}

	/** Test helper: fires an event at this element (listeners run synchronously). */
	dispatch(type: string): void {
		const event: FakeDomEvent = { type, target: this, preventDefault() {}, stopPropagation() {} };
		for (const listener of [...(this.listeners.get(type) ?? [])]) listener.call(this, event);
	}

	click(): void {
		if (!this.disabled) this.dispatch('click');
	}

	/** Test helper: number of DOM listeners attached to this element. */
	listenerCount(): number {
		let total = 0;
		for (const list of this.listeners.values()) total += list.length;
		return total;
	}

	/** Test helper: every descendant (depth first) matching the predicate. */
	findAll(predicate: (el: FakeElement) => boolean): FakeElement[] {
		const found: FakeElement[] = [];
		for (const child of this.children) {
			if (predicate(child)) found.push(child);
			found.push(...child.findAll(predicate));
		}
		return found;
	}

	/** Test helper: descendants carrying the class. */
	findByClass(cls: string): FakeElement[] {
		return this.findAll((el) => el.classList.has(cls));
	}
}

function textNode(text: string): FakeElement {
	const node = new FakeElement('#text');
	node.setText(text);
	return node;
}

function applyInfo(el: FakeElement, o: FakeDomElementInfo | string | undefined): void {
	if (o === undefined) return;
	if (typeof o === 'string') {
		el.addClass(o);
		return;
	}
	if (o.cls !== undefined) el.addClass(...(Array.isArray(o.cls) ? o.cls : [o.cls]));
	if (o.text !== undefined) el.setText(o.text);
	if (o.attr) for (const [name, value] of Object.entries(o.attr)) el.setAttr(name, value);
	if (o.title !== undefined) el.setAttr('title', o.title);
	if (o.value !== undefined) el.value = o.value;
	if (o.type !== undefined) el.type = o.type;
	if (o.placeholder !== undefined) el.placeholder = o.placeholder;
	if (o.href !== undefined) el.setAttr('href', o.href);
}

/** A document fragment (in this fake's DOM, an element without a tag). */
export function createFragment(callback?: (el: FakeElement) => void): FakeElement {
	const fragment = backend.createFragment();
	callback?.(fragment);
	return fragment;
}

/**
 * The `window` a plugin sees: browser-style timers that return numbers,
 * tracked so a test can assert nothing is left running, and DOM events.
 * No Node (`process`, `Buffer`, `require`) is reachable through it.
 */
export class FakeWindow extends FakeElement {
	private nextTimerId = 1;
	private readonly timeouts = new Map<number, ReturnType<typeof setTimeout>>();
	private readonly intervals = new Map<number, ReturnType<typeof setInterval>>();
	readonly document: FakeDocument;

	constructor() {
		super('#window');
		this.document = new FakeDocument(this);
	}

	setTimeout(handler: (...args: unknown[]) => void, ms = 0, ...args: unknown[]): number {
		const id = this.nextTimerId++;
		this.timeouts.set(id, setTimeout(() => {
			this.timeouts.delete(id);
			handler(...args);
		}, ms));
		return id;
	}

	clearTimeout(id: number | undefined): void {
		if (id === undefined) return;
		const handle = this.timeouts.get(id);
		if (handle !== undefined) clearTimeout(handle);
		this.timeouts.delete(id);
	}

	setInterval(handler: (...args: unknown[]) => void, ms = 0, ...args: unknown[]): number {
		const id = this.nextTimerId++;
		this.intervals.set(id, setInterval(() => handler(...args), ms));
		return id;
	}

	clearInterval(id: number | undefined): void {
		if (id === undefined) return;
		const handle = this.intervals.get(id);
		if (handle !== undefined) clearInterval(handle);
		this.intervals.delete(id);
	}

	/** Test helper: timeouts scheduled and not yet fired or cleared. */
	pendingTimeouts(): number {
		return this.timeouts.size;
	}

	/** Test helper: intervals still running. */
	activeIntervals(): number {
		return this.intervals.size;
	}

	/** Test helper: stops every timer (between tests). */
	clearAllTimers(): void {
		for (const handle of this.timeouts.values()) clearTimeout(handle);
		for (const handle of this.intervals.values()) clearInterval(handle);
		this.timeouts.clear();
		this.intervals.clear();
	}
}

export class FakeDocument extends FakeElement {
	readonly body: FakeElement;
	readonly defaultView: FakeWindow;

	constructor(win: FakeWindow) {
		super('#document');
		this.defaultView = win;
		this.body = this.createEl('body');
	}

	createElement(tag: string): FakeElement {
		return new FakeElement(tag);
	}

	createDocumentFragment(): FakeElement {
		return new FakeElement('#fragment');
	}
}

let installed: FakeWindow | undefined;

/** Where the fake's own elements come from, and how a plugin's globals are installed. */
export interface DomBackend {
	createElement(tag: string): FakeElement;
	createFragment(): FakeElement;
	installGlobals(): FakeWindow;
}

let backend: DomBackend = {
	createElement: (tag) => new FakeElement(tag),
	createFragment: () => new FakeElement('#fragment'),
	installGlobals: () => installFakeGlobals(),
};

/** The page of the browser test switches the fake to the real DOM. */
export function setDomBackend(next: DomBackend): void {
	backend = next;
}

/** A new element in the current DOM (this fake's, or the page's). */
export function newElement(tag: string): FakeElement {
	return backend.createElement(tag);
}

/** Installs the plugin's globals for the current DOM; returns the window. */
export function installGlobals(): FakeWindow {
	return backend.installGlobals();
}

/**
 * Installs the globals Obsidian gives every plugin: `window`, `activeWindow`,
 * `activeDocument`, `createEl`, `createDiv`, `createSpan`, `createFragment`.
 * There is deliberately no global `document`. Idempotent; returns the window.
 */
export function installFakeGlobals(): FakeWindow {
	if (installed) return installed;
	const win = new FakeWindow();
	const doc = win.document;
	const g = globalThis as Record<string, unknown>;
	g.window = win;
	g.activeWindow = win;
	g.activeDocument = doc;
	g.createEl = (tag: string, o?: FakeDomElementInfo | string, cb?: (el: FakeElement) => void) => {
		const el = new FakeElement(tag);
		applyInfo(el, o);
		cb?.(el);
		return el;
	};
	g.createDiv = (o?: FakeDomElementInfo | string, cb?: (el: FakeElement) => void) => (g.createEl as (t: string, o?: unknown, c?: unknown) => FakeElement)('div', o, cb);
	g.createSpan = (o?: FakeDomElementInfo | string, cb?: (el: FakeElement) => void) => (g.createEl as (t: string, o?: unknown, c?: unknown) => FakeElement)('span', o, cb);
	g.createFragment = (cb?: (el: FakeElement) => void) => {
		const fragment = new FakeElement('#fragment');
		cb?.(fragment);
		return fragment;
	};
	installed = win;
	return win;
}

export function fakeWindow(): FakeWindow {
	return installFakeGlobals();
}
