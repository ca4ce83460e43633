import type { RenderOptions } from '../render/options';
import type { EngineConfig } from '../sync/engine';
import type { SyncMode } from '../sync/report';
import type { Settings } from './schema';

/** The renderer's view of the settings: both shells derive it here, so their notes are identical. */
export function renderOptionsFrom(settings: Settings): RenderOptions {
	return {
		idProperty: settings.idProperty,
		propertyNames: { ...settings.propertyNames },
		timeZone: settings.timeZone,
		tagPrefix: settings.tagPrefix,
		genresAsTags: settings.genresAsTags,
		links: {
			author: settings.linkAuthor,
			series: settings.linkSeries,
			publisher: settings.linkPublisher,
			genres: settings.linkGenres,
		},
		fileNameTemplate: settings.fileNameTemplate,
		serverUrl: settings.serverUrl,
	};
}

/** The engine's view of the settings for one run; shared by the plugin and the CLI. */
export function engineConfigFrom(settings: Settings, run: { mode: SyncMode; dryRun: boolean; token: string | undefined }): EngineConfig {
	return {
		serverUrl: settings.serverUrl,
		token: run.token,
		authHeader: settings.authHeader,
		mode: run.mode,
		dryRun: run.dryRun,
		folder: settings.folder,
		keepFileNamesInSync: settings.keepFileNamesInSync,
		render: renderOptionsFrom(settings),
		pageSize: settings.pageSize,
		overlapMinutes: settings.overlapMinutes,
		timeoutMs: settings.requestTimeoutSeconds * 1000,
	};
}
