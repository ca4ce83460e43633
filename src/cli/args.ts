import { parseArgs } from 'node:util';
import { validTimeZone } from '../core/settings/load';

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
	configDir: string;
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
	configDir: string;
	folder?: string;
}

export interface InitArgs {
	command: 'init';
	vault: string;
	configDir: string;
	server: string;
	folder?: string;
	timeZone?: string;
	authHeader?: string;
}

export type CliArgs = SyncArgs | ViewArgs | InitArgs | { command: 'help' } | { command: 'version' };

/** Obsidian's default configuration folder (Settings → Files and links → Override config folder changes it). */
export const DEFAULT_CONFIG_DIR = '.obsidian';

export const USAGE = `Usage: library-sync sync --server <base-url> --vault <dir> [options]
       library-sync view --vault <dir> [--folder <path>]
       library-sync init --vault <dir> --server <base-url> [--folder <path>]

Mirror a self-hosted book library into a folder of Markdown notes (an
Obsidian vault or any folder): one note per book, metadata and reading
progress as properties, your own notes kept.

Options:
  --server <url>        Base URL of the library server (may carry a path prefix).
                        Defaults to the server URL in the plugin's settings.
  --vault <dir>         The vault's root folder; it must exist. Required.
  --config-dir <name>   The vault's configuration folder (default: .obsidian),
                        where the plugin's settings and the CLI's state live.
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

"init" writes the plugin's settings file for a vault that has none, with the
server (and --folder, --time-zone, --auth-header if given) and every other
setting at its default; edit it, or open the vault in Obsidian, to change
more. It never overwrites a settings file.

"view" writes Library.base (an Obsidian Bases view of the books: cards with
covers, a table, currently reading, finished this year) into the library
folder, unless one is there already. The first sync does it too.

Settings in <vault>/<config-dir>/plugins/library-sync/data.json apply unless
a flag overrides them. State (the cursor) is kept in that folder too.

Exit codes: 0 synced, 1 the sync failed (nothing lost; the next run retries),
2 the command line was wrong.`;

