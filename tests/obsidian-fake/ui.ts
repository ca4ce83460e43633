/**
 * The UI classes a plugin's settings tab, status bar, notices and modals use,
 * rendering into the fake DOM so a test can look at (and click) what was built.
 */
import { newElement, type FakeElement } from './dom';
import type { FakeApp } from './app';
import type { Plugin } from './plugin';

/** Test helper: every Notice created (newest last). */
export const shownNotices: Notice[] = [];
/** Test helper: modals currently open. */
export const openModals: Modal[] = [];

/** What a test does with a suggester of any item type. */
export interface FakeInputSuggestHandle {
	simulateQuery(query: string): Promise<unknown[]>;
	simulateRendered(query: string): Promise<{ items: unknown[]; rendered: string[] }>;
	selectSuggestion(value: unknown, evt: unknown): void;
}

/** Test helper: every input suggester created (newest last). */
export const inputSuggests: FakeInputSuggestHandle[] = [];

export function resetUi(): void {
	shownNotices.length = 0;
	openModals.length = 0;
	inputSuggests.length = 0;
}

function textOf(message: string | FakeElement): string {
	return typeof message === 'string' ? message : message.textContent;
}

export class Notice {
	containerEl: FakeElement;
	messageEl: FakeElement;
	noticeEl: FakeElement;
	/** Test helper: every message this notice showed, in order. */
	readonly history: string[] = [];
	hidden = false;
	readonly duration: number | undefined;

	constructor(message: string | FakeElement, duration?: number) {
		this.containerEl = newElement('div');
		this.containerEl.addClass('notice');
		this.messageEl = this.containerEl.createDiv('notice-message');
		this.noticeEl = this.messageEl;
		this.duration = duration;
		this.setMessage(message);
		shownNotices.push(this);
	}

	setMessage(message: string | FakeElement): this {
		this.messageEl.setText(typeof message === 'string' ? message : message);
		this.history.push(textOf(message));
		return this;
	}

	hide(): void {
		this.hidden = true;
	}

	/** Test helper. */
	get message(): string {
		return this.messageEl.textContent;
	}
}

export abstract class BaseComponent {
	disabled = false;

	then(cb: (component: this) => unknown): this {
		cb(this);
		return this;
	}

	setDisabled(disabled: boolean): this {
		this.disabled = disabled;
		return this;
	}
}

export abstract class ValueComponent<T> extends BaseComponent {
	abstract getValue(): T;
	abstract setValue(value: T): this;
}

export class AbstractTextComponent extends ValueComponent<string> {
	inputEl: FakeElement;
	private changeCallback: ((value: string) => unknown) | undefined;

	constructor(inputEl: FakeElement) {
		super();
		this.inputEl = inputEl;
		inputEl.addEventListener('input', () => this.onChanged());
	}

	override setDisabled(disabled: boolean): this {
		super.setDisabled(disabled);
		this.inputEl.disabled = disabled;
		return this;
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
		void this.changeCallback?.(this.getValue());
	}

	onChange(callback: (value: string) => unknown): this {
		this.changeCallback = callback;
		return this;
	}

	/** Test helper: types a value as the user would (fires onChange). */
	simulateInput(value: string): void {
		this.inputEl.value = value;
		this.inputEl.dispatch('input');
	}
}

export class TextComponent extends AbstractTextComponent {
	constructor(containerEl: FakeElement) {
		super(containerEl.createEl('input', { type: 'text' }));
	}
}

export class TextAreaComponent extends AbstractTextComponent {
	constructor(containerEl: FakeElement) {
		super(containerEl.createEl('textarea'));
	}
}

export class SearchComponent extends AbstractTextComponent {
	constructor(containerEl: FakeElement) {
		super(containerEl.createEl('input', { type: 'search' }));
	}
}

export class ToggleComponent extends ValueComponent<boolean> {
	toggleEl: FakeElement;
	private changeCallback: ((value: boolean) => unknown) | undefined;

	constructor(containerEl: FakeElement) {
		super();
		this.toggleEl = containerEl.createDiv('checkbox-container');
		this.toggleEl.addEventListener('click', () => this.onClick());
	}

	getValue(): boolean {
		return this.toggleEl.checked;
	}

	setValue(on: boolean): this {
		this.toggleEl.checked = on;
		this.toggleEl.toggleClass('is-enabled', on);
		return this;
	}

	setTooltip(tooltip: string): this {
		this.toggleEl.setAttr('aria-label', tooltip);
		return this;
	}

