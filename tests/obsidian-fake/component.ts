/**
 * Component: everything registered is undone on unload (events detached,
 * intervals cleared, DOM listeners removed, callbacks run, children unloaded).
 * Timeouts are NOT tracked: as in Obsidian, clearing them is the plugin's job.
 */
import type { FakeEventRef } from './events';
import type { FakeDomEvent } from './dom';

type DomListener = (event: FakeDomEvent) => unknown;

interface DomTarget {
	addEventListener(type: string, listener: DomListener, options?: unknown): void;
	removeEventListener(type: string, listener: DomListener, options?: unknown): void;
}

interface DomRegistration {
	el: DomTarget;
	type: string;
	callback: DomListener;
	options: unknown;
}

export interface ComponentRegistrationCounts {
	events: number;
	intervals: number;
	domEvents: number;
	callbacks: number;
	children: number;
}

export class Component {
	protected _loaded = false;
	private _children: Component[] = [];
	private _events: FakeEventRef[] = [];
	private _intervals: number[] = [];
	private _domEvents: DomRegistration[] = [];
	private _callbacks: (() => unknown)[] = [];
	/** @internal fake: what onload returned (a promise for async onload). */
	_onloadResult: unknown;

	load(): void {
		if (this._loaded) return;
		this._loaded = true;
		this._onloadResult = this.onload();
		for (const child of this._children) child.load();
	}

	onload(): unknown {
		return undefined;
	}

	unload(): void {
		if (!this._loaded) return;
		this._loaded = false;
		for (const child of [...this._children]) child.unload();
		this._children = [];
		this.onunload();
		for (const ref of this._events.splice(0)) ref.e.offref(ref);
		for (const id of this._intervals.splice(0)) window.clearInterval(id);
		for (const reg of this._domEvents.splice(0)) reg.el.removeEventListener(reg.type, reg.callback, reg.options);
		for (const callback of this._callbacks.splice(0).reverse()) {
			try {
				callback();
			} catch (error) {
				console.error(error);
			}
		}
	}

	onunload(): void {}

	addChild<T extends Component>(component: T): T {
		this._children.push(component);
		if (this._loaded) component.load();
		return component;
	}

	removeChild<T extends Component>(component: T): T {
		this._children = this._children.filter((c) => c !== component);
		component.unload();
		return component;
	}

	register(cb: () => unknown): void {
		this._callbacks.push(cb);
	}

	registerEvent(eventRef: FakeEventRef): void {
		this._events.push(eventRef);
	}

	registerDomEvent(el: DomTarget, type: string, callback: DomListener, options?: boolean | AddEventListenerOptions): void {
		el.addEventListener(type, callback, options);
		this._domEvents.push({ el, type, callback, options });
	}

	registerInterval(id: number): number {
		this._intervals.push(id);
		return id;
	}

	/** Test helper: what is still registered. */
	registrationCounts(): ComponentRegistrationCounts {
		return {
			events: this._events.length,
			intervals: this._intervals.length,
			domEvents: this._domEvents.length,
			callbacks: this._callbacks.length,
			children: this._children.length,
		};
	}
}
