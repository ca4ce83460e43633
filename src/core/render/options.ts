/**
 * What the renderer needs to know besides the record. Built from the
 * settings by the shells; identical settings give identical notes.
 */

/**
 * Every property the renderer can write, by its default name. Obsidian
 * gives a property name one type across the whole vault, so no default name
 * here may carry another type than the same name has elsewhere in a
 * typical vault. Checked against Obsidian's own properties (`aliases` and
 * `tags` are lists, `cssclasses` is not written) and the default template
 * of Obsidian Web Clipper (`title` text, `source` text, `author` list,
 * `published` date, `created` date, `description` text, `tags` list): the
 * year of publication is therefore `published_year` (a number), and
 * `author` is a list, as Web Clipper writes it.
 */
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
	'published_year',
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
