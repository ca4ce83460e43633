import { setTimeout as delay } from 'node:timers/promises';
import { SyncError } from '../core/errors';
import { runSync } from '../core/sync/engine';
import type { SyncEvent } from '../core/sync/events';
import type { SyncReport } from '../core/sync/report';
import { parseCliArgs, USAGE, UsageError, type SyncArgs } from './args';
import { cliEngineConfig, cliPaths, readVaultSettings } from './config';
import { FetchTransport } from './fetch-transport';
import { FolderNoteStore } from './folder-note-store';
import { changeLines, failureLines, summaryLine } from './format';
import { ProgressBar } from './progress';
import { StateFile } from './state-file';

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
			process.stderr.write(`library-sync: ${error.message}\nRun "library-sync --help" for usage.\n`);
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
	return sync(args);
}

async function sync(args: SyncArgs): Promise<number> {
	const say = (line: string): void => {
		if (!args.quiet && !args.json) process.stdout.write(`${line}\n`);
	};
	const token = args.token ?? (process.env.LIBRARY_SYNC_TOKEN || undefined);
	const paths = cliPaths(args.vault);
	let config;
	try {
		const { settings, warnings } = await readVaultSettings(paths);
		for (const warning of warnings) process.stderr.write(`library-sync: ${warning}\n`);
		config = cliEngineConfig(args, settings, token);
	} catch (error) {
		if (error instanceof SyncError) {
			process.stderr.write(`library-sync: ${redact(error.message, token)}\n`);
			return EXIT_USAGE;
		}
		throw error;
	}

	const progress = !args.quiet && !args.json && process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
	let cancelled = false;
	const onSignal = (): void => {
		cancelled = true;
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const report = await runSync(
		{
			http: new FetchTransport(),
			notes: new FolderNoteStore(paths.vault),
			state: new StateFile(paths.stateFile),
			clock: { now: () => Date.now() },
			sleep: (ms) => delay(ms),
			random: Math.random,
			isCancelled: () => cancelled,
			onEvent: (event: SyncEvent) => progress?.handle(event),
		},
		config,
	);
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);

	if (args.json) {
		process.stdout.write(`${redact(JSON.stringify(report, null, 2), token)}\n`);
	} else {
		if (report.dryRun) for (const line of changeLines(report)) say(line);
		say(redact(summaryLine(report), token));
		if (report.failures.length > 0) {
			process.stderr.write(`library-sync: ${report.failures.length === 1 ? 'this book' : 'these books'} could not be synced:\n`);
			process.stderr.write(`${redact(failureLines(report).join('\n'), token)}\n`);
		}
	}
	const held = removalNotice(report);
	if (held) process.stderr.write(`library-sync: ${redact(held, token)}\n`);
	if (report.error) {
		process.stderr.write(`library-sync: ${redact(report.error.message, token)} The cursor was not advanced; the next run picks up from the same point.\n`);
	}
	return report.ok ? EXIT_OK : EXIT_FAILED;
}

/** What the user must decide about books that left the server, if anything. */
function removalNotice(report: SyncReport): string | undefined {
	const removals = report.removals;
	if (removals?.held !== 'too-many') return undefined;
	const examples = removals.examples.slice(0, 5).map((name) => `"${name}"`).join(', ');
	return `${removals.missing} books are no longer on the server (${examples}${removals.missing > 5 ? ', ...' : ''}). That is more than a tenth of your library, so none was marked removed; if the server is right, run again with --full --confirm-removals.`;
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
