import { parseArgs } from 'node:util';

/** A mistake in how the tool was called: exit code 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

export interface SyncArgs {
	command: 'sync';
	server?: string;
	vault: string;
	folder?: string;
	token?: string;
	full: boolean;
	limit?: number;
	dryRun: boolean;
	confirmRemovals: boolean;
	noCovers: boolean;
	json: boolean;
	quiet: boolean;
	timeZone?: string;
	template?: string;
	authHeader?: string;
	timeoutSeconds?: number;
}

export interface ViewArgs {
	command: 'view';
	vault: string;
	folder?: string;
}

export type CliArgs = SyncArgs | ViewArgs | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage: library-sync sync --server <base-url> --vault <dir> [options]
       library-sync view --vault <dir> [--folder <path>]

Mirror a self-hosted book library into a folder of Markdown notes (an
Obsidian vault or any folder): one note per book, metadata and reading
progress as properties, your own notes kept.

Options:
  --server <url>        Base URL of the library server (may carry a path prefix).
                        Defaults to the server URL in the plugin's settings.
  --vault <dir>         The vault's root folder. Required.
  --folder <path>       Library folder inside the vault (default: Books, or the
                        plugin's setting).
  --token <token>       API token. Prefer the LIBRARY_SYNC_TOKEN environment
                        variable: flags show up in process lists.
  --auth-header <name>  Header that carries the token (default: Authorization,
                        sent as "Bearer <token>").
  --full                Walk the whole library instead of the changes since the
                        last sync.
  --limit <n>           Books per page, 1 to 100 (default 100).
  --time-zone <zone>    IANA time zone for dates in notes (default: the plugin's
                        setting, else UTC).
  --template <text>     File name template (default: {{title}}).
  --timeout <seconds>   Give up on a request after this long (default 30).
  --dry-run             Show what would change; write nothing.
  --no-covers           Do not download covers (the cover property keeps the
                        address).
  --confirm-removals    With --full: mark books that left the server as removed
                        even when they are more than a tenth of the library.
  --json                Print the report as JSON on standard output.
  --quiet               Print nothing but errors.
  -h, --help            Show this help.
  --version             Show the version.

"view" writes Library.base (an Obsidian Bases view of the books: cards with
covers, a table, currently reading, finished this year) into the library
folder, unless one is there already. The first sync does it too.

Settings in <vault>/.obsidian/plugins/library-sync/data.json apply unless a
flag overrides them. State (the cursor) is kept in that folder too.

Exit codes: 0 synced, 1 the sync failed (nothing lost; the next run retries),
2 the command line was wrong.`;

/** Parses the command line; throws UsageError with a sentence that says what to fix. */
export function parseCliArgs(argv: string[]): CliArgs {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				server: { type: 'string' },
				vault: { type: 'string' },
				folder: { type: 'string' },
				token: { type: 'string' },
				'auth-header': { type: 'string' },
				full: { type: 'boolean', default: false },
				limit: { type: 'string' },
				'time-zone': { type: 'string' },
				template: { type: 'string' },
				timeout: { type: 'string' },
				'dry-run': { type: 'boolean', default: false },
				'confirm-removals': { type: 'boolean', default: false },
				'no-covers': { type: 'boolean', default: false },
				json: { type: 'boolean', default: false },
				quiet: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false },
				version: { type: 'boolean', default: false },
			},
		});
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message.split('\n')[0] ?? 'Invalid arguments.' : 'Invalid arguments.');
	}
	const { values, positionals } = parsed;
	if (values.version) return { command: 'version' };
	const command = positionals[0];
	if (values.help || command === undefined || command === 'help') return { command: 'help' };
	if (command !== 'sync' && command !== 'view') throw new UsageError(`Unknown command "${command}". The commands are "sync" and "view".`);
	if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
	if (!values.vault) throw new UsageError(`Say which vault to ${command === 'view' ? 'use' : 'sync into'}: --vault <dir>.`);
	if (command === 'view') return { command: 'view', vault: values.vault, folder: values.folder };
	return {
		command: 'sync',
		server: values.server,
		vault: values.vault,
		folder: values.folder,
		token: values.token,
		authHeader: values['auth-header'],
		full: values.full,
		limit: values.limit === undefined ? undefined : integerIn(values.limit, '--limit', 1, 100),
		timeZone: values['time-zone'],
		template: values.template,
		timeoutSeconds: values.timeout === undefined ? undefined : integerIn(values.timeout, '--timeout', 1, 600),
		dryRun: values['dry-run'],
		confirmRemovals: values['confirm-removals'],
		noCovers: values['no-covers'],
		json: values.json,
		quiet: values.quiet,
	};
}

function integerIn(text: string, flag: string, min: number, max: number): number {
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
		throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${text}".`);
	}
	return value;
}
