/** The object `require('obsidian')` returns inside a plugin loaded by the fake. */
import { FakeEvents } from './events';
import { Component } from './component';
import { Plugin } from './plugin';
import { TAbstractFile, TFile, TFolder } from './files';
import { FakeVault } from './vault';
import { FakeMetadataCache } from './metadata-cache';
import { FakeFileManager } from './file-manager';
import { FakeApp, FakeSecretStorage, FakeWorkspace } from './app';
import { normalizePath } from './normalize-path';
import { request, requestUrl } from './request-url';
import { Platform } from './platform';
import { getFrontMatterInfo, parseYaml, stringifyYaml } from './frontmatter';
import { createFragment } from './dom';
import * as ui from './ui';

export const API_VERSION = '1.13.1';

function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
		if (diff !== 0) return diff;
	}
	return 0;
}

export function requireApiVersion(version: string): boolean {
	return compareVersions(API_VERSION, version) >= 0;
}

export interface FakeDebouncer<T extends unknown[]> {
	(...args: T): FakeDebouncer<T>;
	cancel(): FakeDebouncer<T>;
	run(): void;
}

export function debounce<T extends unknown[]>(cb: (...args: T) => unknown, timeout = 0, resetTimer = false): FakeDebouncer<T> {
	let timer: number | undefined;
	let lastArgs: T | undefined;
	const fire = (): void => {
		timer = undefined;
		const args = lastArgs;
		lastArgs = undefined;
		if (args) cb(...args);
	};
	const debounced = ((...args: T) => {
		lastArgs = args;
		if (timer !== undefined && resetTimer) {
			window.clearTimeout(timer);
			timer = undefined;
		}
		timer ??= window.setTimeout(fire, timeout);
		return debounced;
	}) as FakeDebouncer<T>;
	debounced.cancel = () => {
		if (timer !== undefined) window.clearTimeout(timer);
		timer = undefined;
		lastArgs = undefined;
		return debounced;
	};
	debounced.run = () => {
		if (timer !== undefined) window.clearTimeout(timer);
		fire();
	};
	return debounced;
}

export const obsidianModule = {
	apiVersion: API_VERSION,
	requireApiVersion,
	Events: FakeEvents,
	Component,
	Plugin,
	TAbstractFile,
	TFile,
	TFolder,
	Vault: FakeVault,
	MetadataCache: FakeMetadataCache,
	FileManager: FakeFileManager,
	App: FakeApp,
	Workspace: FakeWorkspace,
	SecretStorage: FakeSecretStorage,
	normalizePath,
	requestUrl,
	request,
	Platform,
	getFrontMatterInfo,
	parseYaml,
	stringifyYaml,
	debounce,
	createFragment,
	Notice: ui.Notice,
	Modal: ui.Modal,
	Setting: ui.Setting,
	SettingGroup: ui.SettingGroup,
	SettingTab: ui.SettingTab,
	PluginSettingTab: ui.PluginSettingTab,
	BaseComponent: ui.BaseComponent,
	ValueComponent: ui.ValueComponent,
	AbstractTextComponent: ui.AbstractTextComponent,
	TextComponent: ui.TextComponent,
	TextAreaComponent: ui.TextAreaComponent,
	SearchComponent: ui.SearchComponent,
	ToggleComponent: ui.ToggleComponent,
	DropdownComponent: ui.DropdownComponent,
	SliderComponent: ui.SliderComponent,
	ButtonComponent: ui.ButtonComponent,
	ExtraButtonComponent: ui.ExtraButtonComponent,
	SecretComponent: ui.SecretComponent,
	AbstractInputSuggest: ui.AbstractInputSuggest,
	setIcon: ui.setIcon,
	setTooltip: ui.setTooltip,
};
