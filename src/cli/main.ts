import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { SyncError } from '../core/errors';
import { jsonPieces } from '../core/json-pieces';
import { describeFileError } from './file-errors';
import { Output } from './output';
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
import { changeLines, failureLines, formatCount, summaryLine } from './format';
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
			new Output(undefined).error(`${error.message} Run "library-sync --help" for the options.`);
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
		new Output(undefined).error(missing);
		return EXIT_USAGE;
	}
	if (args.command === 'view') return view(args);
	if (args.command === 'init') return init(args);
	return sync(args);
}

/**
 * Why `--vault` cannot be used, if it cannot: it must exist, so that a
 * typo or an unmounted disk never builds a second vault.
 */
async function vaultProblem(vault: string): Promise<string | undefined> {
	try {
		await stat(vault);
		return undefined;
	} catch (error) {
		// Anything else (a file in the way, a loop of links) is said by the file-system error it gives later.
		return fileErrorCode(error) === 'ENOENT' ? `The vault folder "${vault}" does not exist; check the path (a disk not mounted?) or create the folder first.` : undefined;
	}
}

async function init(args: InitArgs): Promise<number> {
	try {
		const written = await initSettings(args, cliPaths(args.vault, args.configDir));
		new Output(undefined).say(`Wrote ${written}: the settings Library Sync uses for this vault (the plugin reads the same file). Sync with: library-sync sync --vault "${args.vault}"`);
		return EXIT_OK;
	} catch (error) {
		new Output(undefined).error(describe(error));
		return error instanceof SyncError && error.kind === 'config' ? EXIT_USAGE : EXIT_FAILED;
	}
}

async function view(args: ViewArgs): Promise<number> {
	const out = new Output(undefined);
	const paths = cliPaths(args.vault, args.configDir);
	try {
		const { settings } = await readVaultSettings(paths);
		const folder = normaliseFolder(args.folder ?? settings.folder);
		await new VaultRoot(paths.vault).assertLibraryFolder(folder);
		const result = await createLibraryView(new FolderNoteStore(paths.vault), folder, renderOptionsFrom(settings));
		out.say(result.created ? `Created ${result.path}; open it in Obsidian.` : `${result.path} is already there; it was left as it is (delete it for a fresh one).`);
		return EXIT_OK;
	} catch (error) {
		out.error(describe(error));
		return EXIT_FAILED;
	}
}

async function sync(args: SyncArgs): Promise<number> {
	const token = args.token ?? (process.env.LIBRARY_SYNC_TOKEN || undefined);
	const out = new Output(token);
	const paths = cliPaths(args.vault, args.configDir);
	let config;
	let settings;
	try {
		const loaded = await readVaultSettings(paths);
		for (const warning of loaded.warnings) out.error(warning);
		const bodyTemplate = await readBodyTemplate(paths, loaded.settings);
		({ config, settings } = cliEngineConfig(args, loaded.settings, token, bodyTemplate));
		await new VaultRoot(paths.vault).assertLibraryFolder(normaliseFolder(config.folder));
	} catch (error) {
		if (error instanceof SyncError) {
			out.error(error.message);
			return error.kind === 'config' ? EXIT_USAGE : EXIT_FAILED;
		}
		throw error;
	}

	const lock = args.dryRun ? undefined : new VaultLock(paths.lockFile, new VaultRoot(paths.vault));
	let tookOver: string | undefined;
	try {
		tookOver = await lock?.acquire();
	} catch (error) {
		out.error(describe(error));
		return EXIT_FAILED;
	}
	try {
		return await syncLocked(args, paths, config, settings, token, out, tookOver);
	} finally {
		await lock?.release();
	}
}