	onClick(): void {
		if (this.disabled) return;
		this.setValue(!this.getValue());
		void this.changeCallback?.(this.getValue());
	}

	onChange(callback: (value: boolean) => unknown): this {
		this.changeCallback = callback;
		return this;
	}
}

export class DropdownComponent extends ValueComponent<string> {
	selectEl: FakeElement;
	private changeCallback: ((value: string) => unknown) | undefined;

	constructor(containerEl: FakeElement) {
		super();
		this.selectEl = containerEl.createEl('select', 'dropdown');
		this.selectEl.addEventListener('change', () => void this.changeCallback?.(this.getValue()));
	}

	addOption(value: string, display: string): this {
		this.selectEl.createEl('option', { text: display, value });
		if (this.selectEl.children.length === 1) this.selectEl.value = value;
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
		this.changeCallback = callback;
		return this;
	}

	/** Test helper: picks an option as the user would (fires onChange). */
	simulateSelect(value: string): void {
		if (!this.selectEl.children.some((option) => option.value === value)) throw new Error(`fake dropdown: no option ${value}`);
		this.selectEl.value = value;
		this.selectEl.dispatch('change');
	}
}

export class SliderComponent extends ValueComponent<number> {
	sliderEl: FakeElement;
	private changeCallback: ((value: number) => unknown) | undefined;

	constructor(containerEl: FakeElement) {
		super();
		this.sliderEl = containerEl.createEl('input', { type: 'range' });
	}

	setLimits(min: number | null, max: number | null, step: number | 'any'): this {
		this.sliderEl.setAttr('min', min);
		this.sliderEl.setAttr('max', max);
		this.sliderEl.setAttr('step', step);
		return this;
	}

	setDynamicTooltip(): this {
		return this;
	}

	getValue(): number {
		return Number(this.sliderEl.value);
	}

	setValue(value: number): this {
		this.sliderEl.value = String(value);
		return this;
	}

	onChange(callback: (value: number) => unknown): this {
		this.changeCallback = callback;
		return this;
	}

	simulateInput(value: number): void {
		this.setValue(value);
		void this.changeCallback?.(value);
	}
}

export class ButtonComponent extends BaseComponent {
	buttonEl: FakeElement;

	constructor(containerEl: FakeElement) {
		super();
		this.buttonEl = containerEl.createEl('button');
	}

	override setDisabled(disabled: boolean): this {
		super.setDisabled(disabled);
		this.buttonEl.disabled = disabled;
		return this;
	}

	setCta(): this {
		this.buttonEl.addClass('mod-cta');
		return this;
	}

	removeCta(): this {
		this.buttonEl.removeClass('mod-cta');
		return this;
	}

	setWarning(): this {
		this.buttonEl.addClass('mod-warning');
		return this;
	}

	setTooltip(tooltip: string): this {
		this.buttonEl.setAttr('aria-label', tooltip);
		return this;
	}

	setButtonText(name: string): this {
		this.buttonEl.setText(name);
		return this;
	}

	setIcon(icon: string): this {
		this.buttonEl.setAttr('data-icon', icon);
		return this;
	}

	setClass(cls: string): this {
		this.buttonEl.addClass(cls);
		return this;
	}

	onClick(callback: (evt: unknown) => unknown): this {
		this.buttonEl.addEventListener('click', (evt) => void callback(evt));
		return this;
	}
}

export class ExtraButtonComponent extends BaseComponent {
	extraSettingsEl: FakeElement;

	constructor(containerEl: FakeElement) {
		super();
		this.extraSettingsEl = containerEl.createDiv('clickable-icon');
	}

	setTooltip(tooltip: string): this {
		this.extraSettingsEl.setAttr('aria-label', tooltip);
		return this;
	}

	setIcon(icon: string): this {
		this.extraSettingsEl.setAttr('data-icon', icon);
		return this;
	}

	onClick(callback: () => unknown): this {
		this.extraSettingsEl.addEventListener('click', () => void callback());
		return this;
	}
}

/** Picks a secret by name; its value is the secret's id, never the secret. */
export class SecretComponent extends BaseComponent {
	readonly inputEl: FakeElement;
	private changeCallback: ((value: string) => unknown) | undefined;

	constructor(readonly app: FakeApp, containerEl: FakeElement) {
		super();
		this.inputEl = containerEl.createEl('input', { type: 'text', cls: 'secret-component' });
	}

	setValue(value: string): this {
		this.inputEl.value = value;
		return this;
	}

	onChange(cb: (value: string) => unknown): this {
		this.changeCallback = cb;
		return this;
	}

