import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { SyncError } from '../core/errors';
import { jsonPieces } from '../core/json-pieces';
import { runSync } from '../core/sync/engine';
import type { SyncEvent } from '../core/sync/events';
import type { SyncReport } from '../core/sync/report';
import { coverExtrasFor } from '../core/sync/cover-extras';
import { createLibraryView } from '../core/sync/library-view';
import { renderOptionsFrom } from '../core/settings/to-engine';
import { normaliseFolder } from '../core/vault-path';
import { parseCliArgs, USAGE, UsageError, type InitArgs, type SyncArgs, type ViewArgs } from './args';
import { initSettings } from './init';
import { cliEngineConfig, cliPaths, readBodyTemplate, readVaultSettings, type CliPaths } from './config';
import { VaultLock } from './vault-lock';
import type { EngineConfig } from '../core/sync/engine';
import type { Settings } from '../core/settings/schema';
import { NodeHttpBinaryTransport } from './http-binary-transport';
import { NodeHttpTransport } from './http-transport';
import { FolderCoverStore } from './folder-cover-store';
import { FolderNoteStore } from './folder-note-store';
import { launcherLink } from './launcher-link';
import { changeLines, failureLines, summaryLine } from './format';
import { ProgressBar } from './progress';
import { StateFile } from './state-file';
import { fileErrorCode } from './vault-files';
import { VaultRoot } from './vault-root';

declare const LIBRARY_SYNC_VERSION: string | undefined;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
	let args;
	try {
		args = parseCliArgs(argv);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`library-sync: ${error.message} Run "library-sync --help" for the options.\n`);
			return EXIT_USAGE;
		}
		throw error;
	}
	if (args.command === 'help') {
		process.stdout.write(`${USAGE}\n`);
		return EXIT_OK;
	}
	if (args.command === 'version') {
		process.stdout.write(`${typeof LIBRARY_SYNC_VERSION === 'string' ? LIBRARY_SYNC_VERSION : 'dev'}\n`);
		return EXIT_OK;
	}
	const missing = await vaultProblem(args.vault);
	if (missing !== undefined) {
		process.stderr.write(`library-sync: ${missing}\n`);
		return EXIT_USAGE;
	}
	if (args.command === 'view') return view(args);
	if (args.command === 'init') return init(args);
	return sync(args);
}

/**
 * Why `--vault` cannot be used, if it cannot: it must be an existing
 * folder, so that a typo or an unmounted disk never builds a second vault.
 */
async function vaultProblem(vault: string): Promise<string | undefined> {
	try {
		if (!(await stat(vault)).isDirectory()) return `The vault "${vault}" is a file, not a folder; give the vault's folder with --vault.`;
		return undefined;
	} catch (error) {
		if (fileErrorCode(error) === 'ENOENT') return `The vault folder "${vault}" does not exist; check the path (a disk not mounted?) or create the folder first.`;
		return undefined;
	}
}

async function init(args: InitArgs): Promise<number> {
	try {
		const written = await initSettings(args, cliPaths(args.vault, args.configDir));
		process.stdout.write(`Wrote ${written}: the settings Library Sync uses for this vault (the plugin reads the same file). Sync with: library-sync sync --vault "${args.vault}"\n`);
		return EXIT_OK;
	} catch (error) {
		process.stderr.write(`library-sync: ${error instanceof Error ? error.message : String(error)}\n`);
		return error instanceof SyncError && error.kind === 'config' ? EXIT_USAGE : EXIT_FAILED;
	}
}

async function view(args: ViewArgs): Promise<number> {
	const paths = cliPaths(args.vault, args.configDir);
	const { settings } = await readVaultSettings(paths);
	try {
		const folder = normaliseFolder(args.folder ?? settings.folder);
		await new VaultRoot(paths.vault).assertLibraryFolder(folder);
		const result = await createLibraryView(new FolderNoteStore(paths.vault), folder, renderOptionsFrom(settings));
		process.stdout.write(result.created ? `Created ${result.path}; open it in Obsidian.\n` : `${result.path} is already there; it was left as it is (delete it for a fresh one).\n`);
		return EXIT_OK;
	} catch (error) {
		process.stderr.write(`library-sync: ${error instanceof Error ? error.message : String(error)}\n`);
		return EXIT_FAILED;
	}
}

async function sync(args: SyncArgs): Promise<number> {
	const token = args.token ?? (process.env.LIBRARY_SYNC_TOKEN || undefined);
	const paths = cliPaths(args.vault, args.configDir);
	let config;
	let settings;
	try {
		const loaded = await readVaultSettings(paths);
		for (const warning of loaded.warnings) process.stderr.write(`library-sync: ${warning}\n`);
		const bodyTemplate = await readBodyTemplate(paths, loaded.settings);
		({ config, settings } = cliEngineConfig(args, loaded.settings, token, bodyTemplate));
		await new VaultRoot(paths.vault).assertLibraryFolder(normaliseFolder(config.folder));
	} catch (error) {
		if (error instanceof SyncError) {
			process.stderr.write(`library-sync: ${redact(error.message, token)}\n`);
			return EXIT_USAGE;
		}
		throw error;
	}

	const lock = args.dryRun ? undefined : new VaultLock(paths.lockFile, new VaultRoot(paths.vault));
	let tookOver: string | undefined;
	try {
		tookOver = await lock?.acquire();
	} catch (error) {
		process.stderr.write(`library-sync: ${error instanceof Error ? error.message : String(error)}\n`);
		return EXIT_FAILED;
	}
	try {
		return await syncLocked(args, paths, config, settings, token, tookOver);
	} finally {
		await lock?.release();
	}
}

