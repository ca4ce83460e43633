/**
 * Loading `data.json`, shared by the plugin and the CLI: migrate by
 * `schemaVersion`, merge the defaults, then validate every value. Junk never
 * throws: an invalid value is repaired (clamped, trimmed) or replaced by its
 * default, unknown keys are dropped, and each change is reported as one
 * sentence in `warnings`. Warnings name keys, never values (a user might have
 * pasted a token into any field).
 */
import { PROPERTY_KEYS, type PropertyKey } from '../render/options';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION, SYNC_INTERVALS, type Settings, type SyncIntervalMinutes } from './schema';

export interface LoadedSettings {
	settings: Settings;
	warnings: string[];
}

type RawObject = Record<string, unknown>;

/** Keys older versions wrote that must never survive a load. */
const SECRET_KEYS = ['token', 'apiToken', 'apiKey', 'password'];

/**
 * Migrations from version n to n + 1, applied in order. Version 0 is data
 * written without a `schemaVersion`: the shape of version 1, possibly with
 * the token stored in clear (now it lives in SecretStorage).
 */
const MIGRATIONS: Record<number, (data: RawObject, warnings: string[]) => RawObject> = {
	0: (data, warnings) => {
		const next: RawObject = { ...data };
		for (const key of SECRET_KEYS) {
			if (key in next) {
				delete next[key];
				warnings.push(`Removed "${key}" from the settings: the token is kept in secret storage, not in the settings file.`);
			}
		}
		return next;
	},
	// `published` became `published_year`: Obsidian Web Clipper writes `published` as a date, and a
	// property name has one type per vault. Whatever the user had set for it carries over; where the
	// default name was in use, notes drop `published` and gain `published_year` on the next sync.
	1: (data) => {
		const next: RawObject = { ...data };
		const names: RawObject = isObject(data.propertyNames) ? { ...data.propertyNames } : {};
		if (Object.prototype.hasOwnProperty.call(names, 'published')) {
			if (!Object.prototype.hasOwnProperty.call(names, 'published_year')) names.published_year = names.published;
			delete names.published;
		} else {
			const retired: unknown[] = Array.isArray(data.retiredPropertyNames) ? (data.retiredPropertyNames as unknown[]) : [];
			next.retiredPropertyNames = retired.includes('published') ? retired : [...retired, 'published'];
		}
		next.propertyNames = names;
		return next;
	},
};

function isObject(value: unknown): value is RawObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs the migrations from the data's version up to the current one. */
export function migrateSettings(raw: RawObject, warnings: string[]): RawObject {
	const declared = raw.schemaVersion;
	let version = typeof declared === 'number' && Number.isInteger(declared) && declared >= 0 ? declared : 0;
	if (declared !== undefined && version === 0 && declared !== 0) {
		warnings.push('The settings file has an invalid "schemaVersion"; it was read as the oldest version.');
	}
	if (version > SETTINGS_SCHEMA_VERSION) {
		warnings.push(`The settings file was written by a newer version of Library Sync (schema ${version}); settings this version does not know are ignored.`);
		return { ...raw };
	}
	let data: RawObject = { ...raw };
	while (version < SETTINGS_SCHEMA_VERSION) {
		const migrate = MIGRATIONS[version];
		if (migrate) data = migrate(data, warnings);
		version++;
	}
	return data;
}

// ---- validators: each returns the repaired value, or undefined for "use the default" ----

function asString(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function asBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return undefined;
}

function clampInteger(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, Math.round(value)));
}

