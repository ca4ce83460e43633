import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeApp, loadPluginBundle } from '../obsidian-fake/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adapters-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A throwaway plugin that wires every adapter, bundled like main.js (CJS, browser, 'obsidian' external). */
const entry = `
import { Plugin } from 'obsidian';
import { VaultNoteStore } from './src/obsidian/vault-note-store';
import { LocalStorageStateStore } from './src/obsidian/state-store';
import { SettingsStore } from './src/obsidian/settings-store';
import { RequestUrlTransport } from './src/obsidian/http-transport';
import { readToken } from './src/obsidian/secret-token';

export default class AdapterProbe extends Plugin {
	async onload() {
		this.store = new VaultNoteStore(this.app);
		this.state = new LocalStorageStateStore(this.app);
		this.settingsStore = new SettingsStore(this);
		this.transport = new RequestUrlTransport();
		this.loaded = await this.settingsStore.load();
		this.token = readToken(this.app, this.loaded.settings);
	}
}
`;

describe('adapters in a plugin bundle', () => {
	it('bundle without Node modules and run on mobile through the fake', async () => {
		const result = await build({
			stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'probe.ts' },
			bundle: true,
			write: false,
			format: 'cjs',
			platform: 'browser',
			target: 'es2021',
			external: ['obsidian'],
			logLevel: 'silent',
		});
		const code = result.outputFiles[0]?.text ?? '';
		expect(code).not.toMatch(/require\("(node:|fs|path|http|crypto)/);
		const mainJs = path.join(dir, 'main.js');
		fs.writeFileSync(mainJs, code);

		const app = createFakeApp({ platform: 'mobile', files: { 'Books/Dune.md': '---\nbook_id: 1\n---\n' } });
		app.secretStorage.setSecret('library-sync-token', 'tok');
		const manifest = { id: 'library-sync', name: 'Library Sync', version: '0.1.0', minAppVersion: '1.11.4', description: 'x', author: 'x' };
		const loaded = await loadPluginBundle(mainJs, app, manifest);
		const probe = loaded.plugin as unknown as {
			store: { create(p: string, c: string): Promise<void>; buildIdIndex(p: string): Promise<Map<string, string>>; isTaken(p: string): Promise<boolean> };
			state: { save(s: object): Promise<void>; load(): Promise<object> };
			loaded: { warnings: string[] };
			token: string | null;
		};
		expect(probe.loaded.warnings).toEqual([]);
		expect(probe.token).toBe('tok');
		await probe.store.create('Books/Emma.md', '---\nbook_id: 2\n---\n');
		expect(await probe.store.isTaken('books/emma.md')).toBe(true);
		expect(Object.fromEntries(await probe.store.buildIdIndex('book_id'))).toEqual({ '1': 'Books/Dune.md', '2': 'Books/Emma.md' });
		await probe.state.save({ cursor: 'c' });
		expect(await probe.state.load()).toEqual({ cursor: 'c' });
		await loaded.unload();
	});
});