async function syncLocked(args: SyncArgs, paths: CliPaths, config: EngineConfig, settings: Settings, token: string | undefined, tookOver?: string): Promise<number> {
	const say = (line: string): void => {
		if (!args.quiet && !args.json) process.stdout.write(`${line}\n`);
	};
	const link = launcherLink();
	const terminal = link ? link.stderrIsTTY : process.stderr.isTTY;
	const progress = !args.quiet && !args.json && terminal ? new ProgressBar(process.stderr) : undefined;
	let cancelled = false;
	const onSignal = (): void => {
		cancelled = true;
	};
	const stopListening = link ? link.onCancel(onSignal) : listenForSignals(onSignal);

	const clock = { now: () => Date.now() };
	const sleep = (ms: number): Promise<void> => delay(ms);
	const extras = coverExtrasFor({ http: new NodeHttpBinaryTransport(), store: new FolderCoverStore(paths.vault), clock, sleep, random: Math.random }, config, {
		downloadCovers: settings.downloadCovers,
		allowOtherOrigins: settings.coversFromOtherOrigins,
	});
	const report = await runSync(
		{
			http: new NodeHttpTransport(),
			notes: new FolderNoteStore(paths.vault),
			state: new StateFile(paths.stateFile, new VaultRoot(paths.vault)),
			clock,
			sleep,
			random: Math.random,
			extras,
			isCancelled: () => cancelled,
			onEvent: (event: SyncEvent) => progress?.handle(event),
		},
		config,
	);
	stopListening();
	// A stale lock taken over is worth knowing: a run before this one was killed.
	if (tookOver !== undefined) report.warnings = [tookOver, ...(report.warnings ?? [])];

	if (args.json) {
		// In pieces: the report of a first sync of 50,000 books is 9 MB of JSON.
		for (const piece of jsonPieces(report, '  ')) await writeOut(redact(piece, token));
	} else {
		if (report.dryRun) for (const line of changeLines(report)) say(line);
		say(redact(summaryLine(report), token));
		if (report.failures.length > 0) {
			process.stderr.write(`library-sync: ${report.failures.length === 1 ? 'this book' : 'these books'} could not be synced:\n`);
			process.stderr.write(`${redact(failureLines(report).join('\n'), token)}\n`);
		}
	}
	const warnings = report.warnings ?? [];
	if (warnings.length > 0 && !args.json && !args.quiet) {
		const shown = warnings.slice(0, 3).map((warning) => `  ${warning}`);
		if (warnings.length > 3) shown.push(`  ... ${warnings.length - 3} more (--json lists them all)`);
		process.stderr.write(`library-sync: warnings:\n${redact(shown.join('\n'), token)}\n`);
	}
	if (report.firstSync) {
		try {
			const created = await createLibraryView(new FolderNoteStore(paths.vault), config.folder, config.render);
			if (created.created) say(`Created ${created.path}: a Bases view of your library.`);
		} catch {
			// The view is a nicety; the sync itself succeeded.
		}
	}
	const held = removalNotice(report);
	if (held) process.stderr.write(`library-sync: ${redact(held, token)}\n`);
	if (report.error) {
		process.stderr.write(`library-sync: ${redact(report.error.message, token)} The cursor was not advanced; the next run picks up from the same point.\n`);
	}
	return report.ok ? EXIT_OK : EXIT_FAILED;
}

/** Ctrl-C and SIGTERM, when the command runs without the launcher. */
function listenForSignals(listener: () => void): () => void {
	process.once('SIGINT', listener);
	process.once('SIGTERM', listener);
	return () => {
		process.off('SIGINT', listener);
		process.off('SIGTERM', listener);
	};
}

/** What the user must decide about books that left the server, if anything. */
function removalNotice(report: SyncReport): string | undefined {
	const removals = report.removals;
	if (removals?.held !== 'too-many') return undefined;
	const examples = removals.examples.slice(0, 5).map((name) => `"${name}"`).join(', ');
	return `${removals.missing} books are no longer on the server (${examples}${removals.missing > 5 ? ', ...' : ''}). That is more than a tenth of your library, so none was marked removed; if the server is right, run again with --full --confirm-removals.`;
}

/** Writes to standard output, waiting while the reader is behind. */
async function writeOut(text: string): Promise<void> {
	if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** Belt and braces: no message leaves the process with the token in it. */
function redact(text: string, token: string | undefined): string {
	return token && token.length >= 4 ? text.split(token).join('[token]') : text;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`library-sync: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = EXIT_FAILED;
	},
);
