/**
 * Downloads book covers into `<library folder>/covers/`, safely and only when
 * they changed.
 *
 * When is a cover downloaded again? The index (see cover-index.ts) remembers
 * per book the extension of its cover file and a fingerprint of the resolved
 * URL it came from. A cover is fetched when the book has no entry, when its
 * cover URL (resolved against the base URL) changed, or when the file is gone
 * (the user deleted it to force a fresh copy). A server that replaces an
 * image behind the same URL is not noticed: that costs no request per book
 * and per sync, and deleting the file fixes it.
 *
 * Safety: the path comes from the book id only (cover-policy.ts); the token
 * goes only to the server's origin; other origins are fetched only when
 * allowed and never when local or private; redirects are followed here, hop
 * by hop, under the same rules; the body is capped (`maxBytes`), must be
 * declared JPEG, PNG, WebP or GIF and must really be one of them (magic
 * bytes; the extension follows the bytes). A failed or refused cover is a
 * value, never an exception: the book is synced all the same and its
 * `cover` property keeps the URL.
 */
import { isCancellation, throwIfCancelled, unlessCancelled } from '../cancel';
import { SyncError, isSyncError } from '../errors';
import { buildRequestHeaders } from '../api/client';
import { MAX_COVER_BYTES, tooLargeError } from '../api/limits';
import { backoffDelay, isRetryable, parseRetryAfter, type RetryPolicy } from '../api/retry';
import type { BookRecord } from '../api/record';
import type { Clock, Random, Sleep } from '../ports';
import { coverFileStem, coversFolderOf, decideCover, decideRedirect, isInsideCoversFolder } from './cover-policy';
import { COVER_ACCEPT, declaredImageType, looksLikeMarkup, sniffImageType, type ImageExtension } from './image-type';
import type { BinaryResponse, BinaryTransport, CoverIndex, CoverStore } from './ports';
import { shortHash } from './short-hash';

/** The cap shared by both shells (src/core/api/limits.ts). */
export const DEFAULT_COVER_MAX_BYTES = MAX_COVER_BYTES;

/** Per request (each redirect hop and retry has its own). */
export const DEFAULT_COVER_TIMEOUT_MS = 30_000;

/** One retry after a short pause: a cover is not worth a long wait, and the next sync tries again. */
export const DEFAULT_COVER_RETRY: Readonly<RetryPolicy> = Object.freeze({
	maxAttempts: 2,
	baseDelayMs: 1_000,
	maxDelayMs: 5_000,
	maxRetryAfterMs: 10_000,
});

/** Index changes written together; `flush()` writes the rest. */
const DEFAULT_FLUSH_EVERY = 25;

const MAX_REDIRECTS = 3;

/** The ports a CoverFetcher uses. */
export interface CoverFetcherDeps {
	http: BinaryTransport;
	store: CoverStore;
	clock: Clock;
	/** Without it, failed requests are not retried. */
	sleep?: Sleep;
	/** Jitter for the retry pause; a fixed midpoint when absent. */
	random?: Random;
	/** The run's cancellation: a download or a pause under way ends at once, and `ensure` rejects. */
	signal?: AbortSignal;
}

/** What a CoverFetcher needs to know; built from the settings once per run. */
export interface CoverFetcherConfig {
	/** The server URL (as in the settings; normalised here). */
	baseUrl: string;
	/** Sent only to the server's own origin. */
	token?: string;
	/** As for the feed: "Authorization" sends `Bearer <token>`, any other name the bare token. */
	authHeader: string;
	/** The library folder (vault-relative); covers go to `<folder>/covers/`. */
	folder: string;
	/** Fetch covers on other origins (never with the token, never local or private hosts). */
	allowOtherOrigins: boolean;
	/** Defaults to DEFAULT_COVER_MAX_BYTES. */
	maxBytes?: number;
	/** Defaults to DEFAULT_COVER_TIMEOUT_MS. */
	timeoutMs?: number;
	/** Defaults to DEFAULT_COVER_RETRY. */
	retry?: RetryPolicy;
	/** Write the index after this many changes; defaults to 25. */
	flushEvery?: number;
	/**
	 * A dry run: fetch what a real run would fetch (so the notes are rendered
	 * with the links the real run would give them), but write no cover and
	 * no index.
	 */
	dryRun?: boolean;
}

