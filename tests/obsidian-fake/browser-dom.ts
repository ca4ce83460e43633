/**
 * The browser test's page: the fake renders into the page's real DOM, with
 * Obsidian's element helpers (createEl, createDiv, setText, empty, addClass,
 * ...) installed on the standard DOM's prototypes and the globals a plugin
 * gets (`activeWindow`, `activeDocument`, `createEl`, ...). dom.ts is the
 * same for Node tests, which have no DOM.
 */
import { setDomBackend, type FakeElement, type FakeWindow } from './dom';

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

function createFragment(callback?: (fragment: DocumentFragment) => void): DocumentFragment {
	const fragment = document.createDocumentFragment();
	callback?.(fragment);
	return fragment;
}

/** Installs Obsidian's DOM extensions and globals on this window (idempotent). */
function installDomHelpers(): void {
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
		appendText(this: Node, text: string) {
			this.appendChild(document.createTextNode(text));
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
		getAttr(this: HTMLElement, name: string) {
			return this.getAttribute(name);
		},
	});
	Object.assign(window as unknown as Record<string, unknown>, {
		activeWindow: window,
		activeDocument: document,
		createEl: (tag: string, info?: ElementInfo | string, callback?: (el: HTMLElement) => void) => makeEl(undefined, tag, info, callback),
		createDiv: (info?: ElementInfo | string, callback?: (el: HTMLElement) => void) => makeEl(undefined, 'div', info, callback),
		createSpan: (info?: ElementInfo | string, callback?: (el: HTMLElement) => void) => makeEl(undefined, 'span', info, callback),
		createFragment,
	});
}

/**
 * Switches the fake to the page's DOM. Its elements are typed as the fake's
 * (FakeElement) and are real HTMLElements with Obsidian's helpers; the fake
 * uses only what both have.
 */
export function useBrowserDom(): void {
	setDomBackend({
		createElement: (tag) => document.createElement(tag) as unknown as FakeElement,
		createFragment: () => document.createDocumentFragment() as unknown as FakeElement,
		installGlobals() {
			installDomHelpers();
			return window as unknown as FakeWindow;
		},
	});
}
