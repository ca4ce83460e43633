import type { BookRecord } from '../api/record';
import { CoverFetcher, type CoverFetcherDeps } from '../covers/cover-fetcher';
import type { ExtraContext } from './apply-book';
import type { BookExtras, EngineConfig } from './engine';
import { normaliseFolder } from '../vault-path';

/** Cover problems reported per run, at most; the rest are counted. */
const MAX_WARNINGS = 50;

/**
 * Downloaded covers as per-book extras: the note's `cover` links to the
 * image in the vault once it is there, and keeps the URL when it is not.
 * A cover that cannot be had never fails its book; it becomes a warning.
 */
export class CoverExtras implements BookExtras {
	readonly warnings: string[] = [];
	private skippedWarnings = 0;
	private notDownloaded = 0;

	constructor(private readonly fetcher: CoverFetcher) {}

	async extrasFor(record: BookRecord): Promise<ExtraContext> {
		if (record.coverUrl === undefined) return {};
		const result = await this.fetcher.ensure(record);
		if (result.status === 'failed' || result.status === 'refused') this.notDownloaded += 1;
		if (result.error !== undefined && (result.status === 'failed' || result.status === 'refused')) {
			if (this.warnings.length < MAX_WARNINGS) this.warnings.push(`Cover of ${record.title ?? record.id}: ${result.error}`);
			else this.skippedWarnings += 1;
		}
		return result.path === undefined ? {} : { coverPath: result.path };
	}

	/** Covers of this run that could not be had: failed or refused. */
	get coversNotDownloaded(): number {
		return this.notDownloaded;
	}

	async finish(): Promise<string[]> {
		await this.fetcher.flush();
		return this.skippedWarnings > 0 ? [...this.warnings, `... and ${this.skippedWarnings} more cover problems.`] : this.warnings;
	}
}

/**
 * The covers of one run, from the engine's config; undefined when covers are
 * off. A dry run fetches what the real run would, writes nothing, and so
 * renders the same links: its counts are the real run's.
 */
export function coverExtrasFor(
	ports: Pick<CoverFetcherDeps, 'http' | 'store' | 'clock' | 'sleep' | 'random' | 'signal'>,
	config: EngineConfig,
	options: { downloadCovers: boolean; allowOtherOrigins: boolean },
): CoverExtras | undefined {
	if (!options.downloadCovers) return undefined;
	const fetcher = new CoverFetcher(ports, {
		baseUrl: config.serverUrl,
		token: config.token,
		authHeader: config.authHeader,
		folder: normaliseFolder(config.folder),
		allowOtherOrigins: options.allowOtherOrigins,
		dryRun: config.dryRun,
	});
	return new CoverExtras(fetcher);
}
