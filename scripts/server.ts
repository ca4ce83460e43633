/**
 * `npm run server`: the reference library server on 127.0.0.1, for trying the
 * plugin or the CLI by hand. Serves the sample library (or a synthetic one),
 * optionally behind a token, and takes a few commands on standard input to
 * change the library while a client watches.
 */
import process from 'node:process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Fault } from '../tests/server/faults';
import type { RawBook } from '../tests/server/raw-book';
import { startReferenceServer, SYNC_PATH, type ReferenceServer } from '../tests/server/reference-server';
import { sampleLibrary } from '../tests/server/sample-library';
import { syntheticLibrary } from '../tests/server/synthetic';

const USAGE = `Usage: npm run server -- [options]

Starts the Library Sync reference server on 127.0.0.1.

Options:
  --port <n>        Port to listen on (default 8787; 0 picks a free one).
  --books <n>       Serve a synthetic library of n books instead of the sample library.
  --seed <n>        Seed for --books (default 1).
  --token <t>       Require this API token (Authorization: Bearer <t>).
                    Defaults to the LIBRARY_SYNC_TOKEN environment variable.
  --auth-header <h> Header carrying the token (default Authorization).
  --prefix </path>  Serve under a path prefix, such as /library.
  --ignore-limit <n>  Serve n books per page whatever the client asks.
  -h, --help        Show this help.`;

const COMMANDS = `Commands (type and press Enter):
  touch [n]               bump reading progress on n books (default 1)
  retitle <id> <title>    rename a book (it moves in the sort order)
  add [title]             add a new book
  remove <id>             remove a book
  fault <kind> [arg]      next request fails: status <code> | html | truncate | delay <ms> | reset | bom | redirect <url>
  stats                   books and requests so far
  help                    this list
  quit                    stop the server (or Ctrl-C)`;

interface Options {
	port: number;
	books?: number;
	seed: number;
	token?: string;
	authHeader?: string;
	prefix?: string;
	ignoreLimit?: number;
}

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
	if (text === undefined) return undefined;
	if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) fail(`--${name} takes a whole number from ${min} to ${max}, not "${text}".`);
	return Number(text);
}

function parseOptions(argv: string[]): Options {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			strict: true,
			options: {
				port: { type: 'string' },
				books: { type: 'string' },
				seed: { type: 'string' },
				token: { type: 'string' },
				'auth-header': { type: 'string' },
				prefix: { type: 'string' },
				'ignore-limit': { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
		}));
	} catch (error) {
		fail(error instanceof Error ? error.message : String(error));
	}
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		process.exit(0);
	}
	const token = values.token ?? process.env.LIBRARY_SYNC_TOKEN;
	return {
		port: integer('port', values.port, 0, 65_535) ?? 8787,
		books: integer('books', values.books, 0, 1_000_000),
		seed: integer('seed', values.seed, 0, 2 ** 31) ?? 1,
		token: token === '' ? undefined : token,
		authHeader: values['auth-header'],
		prefix: values.prefix,
		ignoreLimit: integer('ignore-limit', values['ignore-limit'], 1, 1000),
	};
}

function describeStart(server: ReferenceServer, options: Options, count: number): string {
	const library = options.books === undefined ? 'the sample library' : `a synthetic library (seed ${options.seed})`;
	const auth = options.token === undefined
		? 'No token required.'
		: `Token required in ${options.authHeader ?? 'Authorization: Bearer <token>'} (the one from --token or LIBRARY_SYNC_TOKEN).`;
	return [
		`Library Sync reference server: ${count} books from ${library}.`,
		'',
		`  Base URL   ${server.url}`,
		`  Feed       ${server.url}${SYNC_PATH}?page=1&limit=20`,
		`  ${auth}`,
		'',
		'Point a client at it:',
		`  Obsidian   Settings → Library Sync → Server URL: ${server.url}`,
		`  CLI        npm run build && ${options.token === undefined ? '' : 'LIBRARY_SYNC_TOKEN=<token> '}node dist/cli.js sync --server ${server.url} --vault ./my-vault`,
		`  curl       curl -s '${server.url}${SYNC_PATH}?limit=2'${options.token === undefined ? '' : " -H 'Authorization: Bearer <token>'"}`,
		'',
		process.stdin.isTTY ? 'Type "help" for commands that change the library. Ctrl-C stops.' : 'Ctrl-C stops.',
		'',
	].join('\n');
}

