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
		coversFromOtherOrigins: settings.coversFromOtherOrigins,
	};
}

/** How a run was started: by the user or by the schedule. */
export interface RunRequest {
	mode: SyncMode;
	dryRun: boolean;
	token: string | undefined;
	/** The user asked for this run (a command, the CLI); automatic runs are more careful. */
	userRequested: boolean;
	/** The user confirmed marking more than a tenth of the library as removed. */
	allowMassRemoval?: boolean;
	/** The text of the body template note (settings.bodyTemplateFile), read by the shell. */
	bodyTemplate?: string;
}

/** The engine's view of the settings for one run; shared by the plugin and the CLI. */
export function engineConfigFrom(settings: Settings, run: RunRequest): EngineConfig {
	return {
		serverUrl: settings.serverUrl,
		token: run.token,
		authHeader: settings.authHeader,
		mode: run.mode,
		dryRun: run.dryRun,
		folder: settings.folder,
		folderTemplate: settings.folderTemplate,
		keepFileNamesInSync: settings.keepFileNamesInSync,
		// A full sync the user asked for brings back notes they deleted; nothing else does unless they say so.
		recreateDeleted: settings.recreateDeletedNotes || (run.userRequested && run.mode === 'full'),
		archiveFolder: settings.archiveFolder,
		retiredPropertyNames: [...settings.retiredPropertyNames],
		removals: { allowMassRemoval: run.allowMassRemoval ?? false, automatic: !run.userRequested },
		render: { ...renderOptionsFrom(settings), bodyTemplate: run.bodyTemplate },
		pageSize: settings.pageSize,
		overlapMinutes: settings.overlapMinutes,
		timeoutMs: settings.requestTimeoutSeconds * 1000,
	};
}