/** Every option: its type, and for those that take one, what the value is (for messages). */
const OPTIONS = {
	server: { type: 'string', value: 'the server\'s base URL' },
	vault: { type: 'string', value: 'the vault\'s folder' },
	'config-dir': { type: 'string', value: 'the name of the vault\'s configuration folder' },
	folder: { type: 'string', value: 'a folder inside the vault' },
	token: { type: 'string', value: 'the API token' },
	'auth-header': { type: 'string', value: 'a header name' },
	full: { type: 'boolean' },
	limit: { type: 'string', value: 'a whole number from 1 to 100' },
	'time-zone': { type: 'string', value: 'an IANA time zone such as Europe/Berlin' },
	template: { type: 'string', value: 'a file name template such as {{title}}' },
	timeout: { type: 'string', value: 'a number of seconds from 1 to 600' },
	'dry-run': { type: 'boolean' },
	'confirm-removals': { type: 'boolean' },
	'no-covers': { type: 'boolean' },
	json: { type: 'boolean' },
	quiet: { type: 'boolean' },
	help: { type: 'boolean', short: 'h' },
	version: { type: 'boolean' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string; value?: string }>;

type OptionName = keyof typeof OPTIONS;
const COMMANDS = ['sync', 'view', 'init'] as const;
/** What each command accepts besides --help. */
const ACCEPTS: Record<(typeof COMMANDS)[number], readonly OptionName[]> = {
	sync: ['server', 'vault', 'config-dir', 'folder', 'token', 'auth-header', 'full', 'limit', 'time-zone', 'template', 'timeout', 'dry-run', 'confirm-removals', 'no-covers', 'json', 'quiet'],
	view: ['vault', 'config-dir', 'folder'],
	init: ['vault', 'config-dir', 'server', 'folder', 'time-zone', 'auth-header'],
};

function isOption(name: string): name is OptionName {
	return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

/** Parses the command line; throws UsageError with one sentence that says what to fix. */
export function parseCliArgs(argv: string[]): CliArgs {
	// Not strict: Node's own messages for a bad command line are not ours, so every token is checked here.
	const { values, positionals, tokens } = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
	for (const token of tokens) {
		if (token.kind !== 'option') continue;
		if (!isOption(token.name)) throw new UsageError(`There is no option ${token.rawName}.`);
		const option: { type: 'string' | 'boolean'; value?: string } = OPTIONS[token.name];
		if (option.type === 'boolean') {
			if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value; leave out "=${token.value ?? ''}".`);
			continue;
		}
		if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value: ${option.value ?? 'text'}.`);
		if (!token.inlineValue && token.value.startsWith('--')) {
			throw new UsageError(`${token.rawName} needs a value (${option.value ?? 'text'}), but is followed by the option ${token.value}.`);
		}
	}
	const flags = values as Partial<Record<OptionName, string | boolean>>;
	const text = (name: OptionName): string | undefined => {
		const value = flags[name];
		return typeof value === 'string' ? value : undefined;
	};
	const checked = <T>(name: OptionName, check: (value: string) => T): T | undefined => {
		const value = text(name);
		return value === undefined ? undefined : check(value);
	};
	if (flags.version === true) return { command: 'version' };
	const command = positionals[0];
	if (flags.help === true || command === undefined || command === 'help') return { command: 'help' };
	if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command "${command}". The commands are "sync", "view" and "init".`);
	const name = command as (typeof COMMANDS)[number];
	if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}"; values follow their option, as in --vault <dir>.`);
	for (const token of tokens) {
		if (token.kind === 'option' && isOption(token.name) && token.name !== 'help' && !ACCEPTS[name].includes(token.name)) {
			throw new UsageError(`${token.rawName} does not apply to "${name}".`);
		}
	}
	const vault = text('vault');
	if (vault === undefined || vault.trim() === '') throw new UsageError(`Say which vault to ${name === 'sync' ? 'sync into' : 'use'}: --vault <dir>.`);
	const configDir = configDirOf(text('config-dir'));
	const folder = checked('folder', libraryFolder);
	const timeZone = checked('time-zone', timeZoneOf);
	if (name === 'view') return { command: 'view', vault, configDir, folder };
	if (name === 'init') {
		const server = text('server');
		if (server === undefined || server.trim() === '') throw new UsageError('Say which library server the vault syncs from: --server <base-url>.');
		return { command: 'init', vault, configDir, server, folder, timeZone, authHeader: text('auth-header') };
	}
	if (flags['confirm-removals'] === true && flags.full !== true) {
		throw new UsageError('--confirm-removals only applies to a full sync; add --full.');
	}
	return {
		command: 'sync',
		server: text('server'),
		vault,
		configDir,
		folder,
		token: text('token'),
		authHeader: text('auth-header'),
		full: flags.full === true,
		limit: checked('limit', (value) => integerIn(value, '--limit', 1, 100)),
		timeZone,
		template: text('template'),
		timeoutSeconds: checked('timeout', (value) => integerIn(value, '--timeout', 1, 600)),
		dryRun: flags['dry-run'] === true,
		confirmRemovals: flags['confirm-removals'] === true,
		noCovers: flags['no-covers'] === true,
		json: flags.json === true,
		quiet: flags.quiet === true,
	};
}

function integerIn(text: string, flag: string, min: number, max: number): number {
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
		throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${text}".`);
	}
	return value;
}

/** True for a path that names a place from the root of a drive or share, on any platform. */
function isAbsolute(path: string): boolean {
	return /^[\\/]/.test(path) || /^[a-zA-Z]:/.test(path);
}

/** --folder: a folder inside the vault, as the plugin's setting is; never absolute, never climbing out. */
function libraryFolder(folder: string): string {
	if (isAbsolute(folder.trim())) {
		throw new UsageError(`--folder is a folder inside the vault, such as Books; "${folder}" is an absolute path.`);
	}
	if (folder.split(/[\\/]/).some((segment) => segment.trim() === '..')) {
		throw new UsageError(`--folder must stay inside the vault; "${folder}" climbs out of it with "..".`);
	}
	return folder;
}

/** --config-dir: one folder name at the vault's root, as Obsidian allows it. */
function configDirOf(value: string | undefined): string {
	if (value === undefined) return DEFAULT_CONFIG_DIR;
	const name = value.trim();
	if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
		throw new UsageError(`--config-dir is the name of a folder at the vault's root, such as ${DEFAULT_CONFIG_DIR}, not "${value}".`);
	}
	return name;
}

function timeZoneOf(value: string): string {
	const zone = validTimeZone(value);
	if (zone === undefined) throw new UsageError(`--time-zone takes an IANA time zone such as Europe/Berlin or UTC; "${value}" is not one.`);
	return zone;
}
