/**
 * The Node side of a page that runs the built main.js in headless Chromium
 * (the browser test and the browser benchmark share it): bundles the page
 * script (harness.ts with the browser fake of `obsidian`), serves it and
 * main.js from the reference server's origin (`/__harness/*` is answered by
 * Playwright, everything else reaches the real server), and opens it.
 */
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { Harness } from './harness';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const INDEX_HTML = '<!doctype html>\n<html><head><meta charset="utf-8"><title>Library Sync in a web view</title></head>\n<body><script src="harness.js"></script></body></html>\n';

/**
 * main.js as the body of a function of (module, exports, require), the way
 * the app evaluates it, for the page to run as a classic script (sloppy
 * mode, global scope, like `new Function`); the harness calls the function.
 */
function wrapCommonJs(code: string): string {
	return `window.__librarySyncCommonJs = function (module, exports, require) {\n${code}\n};\n`;
}

/** Bundles the page script (harness + browser fake of `obsidian`) for the browser. */
async function bundleHarness(): Promise<string> {
	const result = await build({
		entryPoints: [path.join(import.meta.dirname, 'harness.ts')],
		bundle: true,
		write: false,
		format: 'iife',
		platform: 'browser',
		target: 'es2021',
		logLevel: 'silent',
	});
	return result.outputFiles[0]?.text ?? '';
}

/** Serves the harness page and `mainJs` under `${serverUrl}/__harness/`, opens it and waits for the harness. */
export async function openPluginPage(page: Page, serverUrl: string, mainJs: string): Promise<void> {
	const files: Record<string, { body: string; contentType: string }> = {
		'index.html': { body: INDEX_HTML, contentType: 'text/html; charset=utf-8' },
		'harness.js': { body: await bundleHarness(), contentType: 'text/javascript; charset=utf-8' },
		'main.js': { body: wrapCommonJs(mainJs), contentType: 'text/javascript; charset=utf-8' },
	};
	const origin = new URL(serverUrl).origin;
	await page.route(
		(url) => url.origin === origin && url.pathname.startsWith('/__harness/'),
		(route) => {
			const file = files[new URL(route.request().url()).pathname.slice('/__harness/'.length)];
			return file ? route.fulfill({ status: 200, contentType: file.contentType, body: file.body }) : route.fulfill({ status: 404, body: 'not found' });
		},
	);
	await page.goto(`${serverUrl}/__harness/index.html`);
	await page.waitForFunction(() => 'libraryHarness' in window);
}

/** Runs `action` in the page with its harness; `action` is sent as source, so it may use only its parameters, and `arg` must be JSON. */
export function inPage<R, A = undefined>(page: Page, action: (harness: Harness, arg: A) => R | Promise<R>, arg?: A): Promise<R> {
	return page.evaluate<R>(`(${action.toString()})(window.libraryHarness, ${JSON.stringify(arg ?? null)})`);
}
