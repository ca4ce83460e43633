/**
 * Which Chromium the browser tests drive. In order: `CHROMIUM_PATH`, a
 * Chromium installed on the system, then the one carried inside the
 * `@sparticuz/chromium` package (a dev dependency, so `npm ci` alone is
 * enough on Linux x64). Where none exists the error says how to get one.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The first executable called `name` on the PATH, if any. */
function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const candidate = path.join(dir, name);
		if (existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** The packaged Chromium, unpacked on first use; undefined where the package has no build for this platform. */
async function packaged(): Promise<string | undefined> {
	if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
	try {
		const { default: chromium } = await import('@sparticuz/chromium');
		return await chromium.executablePath();
	} catch {
		return undefined;
	}
}

export async function chromiumPath(): Promise<string> {
	const configured = process.env.CHROMIUM_PATH;
	if (configured) {
		if (existsSync(configured)) return configured;
		throw new Error(`CHROMIUM_PATH is ${configured}, which does not exist; point it at a Chromium executable or unset it.`);
	}
	for (const name of SYSTEM_NAMES) {
		const found = onPath(name);
		if (found) return found;
	}
	const unpacked = await packaged();
	if (unpacked && existsSync(unpacked)) return unpacked;
	throw new Error(
		'No Chromium found for the browser test: none on the PATH, and the packaged one (@sparticuz/chromium, Linux x64 only) ' +
			`is not available on ${process.platform}-${process.arch}. Install Chromium or set CHROMIUM_PATH to its executable.`,
	);
}
