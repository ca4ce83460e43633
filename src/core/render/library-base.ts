/**
 * A ready-made Obsidian Bases file (`Library.base`) over the synced notes:
 * a cover gallery, a table of every book, "Currently reading",
 * "Finished this year", a table grouped by reading status, and the books
 * that left the server (which no other view shows). Property
 * names follow the settings; views that need a property the settings
 * leave out are left out too. Pure: the caller writes the file.
 *
 * Bases format (https://help.obsidian.md/bases/syntax): global `filters`
 * (`and`/`or`/`not` lists of expression strings), `properties` with
 * `displayName`s, and `views` with `type`, `name`, `order`, `sort`
 * (`property` + `direction`), `groupBy`, view `filters`, and for cards
 * `image`. Note properties are written `note.<name>` (or
 * `note["<name>"]` inside expressions when the name is not an identifier).
 */
import type { PropertyKey, RenderOptions } from './options';
import { propertyNameMap } from './properties';
import { yamlKey, yamlString } from './yaml-dump';

/** What the base file depends on. */
export interface LibraryBaseOptions extends Pick<RenderOptions, 'idProperty' | 'propertyNames'> {
	/** The library folder, vault-relative (`Books`, `Media/Books`; '' for the vault root). */
	folder: string;
}

/** The file name the shells should use for the base, inside the library folder. */
export const LIBRARY_BASE_FILE_NAME = 'Library.base';

type YamlNode = string | number | boolean | YamlNode[] | YamlMap;

interface YamlMap {
	entries: Array<[string, YamlNode]>;
}

function yamlMap(...entries: Array<[string, YamlNode] | undefined>): YamlMap {
	return { entries: entries.filter((entry): entry is [string, YamlNode] => entry !== undefined) };
}

function isMap(node: YamlNode): node is YamlMap {
	return typeof node === 'object' && !Array.isArray(node);
}

// Printable text without line breaks can be single-quoted (only `'` is doubled):
// easier to read than double quotes for expressions full of `"`.
const SINGLE_QUOTABLE = /^[^\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]*$/u;

function scalar(value: string | number | boolean): string {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	const plain = yamlString(value);
	if (plain === value) return value;
	return SINGLE_QUOTABLE.test(value) && !value.includes('<%') ? `'${value.replace(/'/g, "''")}'` : plain;
}

function isEmptyNode(node: YamlNode): boolean {
	return Array.isArray(node) ? node.length === 0 : isMap(node) && node.entries.length === 0;
}

function dumpNode(node: YamlNode, indent: string, lines: string[]): void {
	if (Array.isArray(node)) {
		for (const item of node) {
			if (isMap(item) || Array.isArray(item)) {
				const nested: string[] = [];
				dumpNode(item, `${indent}  `, nested);
				// The first line of the item goes after the dash.
				lines.push(`${indent}- ${(nested[0] ?? '').slice(indent.length + 2)}`, ...nested.slice(1));
			} else {
				lines.push(`${indent}- ${scalar(item)}`);
			}
		}
		return;
	}
	if (!isMap(node)) {
		lines.push(`${indent}${scalar(node)}`);
		return;
	}
	for (const [key, value] of node.entries) {
		if (isEmptyNode(value)) continue;
		if (isMap(value) || Array.isArray(value)) {
			lines.push(`${indent}${yamlKey(key)}:`);
			dumpNode(value, `${indent}  `, lines);
		} else {
			lines.push(`${indent}${yamlKey(key)}: ${scalar(value)}`);
		}
	}
}

/** A Bases expression string literal. */
function stringLiteral(text: string): string {
	return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A note property inside an expression: `note.name` or `note["odd name"]`. */
function ref(name: string): string {
	return IDENTIFIER.test(name) ? `note.${name}` : `note[${stringLiteral(name)}]`;
}

/** A note property as a view setting (`order`, `sort`, `image`, `properties` keys). */
function id(name: string): string {
	return `note.${name}`;
}

function libraryFolder(folder: string): string {
	return folder.trim().replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^\/+|\/+$/g, '');
}

const DISPLAY_NAMES: Partial<Record<PropertyKey, string>> = {
	author: 'Author',
	series: 'Series',
	series_index: 'Series no.',
	progress: 'Progress',
	reading_status: 'Reading status',
	last_read: 'Last read',
	last_device: 'Device',
	started: 'Started',
	finished: 'Finished',
	cover: 'Cover',
	genres: 'Genres',
	published_year: 'Published',
	removed: 'Removed',
};

/**
 * The YAML text of `Library.base` for these settings (LF line endings,
 * trailing newline). Every book note in `folder` (and its subfolders) that
 * carries the id property shows up.
 */