function validServerUrl(value: string): string | undefined {
	const trimmed = value.trim();
	if (trimmed === '') return '';
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
	if (url.username !== '' || url.password !== '') return undefined;
	if (url.search !== '' || url.hash !== '') return undefined;
	return trimmed.replace(/\/+$/, '');
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SECRET_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A vault-relative folder: '/'-separated, no empty, '.' or '..' segments, nothing hidden. */
function validFolder(value: string): string | undefined {
	const cleaned = value
		.replace(/\\/g, '/')
		.split('/')
		.map((segment) => segment.trim())
		.filter((segment) => segment !== '')
		.join('/')
		.normalize('NFC');
	if (cleaned === '') return undefined;
	if (cleaned.split('/').some((segment) => segment.startsWith('.'))) return undefined;
	return cleaned;
}

function validPropertyName(value: string): string | undefined {
	const trimmed = value.trim();
	if (trimmed === '' || /[\n\r:]/.test(trimmed) || trimmed.startsWith('#')) return undefined;
	return trimmed;
}

/** The zone's name when the runtime knows it as an IANA time zone, else undefined. */
export function validTimeZone(value: string): string | undefined {
	const trimmed = value.trim();
	if (trimmed === '') return undefined;
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone === '' ? undefined : trimmed;
	} catch {
		return undefined;
	}
}