/**
 * What `ensure` did:
 * - `none`: the book has no cover URL (no path, no error);
 * - `unchanged`: the cover on disk is current (path);
 * - `downloaded`: written just now (path);
 * - `refused`: the rules forbid fetching it (error says why);
 * - `failed`: the download or the write failed (error says why).
 */
export type CoverStatus = 'none' | 'unchanged' | 'downloaded' | 'refused' | 'failed';

/** The outcome of `ensure` for one book: the engine writes `path` as a link, else keeps the URL. */
export interface CoverResult {
	status: CoverStatus;
	/** Vault path of the cover file, when there is a current one. */
	path?: string;
	/** One sentence for the report; names a host at most, never a path, query or the token. */
	error?: string;
}

interface IndexEntry {
	ext: ImageExtension;
	fingerprint: string;
}

const ENTRY = /^(jpg|png|webp|gif):([0-9a-f]{16})$/;

/**
 * Keeps each book's cover in the covers folder. One instance per sync run:
 * it reads the index once, and `flush()` must be awaited at the end of the
 * run (also after a failed or cancelled run) to save what changed.
 */
export class CoverFetcher {
	private readonly coversFolder: string;
	private readonly tokenHeaders: Record<string, string>;
	private readonly plainHeaders: Record<string, string> = { Accept: COVER_ACCEPT };
	private readonly maxBytes: number;
	private readonly timeoutMs: number;
	private readonly retry: RetryPolicy;
	private readonly flushEvery: number;
	private readonly secret: string;
	private index: Promise<Map<string, IndexEntry>> | undefined;
	private pendingChanges = 0;
	private flushing: Promise<void> = Promise.resolve();

	/**
	 * Throws SyncError 'config' for a library folder with `..`, or a token or
	 * auth header that cannot be sent (the feed would fail the same way).
	 */
	constructor(
		private readonly deps: CoverFetcherDeps,
		private readonly config: CoverFetcherConfig,
	) {
		this.coversFolder = coversFolderOf(config.folder);
		this.tokenHeaders = { ...buildRequestHeaders(config), Accept: COVER_ACCEPT };
		this.maxBytes = positive(config.maxBytes, DEFAULT_COVER_MAX_BYTES);
		this.timeoutMs = positive(config.timeoutMs, DEFAULT_COVER_TIMEOUT_MS);
		this.retry = config.retry ?? DEFAULT_COVER_RETRY;
		this.flushEvery = positive(config.flushEvery, DEFAULT_FLUSH_EVERY);
		this.secret = (config.token?.trim() ?? '').replace(/^bearer\s+/i, '');
	}

	/** The vault folder covers are written to (`<folder>/covers`). */
	get folder(): string {
		return this.coversFolder;
	}

	/**
	 * Makes sure the book's current cover is in the covers folder and returns
	 * its vault path, or why there is none. Rejects only when the run is
	 * cancelled (SyncError 'cancelled').
	 */
	async ensure(record: BookRecord): Promise<CoverResult> {
		try {
			return await this.ensureOrThrow(record);
		} catch (error) {
			if (isCancellation(error)) throw error;
			return { status: 'failed', error: this.redact(describe(error, 'The cover could not be saved')) };
		}
	}

	/**
	 * Writes the index if anything changed since it was last written. Rejects
	 * with SyncError 'io' when the store cannot write it (the covers are on
	 * disk all the same; the next run downloads them again).
	 */
	flush(): Promise<void> {
		const run = this.flushing.then(() => this.writeIndex());
		this.flushing = run.catch(() => undefined);
		return run;
	}