export function libraryBaseFile(options: LibraryBaseOptions): string {
	const names = new Map(propertyNameMap(options));
	const has = (key: PropertyKey): boolean => names.has(key);
	const name = (key: PropertyKey): string => names.get(key) ?? key;
	const columns = (...keys: PropertyKey[]): string[] => ['file.name', ...keys.filter(has).map((key) => id(name(key)))];
	const sortBy = (key: PropertyKey, direction: 'ASC' | 'DESC'): YamlNode[] =>
		has(key) ? [yamlMap(['property', id(name(key))], ['direction', direction])] : [];

	const folder = libraryFolder(options.folder);
	const filters: string[] = [
		...(folder === '' ? [] : [`file.inFolder(${stringLiteral(folder)})`]),
		`file.hasProperty(${stringLiteral(options.idProperty)})`,
	];

	const properties: Array<[string, YamlNode]> = [['file.name', yamlMap(['displayName', 'Book'])]];
	for (const [key, displayName] of Object.entries(DISPLAY_NAMES) as Array<[PropertyKey, string]>) {
		if (has(key)) properties.push([id(name(key)), yamlMap(['displayName', displayName])]);
	}

	// A book marked removed left the server: it is shown in a view of its own, never among the library's.
	const removed = has('removed') ? `file.hasProperty(${stringLiteral(name('removed'))})` : undefined;
	const inLibrary = (...conditions: YamlNode[]): YamlNode => {
		const all = [...(removed === undefined ? [] : [yamlMap(['not', [removed]])]), ...conditions];
		return all.length === 1 && all[0] !== undefined ? all[0] : yamlMap(['and', all]);
	};

	// The note's name (the title, with the default file name template) is the clickable first column.
	const tableColumns = columns('author', 'series', 'series_index', 'progress', 'reading_status', 'last_read');
	const views: YamlNode[] = [];

	views.push(yamlMap(
		['type', 'cards'],
		['name', 'Covers'],
		removed === undefined ? undefined : ['filters', inLibrary()],
		['order', columns('author', 'series', 'progress')],
		['sort', [yamlMap(['property', 'file.name'], ['direction', 'ASC'])]],
		has('cover') ? ['image', id(name('cover'))] : undefined,
		has('cover') ? ['imageFit', 'contain'] : undefined,
		has('cover') ? ['imageAspectRatio', 1.5] : undefined,
	));

	views.push(yamlMap(
		['type', 'table'],
		['name', 'All books'],
		removed === undefined ? undefined : ['filters', inLibrary()],
		['order', tableColumns],
		['sort', [...sortBy('author', 'ASC'), ...sortBy('series', 'ASC'), ...sortBy('series_index', 'ASC'), yamlMap(['property', 'file.name'], ['direction', 'ASC'])]],
	));

	// Reading means the status says so; the progress range stands in only where there is no status
	// (a paused or abandoned book with partial progress is not being read).
	const reading: YamlNode[] = [];
	const status = has('reading_status') ? name('reading_status') : undefined;
	if (status !== undefined) reading.push(`${ref(status)} == "reading"`);
	if (has('progress')) {
		const progress = ref(name('progress'));
		const range = [`${progress} > 0`, `${progress} < 100`];
		reading.push(yamlMap(['and', status === undefined ? range : [yamlMap(['not', [`file.hasProperty(${stringLiteral(status)})`]]), ...range]]));
	}
	if (reading.length > 0) {
		views.push(yamlMap(
			['type', 'table'],
			['name', 'Currently reading'],
			['filters', inLibrary(reading.length === 1 ? (reading[0] as YamlNode) : yamlMap(['or', reading]))],
			['order', columns('author', 'progress', 'last_read', 'last_device')],
			['sort', sortBy('last_read', 'DESC')],
		));
	}

	if (has('finished')) {
		const finished = ref(name('finished'));
		// `.year` needs `finished` typed Date or Date & time in the vault (the README says how).
		views.push(yamlMap(
			['type', 'table'],
			['name', 'Finished this year'],
			['filters', inLibrary(`file.hasProperty(${stringLiteral(name('finished'))})`, `${finished}.year == today().year`)],
			['order', columns('author', 'series', 'finished')],
			['sort', sortBy('finished', 'DESC')],
		));
	}

	if (status !== undefined) {
		// Only books with a status: a group without a name helps nobody.
		views.push(yamlMap(
			['type', 'table'],
			['name', 'By reading status'],
			['filters', inLibrary(`file.hasProperty(${stringLiteral(status)})`)],
			['groupBy', yamlMap(['property', id(status)], ['direction', 'ASC'])],
			['order', columns('author', 'series', 'progress', 'last_read')],
			['sort', sortBy('last_read', 'DESC')],
		));
	}

	if (removed !== undefined) {
		views.push(yamlMap(
			['type', 'table'],
			['name', 'Removed from the server'],
			['filters', removed],
			['order', columns('author', 'series', 'removed')],
			['sort', sortBy('removed', 'DESC')],
		));
	}

	const lines: string[] = [];
	dumpNode(yamlMap(
		['filters', yamlMap(['and', filters])],
		['properties', yamlMap(...properties)],
		['views', views],
	), '', lines);
	return `${lines.join('\n')}\n`;
}
