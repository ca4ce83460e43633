import type { PropertyKey } from '../render/options';

/** Minutes between scheduled syncs; 0 turns the schedule off. */
export const SYNC_INTERVALS = [0, 15, 60, 360, 1440] as const;
export type SyncIntervalMinutes = (typeof SYNC_INTERVALS)[number];

export const SETTINGS_SCHEMA_VERSION = 2;

/**
 * Everything in `data.json`. Shared between devices (a vault sync service
 * copies it), so nothing per-device lives here: the cursor and bookkeeping
 * are in the StateStore, the token in SecretStorage or the environment.
 */
export interface Settings {
	schemaVersion: number;
	/** Base URL, possibly with a path prefix (`https://host/library`). */
	serverUrl: string;
	/** Header that carries the token; `Authorization` sends `Bearer <token>`. */
	authHeader: string;
	/** Name of the secret in Obsidian's SecretStorage (never the token itself). */
	tokenSecretName: string;
	/** Library folder, vault-relative. */
	folder: string;
	fileNameTemplate: string;
	idProperty: string;
	/** Property name per key; null leaves the property out. */
	propertyNames: Partial<Record<PropertyKey, string | null>>;
	timeZone: string;
	tagPrefix: string;
	genresAsTags: boolean;
	linkAuthor: boolean;
	linkSeries: boolean;
	linkPublisher: boolean;
	linkGenres: boolean;
	/** Rename notes when their template-derived name changes. */
	keepFileNamesInSync: boolean;
	/** Sub-folders for new notes inside the library folder, e.g. `{{author}}/{{series}}`; empty for none. */
	folderTemplate: string;
	/** Recreate a note the user deleted when its book changes (a user-requested full sync always does). */
	recreateDeletedNotes: boolean;
	/** Where notes of books that left the server are moved (vault-relative); empty leaves them in place. */
	archiveFolder: string;
	/** Property names used before a rename in the settings: removed from notes on the next sync. */
	retiredPropertyNames: string[];
	/** Vault path of a note whose text is the body template; empty for the built-in template. */
	bodyTemplateFile: string;
	/** Download covers into the library folder's covers folder. */
	downloadCovers: boolean;
	/** Fetch covers hosted on another origin (without the token). */
	coversFromOtherOrigins: boolean;
	/**
	 * Library.base was written once for this vault (by any device): a first
	 * sync does not write it again, so a view the user deleted stays deleted
	 * and two devices never both create it. "Create library view" still does.
	 */
	libraryViewCreated: boolean;
	syncOnStartup: boolean;
	syncIntervalMinutes: SyncIntervalMinutes;
	pageSize: number;
	overlapMinutes: number;
	requestTimeoutSeconds: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
	schemaVersion: SETTINGS_SCHEMA_VERSION,
	serverUrl: '',
	authHeader: 'Authorization',
	tokenSecretName: 'library-sync-token',
	folder: 'Books',
	fileNameTemplate: '{{title}}',
	idProperty: 'book_id',
	propertyNames: {},
	timeZone: 'UTC',
	tagPrefix: '',
	genresAsTags: false,
	linkAuthor: false,
	linkSeries: false,
	linkPublisher: false,
	linkGenres: false,
	keepFileNamesInSync: true,
	folderTemplate: '',
	recreateDeletedNotes: false,
	archiveFolder: '',
	retiredPropertyNames: [],
	bodyTemplateFile: '',
	downloadCovers: true,
	coversFromOtherOrigins: false,
	libraryViewCreated: false,
	syncOnStartup: true,
	syncIntervalMinutes: 60,
	pageSize: 100,
	overlapMinutes: 5,
	requestTimeoutSeconds: 30,
});