	/** Test helper: the user picks (or creates) the secret `id`. */
	simulateSelect(id: string): void {
		this.inputEl.value = id;
		void this.changeCallback?.(id);
	}
}

export class Setting {
	settingEl: FakeElement;
	infoEl: FakeElement;
	nameEl: FakeElement;
	descEl: FakeElement;
	controlEl: FakeElement;
	errorEl: FakeElement | null = null;
	components: BaseComponent[] = [];

	constructor(containerEl: FakeElement) {
		this.settingEl = containerEl.createDiv('setting-item');
		this.infoEl = this.settingEl.createDiv('setting-item-info');
		this.nameEl = this.infoEl.createDiv('setting-item-name');
		this.descEl = this.infoEl.createDiv('setting-item-description');
		this.controlEl = this.settingEl.createDiv('setting-item-control');
	}

	setName(name: string | FakeElement): this {
		this.nameEl.setText(name);
		return this;
	}

	setDesc(desc: string | FakeElement): this {
		this.descEl.setText(desc);
		return this;
	}

	setClass(cls: string): this {
		this.settingEl.addClass(cls);
		return this;
	}

	setTooltip(tooltip: string): this {
		this.nameEl.setAttr('aria-label', tooltip);
		return this;
	}

	setHeading(): this {
		this.settingEl.addClass('setting-item-heading');
		return this;
	}

	setDisabled(disabled: boolean): this {
		this.settingEl.toggleClass('is-disabled', disabled);
		for (const component of this.components) component.setDisabled(disabled);
		return this;
	}

	setErrorMessage(message: string | null): this {
		if (!message) {
			this.errorEl?.remove();
			this.errorEl = null;
			this.settingEl.removeClass('is-invalid');
			return this;
		}
		this.errorEl ??= this.settingEl.createDiv('setting-item-error');
		this.errorEl.setText(message);
		this.settingEl.addClass('is-invalid');
		return this;
	}

	private add<T extends BaseComponent>(component: T, cb: (component: T) => unknown): this {
		this.components.push(component);
		cb(component);
		return this;
	}

	addButton(cb: (component: ButtonComponent) => unknown): this {
		return this.add(new ButtonComponent(this.controlEl), cb);
	}

	addExtraButton(cb: (component: ExtraButtonComponent) => unknown): this {
		return this.add(new ExtraButtonComponent(this.controlEl), cb);
	}

	addToggle(cb: (component: ToggleComponent) => unknown): this {
		return this.add(new ToggleComponent(this.controlEl), cb);
	}

	addText(cb: (component: TextComponent) => unknown): this {
		return this.add(new TextComponent(this.controlEl), cb);
	}

	addTextArea(cb: (component: TextAreaComponent) => unknown): this {
		return this.add(new TextAreaComponent(this.controlEl), cb);
	}

	addSearch(cb: (component: SearchComponent) => unknown): this {
		return this.add(new SearchComponent(this.controlEl), cb);
	}

	addDropdown(cb: (component: DropdownComponent) => unknown): this {
		return this.add(new DropdownComponent(this.controlEl), cb);
	}

	addSlider(cb: (component: SliderComponent) => unknown): this {
		return this.add(new SliderComponent(this.controlEl), cb);
	}

	addComponent<T extends BaseComponent>(cb: (el: FakeElement) => T): this {
		this.components.push(cb(this.controlEl));
		return this;
	}

	then(cb: (setting: this) => unknown): this {
		cb(this);
		return this;
	}

	clear(): this {
		this.controlEl.empty();
		this.components = [];
		return this;
	}
}

export class SettingGroup {
	readonly groupEl: FakeElement;
	readonly headerEl: FakeElement;
	listEl: FakeElement;

	constructor(containerEl: FakeElement) {
		this.groupEl = containerEl.createDiv('setting-group');
		this.headerEl = this.groupEl.createDiv('setting-item setting-item-heading');
		this.listEl = this.groupEl.createDiv('setting-items');
	}

	setHeading(text: string | FakeElement): this {
		this.headerEl.setText(text);
		return this;
	}

	addClass(...classes: string[]): this {
		this.groupEl.addClass(...classes);
		return this;
	}

	addSetting(cb: (setting: Setting) => void): this {
		cb(new Setting(this.listEl));
		return this;
	}

	addSearch(cb: (component: SearchComponent) => unknown): this {
		cb(new SearchComponent(this.headerEl));
		return this;
	}

	addExtraButton(cb: (component: ExtraButtonComponent) => unknown): this {
		cb(new ExtraButtonComponent(this.headerEl));
		return this;
	}
}