	private async ensureOrThrow(record: BookRecord): Promise<CoverResult> {
		const index = await this.loadIndex();
		const coverUrl = record.coverUrl?.trim() ?? '';
		if (coverUrl === '') {
			// Forget the old cover (the file stays): if one comes back, it is fetched afresh.
			if (index.delete(record.id)) this.changed();
			return { status: 'none' };
		}
		const decision = decideCover(coverUrl, this.config.baseUrl, this.config.allowOtherOrigins);
		if (decision.kind === 'refused') return { status: 'refused', error: decision.reason };

		const fingerprint = shortHash(decision.url);
		const known = index.get(record.id);
		if (known !== undefined && known.fingerprint === fingerprint) {
			const path = this.pathOf(record.id, known.ext);
			if (await this.deps.store.exists(path)) return { status: 'unchanged', path };
		}

		const download = await this.download(decision.url, decision.withToken);
		if ('status' in download) return download;
		const path = this.pathOf(record.id, download.ext);
		if (!isInsideCoversFolder(path, this.coversFolder)) {
			// Cannot happen with coverFileStem; checked because this is the one promise that must hold.
			return { status: 'failed', error: 'The cover was not saved: its path would leave the covers folder.' };
		}
		if (this.config.dryRun === true) return { status: 'downloaded', path };
		await this.deps.store.writeBinary(path, download.bytes);
		index.set(record.id, { ext: download.ext, fingerprint });
		this.changed();
		return { status: 'downloaded', path };
	}

	private pathOf(id: string, ext: ImageExtension): string {
		return `${this.coversFolder}/${coverFileStem(id)}.${ext}`;
	}

