import type { RenderOptions } from '../render/options';
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