async function syncLocked(args: SyncArgs, paths: CliPaths, config: EngineConfig, settings: Settings, token: string | undefined, out: Output, tookOver?: string): Promise<number> {
	const say = (...lines: string[]): void => {
		if (!args.quiet && !args.json) out.say(...lines);
	};
	const link = launcherLink();
	const terminal = link ? link.stderrIsTTY : process.stderr.isTTY;
	const progress = !args.quiet && !args.json && terminal ? new ProgressBar(process.stderr) : undefined;
	// Ctrl-C and SIGTERM end whatever the run waits on (core/cancel.ts).
	const cancellation = new AbortController();
	// Every request and pause under way listens to it (covers run several at once); each lets go when it ends.
	setMaxListeners(0, cancellation.signal);
	const onSignal = (): void => cancellation.abort();
	const stopListening = link ? link.onCancel(onSignal) : listenForSignals(onSignal);
	const signal = cancellation.signal;

	const clock = { now: () => Date.now() };
	const sleep = (ms: number, wake?: AbortSignal): Promise<void> => delay(ms, undefined, { signal: wake }).catch(() => undefined);
	const extras = coverExtrasFor({ http: new NodeHttpBinaryTransport(), store: new FolderCoverStore(paths.vault), clock, sleep, random: Math.random, signal }, config, {
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
			signal,
			onEvent: (event: SyncEvent) => progress?.handle(event),
		},
		config,
	);
	stopListening();
	// A stale lock taken over is worth knowing: a run before this one was killed.
	if (tookOver !== undefined) report.warnings = [tookOver, ...(report.warnings ?? [])];

	if (args.json) {
		// In pieces: the report of a first sync of 50,000 books is 9 MB of JSON.
		for (const piece of jsonPieces(report, '  ')) await out.json(piece);
	} else {
		if (report.dryRun) say(...changeLines(report));
		// A run that failed before any book has nothing to sum up: the failure says it all.
		if (!failedBeforeAnyBook(report)) say(summaryLine(report));
		if (report.failures.length > 0) {
			out.error(`${report.failures.length === 1 ? 'this book' : 'these books'} could not be synced:`, failureLines(report));
		}
	}
	const warnings = report.warnings ?? [];
	if (warnings.length > 0 && !args.json && !args.quiet) {
		const shown = warnings.slice(0, 3).map((warning) => `  ${warning}`);
		if (warnings.length > 3) shown.push(`  ... ${warnings.length - 3} more (--json lists them all)`);
		out.error('warnings:', shown);
	}
	// Once per vault: the plugin's settings say when a device has written it already.
	if (report.firstSync && !settings.libraryViewCreated) {
		try {
			const created = await createLibraryView(new FolderNoteStore(paths.vault), config.folder, config.render);
			if (created.created) say(`Created ${created.path}: a Bases view of your library.`);
		} catch {
			// The view is a nicety; the sync itself succeeded.
		}
	}
	for (const notice of removalNotices(report)) out.error(notice);
	if (report.error) out.error(`${report.error.message}${authHint(report)} The cursor was not advanced; the next run picks up from the same point.`);
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

/** What the user must know or decide about books that left the server, if anything. */
function removalNotices(report: SyncReport): string[] {
	const notices: string[] = [];
	const removals = report.removals;
	if (report.removalsSkipped) {
		const failed = report.removalsSkipped.failed === 1 ? 'a book' : `${formatCount(report.removalsSkipped.failed)} books`;
		notices.push(`Books that left the server were not looked for, because ${failed} failed: that is done only by a full sync in which every book synced. Fix what failed and run --full again.`);
	}
	if (removals?.held === 'too-many') {
		notices.push(`${removals.missing} books are no longer on the server (${quoted(removals.examples)}). That is more than a tenth of your library, so none was marked removed; if the server is right, run again with --full --confirm-removals.`);
	}
	const unreadable = removals?.unreadableCount ?? 0;
	if (unreadable > 0) {
		notices.push(`${formatCount(unreadable)} ${unreadable === 1 ? 'note of a book' : 'notes of books'} no longer on the server could not be marked removed: the properties are not valid YAML (${quoted(removals?.unreadable ?? [])}). Fix them and run --full again.`);
	}
	return notices;
}

/** The first few names, quoted, with `...` when there are more. */
function quoted(names: readonly string[], total = names.length): string {
	return `${names.slice(0, 5).map((name) => `"${name}"`).join(', ')}${total > 5 ? ', ...' : ''}`;
}

/** True when the run stopped before it applied (or failed) a single book. */
function failedBeforeAnyBook(report: SyncReport): boolean {
	return report.error !== undefined && report.books === 0 && report.failures.length === 0 && report.changes.length === 0;
}

/** How to give the command a token, when the server refused the run for the lack of one or a wrong one. */
function authHint(report: SyncReport): string {
	if (report.error?.kind !== 'auth') return '';
	return report.error.tokenMissing
		? ' Give the token with --token <token> or the LIBRARY_SYNC_TOKEN environment variable.'
		: ' Check the token given with --token or LIBRARY_SYNC_TOKEN.';
}

/** An error as one sentence: file errors in the tool's words, the rest by their message. */
function describe(error: unknown): string {
	return describeFileError(error) ?? (error instanceof Error ? error.message : String(error));
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		const file = describeFileError(error);
		new Output(undefined).error(file ?? `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = EXIT_FAILED;
	},
);