	/** Follows redirects itself, deciding origin, privacy and the token again for every hop. */
	private async download(firstUrl: string, firstWithToken: boolean): Promise<{ ext: ImageExtension; bytes: Uint8Array } | CoverResult> {
		let url = firstUrl;
		let withToken = firstWithToken;
		for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
			const host = hostOf(url);
			let response: BinaryResponse;
			try {
				response = await this.getWithRetry(url, withToken);
			} catch (error) {
				if (isCancellation(error)) throw error;
				return { status: 'failed', error: this.redact(describe(error, `The cover at ${host} could not be downloaded`)) };
			}
			const status = response.status;
			const location = header(response, 'location');
			if (status >= 300 && status <= 399 && location !== undefined) {
				const next = decideRedirect(location, url, this.config.baseUrl, this.config.allowOtherOrigins);
				if (next.kind === 'refused') return { status: 'refused', error: `The cover at ${host} redirects elsewhere: ${lowerFirst(next.reason)}` };
				url = next.url;
				withToken = next.withToken;
				continue;
			}
			if (status < 200 || status > 299) {
				return { status: 'failed', error: `The cover at ${host} could not be downloaded (HTTP ${status}).` };
			}
			return this.verify(response, url, host);
		}
		return { status: 'failed', error: `The cover at ${hostOf(firstUrl)} was redirected more than ${MAX_REDIRECTS} times.` };
	}

	private verify(response: BinaryResponse, url: string, host: string): { ext: ImageExtension; bytes: Uint8Array } | CoverResult {
		const bytes = response.bytes;
		// The transport caps the body already; checked again because a transport may not.
		if (bytes.length > this.maxBytes) return { status: 'failed', error: tooLargeError('cover', url, this.maxBytes).message };
		const contentType = header(response, 'content-type');
		if (declaredImageType(contentType) === undefined) {
			const what = contentType === undefined ? 'no content type' : `content type ${safeMediaType(contentType)}`;
			return { status: 'failed', error: `The cover at ${host} is not a JPEG, PNG, WebP or GIF image (${what}).` };
		}
		const ext = sniffImageType(bytes);
		if (ext === undefined) {
			const what = looksLikeMarkup(bytes) ? 'it is markup such as SVG or HTML' : bytes.length === 0 ? 'it is empty' : 'its content is not an image';
			return { status: 'failed', error: `The cover at ${host} was refused: ${what}.` };
		}
		// A server that labels a PNG as JPEG is harmless: the file is named after what it really is.
		return { ext, bytes };
	}

	private async getWithRetry(url: string, withToken: boolean): Promise<BinaryResponse> {
		const maxAttempts = this.deps.sleep === undefined ? 1 : Math.max(1, Math.floor(this.retry.maxAttempts));
		const headers = withToken ? this.tokenHeaders : this.plainHeaders;
		const signal = this.deps.signal;
		for (let attempt = 1; ; attempt++) {
			throwIfCancelled(signal);
			let error: SyncError;
			try {
				const response = await unlessCancelled(this.deps.http.getBytes({ url, headers: { ...headers }, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes, signal }), signal);
				if (!isRetryableStatus(response.status)) return response;
				if (attempt >= maxAttempts) return response;
				const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), this.deps.clock.now(), this.retry.maxRetryAfterMs);
				error = new SyncError('http', `HTTP ${response.status}`, { status: response.status, retryAfterMs });
			} catch (caught) {
				error = isSyncError(caught) ? caught : new SyncError('network', 'The cover could not be fetched.', { cause: caught });
				if (!isRetryable(error) || attempt >= maxAttempts) throw error;
			}
			const sleep = this.deps.sleep;
			if (sleep === undefined) throw error;
			await unlessCancelled(sleep(backoffDelay(attempt, this.retry, this.deps.random ?? (() => 0.5), error.retryAfterMs), signal), signal);
		}
	}

	private loadIndex(): Promise<Map<string, IndexEntry>> {
		this.index ??= this.deps.store.readIndex(this.coversFolder).then(
			(raw) => toEntries(raw),
			() => new Map<string, IndexEntry>(),
		);
		return this.index;
	}

	private changed(): void {
		this.pendingChanges++;
		if (this.pendingChanges >= this.flushEvery) {
			// A failed intermediate write is retried by the next one or by flush().
			this.flush().catch(() => undefined);
		}
	}

	private async writeIndex(): Promise<void> {
		if (this.pendingChanges === 0 || this.index === undefined || this.config.dryRun === true) return;
		const entries = await this.index;
		const changes = this.pendingChanges;
		this.pendingChanges = 0;
		const raw: CoverIndex = Object.create(null) as CoverIndex;
		for (const [id, entry] of entries) raw[id] = `${entry.ext}:${entry.fingerprint}`;
		try {
			await this.deps.store.writeIndex(this.coversFolder, raw);
		} catch (error) {
			this.pendingChanges += changes;
			throw isSyncError(error) ? error : new SyncError('io', 'The cover index could not be saved.', { cause: error });
		}
	}

	private redact(message: string): string {
		return this.secret.length >= 4 ? message.split(this.secret).join('[token]') : message;
	}
}

function toEntries(raw: CoverIndex): Map<string, IndexEntry> {
	const entries = new Map<string, IndexEntry>();
	for (const id of Object.keys(raw)) {
		const match = ENTRY.exec(raw[id] ?? '');
		if (match) entries.set(id, { ext: match[1] as ImageExtension, fingerprint: match[2] as string });
	}
	return entries;
}

function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

function header(response: BinaryResponse, name: string): string | undefined {
	for (const [key, value] of Object.entries(response.headers)) {
		if (key.toLowerCase() === name) return value;
	}
	return undefined;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the server';
	}
}

/** The media type alone, only if it looks like one: a header value is server data. */
function safeMediaType(contentType: string): string {
	const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
	return /^[a-z0-9.+-]{1,40}\/[a-z0-9.+-]{1,60}$/.test(type) ? type : 'unknown';
}

function describe(error: unknown, context: string): string {
	if (isSyncError(error)) return error.message;
	return `${context}.`;
}

function lowerFirst(text: string): string {
	return text.charAt(0).toLowerCase() + text.slice(1);
}

function positive(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