function validTagPrefix(value: string): string {
	return value
		.trim()
		.replace(/^#+/, '')
		.replace(/\s+/g, '-')
		.replace(/\/+$/, '');
}

function nearestInterval(value: number): SyncIntervalMinutes {
	let best: SyncIntervalMinutes = SYNC_INTERVALS[0];
	for (const candidate of SYNC_INTERVALS) if (Math.abs(candidate - value) < Math.abs(best - value)) best = candidate;
	return best;
}

const PROPERTY_KEY_SET = new Set<string>(PROPERTY_KEYS);

function validNameList(value: unknown): string[] | undefined {
	if (!Array.isArray(value)) return undefined;
	const names = value.map((item) => (typeof item === 'string' ? validPropertyName(item) : undefined));
	return names.every((name): name is string => name !== undefined) ? [...new Set(names)] : undefined;
}

function validPropertyNames(value: unknown, idProperty: string, warnings: string[]): Settings['propertyNames'] {
	if (value === undefined) return {};
	if (!isObject(value)) {
		warnings.push('"propertyNames" is not a map of property names; the default names are used.');
		return {};
	}
	const result: Settings['propertyNames'] = {};
	const used = new Map<string, string>([[idProperty.toLowerCase(), 'the id property']]);
	for (const [key, name] of Object.entries(value)) {
		if (!PROPERTY_KEY_SET.has(key)) {
			warnings.push(`Ignored the unknown property key "${key}" in "propertyNames".`);
			continue;
		}
		if (name === null) {
			result[key as PropertyKey] = null;
			continue;
		}
		const valid = typeof name === 'string' ? validPropertyName(name) : undefined;
		if (valid === undefined) {
			warnings.push(`The property name for "${key}" is not valid; the default name is used.`);
			continue;
		}
		const clash = used.get(valid.toLowerCase());
		if (clash !== undefined) {
			warnings.push(`The property name for "${key}" is already used by ${clash}; the default name is used.`);
			continue;
		}
		used.set(valid.toLowerCase(), `"${key}"`);
		result[key as PropertyKey] = valid;
	}
	return result;
}

/**
 * Turns whatever `data.json` held into valid Settings. `null`/`undefined`
 * (no file yet) gives the defaults without warnings.
 */
export function loadSettings(raw: unknown): LoadedSettings {
	const warnings: string[] = [];
	const defaults: Settings = { ...DEFAULT_SETTINGS, propertyNames: {}, retiredPropertyNames: [] };
	if (raw === null || raw === undefined) return { settings: defaults, warnings };
	if (!isObject(raw)) {
		warnings.push('The settings file does not hold settings; the defaults are used.');
		return { settings: defaults, warnings };
	}
	const data = migrateSettings(raw, warnings);
	const settings: Settings = { ...defaults };
	const known = new Set<string>(Object.keys(DEFAULT_SETTINGS));
	for (const key of Object.keys(data)) {
		if (!known.has(key)) warnings.push(`Ignored the unknown setting "${key}".`);
	}

	const repair = <K extends keyof Settings>(key: K, value: Settings[K] | undefined, message: string): void => {
		if (data[key] === undefined) return;
		if (value === undefined) {
			warnings.push(`"${key}" ${message}; the default is used.`);
			return;
		}
		settings[key] = value;
	};

	const text = (key: keyof Settings): string | undefined => asString(data[key]);

	repair('serverUrl', ((s) => (s === undefined ? undefined : validServerUrl(s)))(text('serverUrl')), 'is not an http(s) address without credentials');
	repair('authHeader', ((s) => (s !== undefined && HEADER_NAME.test(s.trim()) ? s.trim() : undefined))(text('authHeader')), 'is not a valid header name');
	repair('tokenSecretName', ((s) => (s !== undefined && SECRET_NAME.test(s.trim().toLowerCase()) ? s.trim().toLowerCase() : undefined))(text('tokenSecretName')), 'is not a valid secret name (lower-case letters, digits and dashes)');
	repair('folder', ((s) => (s === undefined ? undefined : validFolder(s)))(text('folder')), 'is not a usable folder');
	repair('fileNameTemplate', ((s) => (s !== undefined && s.trim() !== '' ? s.trim() : undefined))(text('fileNameTemplate')), 'is empty or not text');
	repair('idProperty', ((s) => (s === undefined ? undefined : validPropertyName(s)))(text('idProperty')), 'is not a valid property name');
	repair('timeZone', ((s) => (s === undefined ? undefined : validTimeZone(s)))(text('timeZone')), 'is not a known time zone');
	repair('tagPrefix', ((s) => (s === undefined ? undefined : validTagPrefix(s)))(text('tagPrefix')), 'is not text');

	repair('folderTemplate', ((s) => (s === undefined ? undefined : s.trim()))(text('folderTemplate')), 'is not text');
	repair('archiveFolder', ((s) => (s === undefined ? undefined : s.trim() === '' ? '' : validFolder(s)))(text('archiveFolder')), 'is not a usable folder');
	repair('bodyTemplateFile', ((s) => (s === undefined ? undefined : s.trim() === '' ? '' : validFolder(s)))(text('bodyTemplateFile')), 'is not a usable note path');
	repair('retiredPropertyNames', validNameList(data.retiredPropertyNames), 'is not a list of property names');

	for (const key of ['genresAsTags', 'linkAuthor', 'linkSeries', 'linkPublisher', 'linkGenres', 'keepFileNamesInSync', 'syncOnStartup', 'recreateDeletedNotes', 'downloadCovers', 'coversFromOtherOrigins', 'libraryViewCreated'] as const) {
		repair(key, asBoolean(data[key]), 'is not true or false');
	}

	const interval = asNumber(data.syncIntervalMinutes);
	if (interval !== undefined && !(SYNC_INTERVALS as readonly number[]).includes(interval)) {
		warnings.push(`"syncIntervalMinutes" must be one of ${SYNC_INTERVALS.join(', ')}; the nearest was used.`);
	}
	repair('syncIntervalMinutes', interval === undefined ? undefined : nearestInterval(interval), 'is not a number');

	const bounded = (key: 'pageSize' | 'overlapMinutes' | 'requestTimeoutSeconds', min: number, max: number): void => {
		const value = asNumber(data[key]);
		if (value !== undefined) {
			const clamped = clampInteger(value, min, max);
			if (clamped !== value) warnings.push(`"${key}" must be a whole number from ${min} to ${max}; it was adjusted.`);
			settings[key] = clamped;
			return;
		}
		repair(key, undefined, 'is not a number');
	};
	bounded('pageSize', 1, 100);
	bounded('overlapMinutes', 0, 1440);
	bounded('requestTimeoutSeconds', 5, 300);

	settings.propertyNames = validPropertyNames(data.propertyNames, settings.idProperty, warnings);
	settings.schemaVersion = SETTINGS_SCHEMA_VERSION;
	return { settings, warnings };
}