export abstract class SettingTab {
	icon = 'settings';
	app: FakeApp;
	containerEl: FakeElement;
	settingItems: unknown[] = [];

	constructor(app: FakeApp) {
		this.app = app;
		this.containerEl = newElement('div');
		this.containerEl.addClass('vertical-tab-content');
	}

	getSettingDefinitions(): unknown[] {
		return [];
	}

	update(): void {
		this.settingItems = this.getSettingDefinitions();
	}

	refreshDomState(): void {}

	display(): void {}

	hide(): void {
		this.containerEl.empty();
	}
}

export abstract class PluginSettingTab extends SettingTab {
	plugin: Plugin;

	constructor(app: FakeApp, plugin: Plugin) {
		super(app);
		this.plugin = plugin;
	}

	getControlValue(key: string): unknown {
		return (this.plugin.settings as Record<string, unknown> | undefined)?.[key];
	}

	async setControlValue(key: string, value: unknown): Promise<void> {
		const settings = (this.plugin.settings ?? {}) as Record<string, unknown>;
		settings[key] = value;
		this.plugin.settings = settings;
		await this.plugin.saveData(settings);
	}
}

export class Modal {
	app: FakeApp;
	scope: Record<string, never> = {};
	containerEl: FakeElement;
	modalEl: FakeElement;
	titleEl: FakeElement;
	contentEl: FakeElement;
	shouldRestoreSelection = false;
	private closeCallback: (() => unknown) | undefined;

	constructor(app: FakeApp) {
		this.app = app;
		this.containerEl = newElement('div');
		this.containerEl.addClass('modal-container');
		this.modalEl = this.containerEl.createDiv('modal');
		this.titleEl = this.modalEl.createDiv('modal-title');
		this.contentEl = this.modalEl.createDiv('modal-content');
	}

	open(): void {
		if (openModals.includes(this)) return;
		openModals.push(this);
		void this.onOpen();
	}

	close(): void {
		const index = openModals.indexOf(this);
		if (index < 0) return;
		openModals.splice(index, 1);
		this.onClose();
		void this.closeCallback?.();
	}

	onOpen(): Promise<void> | void {}

	onClose(): void {}

	setTitle(title: string): this {
		this.titleEl.setText(title);
		return this;
	}

	setContent(content: string | FakeElement): this {
		this.contentEl.setText(content);
		return this;
	}

	setCloseCallback(callback: () => unknown): this {
		this.closeCallback = callback;
		return this;
	}
}

/** Minimal: suggestions are computed on demand by `simulateQuery`. */
export abstract class AbstractInputSuggest<T> {
	limit = 100;
	readonly app: FakeApp;
	readonly textInputEl: FakeElement;
	private selectCallback: ((value: T, evt: unknown) => unknown) | undefined;
	isOpen = false;

	constructor(app: FakeApp, textInputEl: FakeElement) {
		this.app = app;
		this.textInputEl = textInputEl;
		inputSuggests.push(this);
	}

	setValue(value: string): void {
		this.textInputEl.value = value;
	}

	getValue(): string {
		return this.textInputEl.value;
	}

	protected abstract getSuggestions(query: string): T[] | Promise<T[]>;
	abstract renderSuggestion(value: T, el: FakeElement): void;

	selectSuggestion(value: T, evt: unknown): void {
		void this.selectCallback?.(value, evt);
	}

	onSelect(callback: (value: T, evt: unknown) => unknown): this {
		this.selectCallback = callback;
		return this;
	}

	open(): void {
		this.isOpen = true;
	}

	close(): void {
		this.isOpen = false;
	}

	/** Test helper: what the popover would list for `query`. */
	async simulateQuery(query: string): Promise<T[]> {
		const all = await this.getSuggestions(query);
		return this.limit > 0 ? all.slice(0, this.limit) : all;
	}

	/** Test helper: the text of each suggestion for `query`, as the popover renders it. */
	async simulateRendered(query: string): Promise<{ items: T[]; rendered: string[] }> {
		const items = await this.simulateQuery(query);
		const rendered = items.map((item) => {
			const el = newElement('div');
			el.addClass('suggestion-item');
			this.renderSuggestion(item, el);
			return el.textContent;
		});
		return { items, rendered };
	}
}

export function setIcon(parent: FakeElement, iconId: string): void {
	parent.setAttr('data-icon', iconId);
}

export function setTooltip(el: FakeElement, tooltip: string): void {
	el.setAttr('aria-label', tooltip);
}