function parseFault(words: string[]): Fault | string {
	const [kind, arg] = words;
	switch (kind) {
		case 'status': return arg !== undefined && /^\d{3}$/.test(arg) ? { kind, status: Number(arg), retryAfter: arg === '429' ? '2' : undefined } : 'fault status <code>, e.g. fault status 503';
		case 'delay': return arg !== undefined && /^\d+$/.test(arg) ? { kind, ms: Number(arg) } : 'fault delay <ms>';
		case 'redirect': return arg !== undefined ? { kind, location: arg } : 'fault redirect <url>';
		case 'html':
		case 'truncate':
		case 'reset':
		case 'bom': return { kind };
		default: return `unknown fault "${kind ?? ''}"`;
	}
}

/** Runs one interactive command; returns a line to print. */
function runCommand(server: ReferenceServer, line: string, counter: { next: number }): string {
	const [command, ...rest] = line.trim().split(/\s+/);
	const books = server.books();
	switch (command) {
		case undefined:
		case '': return '';
		case 'help': return COMMANDS;
		case 'stats': return `${books.length} books, ${server.requests.length} requests served.`;
		case 'touch': {
			const n = Math.max(1, Number(rest[0] ?? 1) || 1);
			const touched: string[] = [];
			for (let k = 0; k < n && books.length > 0; k++) {
				const target = books[(counter.next++ * 7919) % books.length] as RawBook;
				const percentage = Math.min(100, Math.round(Math.random() * 100));
				server.mutate.setProgress(target.id, {
					percentage,
					status: percentage === 100 ? 'finished' : 'reading',
					lastDevice: 'Reference server console',
					lastTimestamp: Date.now(),
				});
				touched.push(`${target.id} → ${percentage}%`);
			}
			return `Progress changed: ${touched.join(', ')}`;
		}
		case 'retitle': {
			const [id, ...title] = rest;
			if (id === undefined || title.length === 0) return 'retitle <id> <new title>';
			server.mutate.retitle(id, title.join(' '));
			return `Retitled ${id}.`;
		}
		case 'add': {
			const id = `bk_new_${String(counter.next++).padStart(4, '0')}`;
			server.mutate.add({ id, status: 'approved', title: rest.join(' ') || `New Book ${id}`, author: 'Console', createdAt: new Date().toISOString(), progress: null, files: [] });
			return `Added ${id}.`;
		}
		case 'remove': {
			if (rest[0] === undefined) return 'remove <id>';
			server.mutate.remove(rest[0]);
			return `Removed ${rest[0]} (a full sync will notice).`;
		}
		case 'fault': {
			const fault = parseFault(rest);
			if (typeof fault === 'string') return fault;
			server.faults.push(fault);
			return `The next request gets: ${fault.kind}.`;
		}
		default: return `Unknown command "${command}". Type "help".`;
	}
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const books = options.books === undefined ? sampleLibrary() : syntheticLibrary(options.books, options.seed);
	let server: ReferenceServer;
	try {
		server = await startReferenceServer({
			books,
			port: options.port,
			token: options.token,
			authHeader: options.authHeader,
			pathPrefix: options.prefix,
			ignoreLimit: options.ignoreLimit,
		});
	} catch (error) {
		const code = (error as { code?: string }).code;
		const reason = code === 'EADDRINUSE' ? `port ${options.port} is in use (try --port 0 for a free one)` : error instanceof Error ? error.message : String(error);
		process.stderr.write(`Could not start the server: ${reason}.\n`);
		process.exit(1);
	}
	process.stdout.write(describeStart(server, options, books.length));

	let stopping = false;
	const stop = (): void => {
		if (stopping) process.exit(1);
		stopping = true;
		process.stdout.write('\nStopping...\n');
		void server.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	if (process.stdin.isTTY) {
		const counter = { next: 1 };
		const lines = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
		lines.prompt();
		lines.on('line', (line) => {
			if (line.trim() === 'quit' || line.trim() === 'exit') return stop();
			try {
				const reply = runCommand(server, line, counter);
				if (reply !== '') process.stdout.write(`${reply}\n`);
			} catch (error) {
				process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
			}
			lines.prompt();
		});
		lines.on('SIGINT', stop);
		lines.on('close', stop);
	}
}

void main();
