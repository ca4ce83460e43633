/**
 * What the renderer needs to know besides the record. Built from the
 * settings by the shells; identical settings give identical notes.
 */

/** Every property the renderer can write, by its default name. */
export const PROPERTY_KEYS = [
	'title',
	'aliases',
	'author',
	'series',
	'series_index',
	'isbn10',
	'isbn13',
	'publisher',
	'language',
	'published',
	'pages',
	'genres',
	'tags',
	'cover',
	'cover_url',
	'library_status',
	'formats',
	'uploader',
	'created_by',
	'possible_duplicate_of',
	'hardcover_book_id',
	'hardcover_edition_id',
	'added',
	'updated',
	'approved',
	'progress',
	'reading_status',
	'last_device',
	'last_read',
	'started',
	'finished',
	'paused',
	'progress_manual',
	'progress_external',
	'removed',
] as const;

export type PropertyKey = (typeof PROPERTY_KEYS)[number];

export interface RenderOptions {
	/** Name of the identity property (default `book_id`). */
	idProperty: string;
	/**
	 * Property name per key; `null` leaves the property out. Keys missing
	 * from the map use their default name.
	 */
	propertyNames: Partial<Record<PropertyKey, string | null>>;
	/** IANA time zone used for every datetime (never the device's implicitly). */
	timeZone: string;
	/** Prefix for tags made from server tags and genres, without `#` or trailing `/` (may be empty). */
	tagPrefix: string;
	/** Whether genres also become tags. */
	genresAsTags: boolean;
	/** Render these as quoted wikilinks. */
	links: { author: boolean; series: boolean; publisher: boolean; genres: boolean };
	/** File name template, e.g. `{{title}}` or `{{author}} - {{title}}`. */
	fileNameTemplate: string;
	/** Base URL of the server, to make server-relative cover URLs absolute. */
	serverUrl: string;
	/**
	 * The user allows covers from other servers: only then may `cover` hold
	 * such an address (Obsidian loads it by itself). Absent means no.
	 */
	coversFromOtherOrigins?: boolean;
	/**
	 * Mustache template for the generated region (see docs/templates.md);
	 * undefined renders the default template.
	 */
	bodyTemplate?: string;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
	idProperty: 'book_id',
	propertyNames: {},
	timeZone: 'UTC',
	tagPrefix: '',
	genresAsTags: false,
	links: { author: false, series: false, publisher: false, genres: false },
	fileNameTemplate: '{{title}}',
	serverUrl: '',
};
