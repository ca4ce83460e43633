/**
 * The fake for the browser test's page (bundled by esbuild with the harness):
 * the same modules as Node tests use (index.ts), without the Node-only parts
 * (node-mirror.ts, request-node.ts, load-plugin.ts). Requests go over the
 * page's `fetch`, the UI renders into the page's DOM, the vault is in memory.
 */
import { useBrowserDom } from './browser-dom';

useBrowserDom();

export { obsidianModule } from './module';
export { createFakeApp, type FakeApp } from './app';
export { Plugin, type FakePluginManifest } from './plugin';
export { shownNotices, openModals, inputSuggests, type PluginSettingTab } from './ui';
