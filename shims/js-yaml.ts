// Stands in for `js-yaml` (version 3, gray-matter's YAML engine) in both
// bundles: its loader only. Our code parses with `safeLoad` and the core
// schema and writes YAML itself (src/core/render/yaml-dump.ts), so the
// dumper, a quarter of the library, is never called; gray-matter only binds
// `safeDump` when it loads, and calling it here throws.
// @ts-expect-error: js-yaml 3's internal modules have no type declarations.
import loader from '../node_modules/js-yaml/lib/js-yaml/loader.js';
// @ts-expect-error: as above.
import core from '../node_modules/js-yaml/lib/js-yaml/schema/core.js';

export const safeLoad = (loader as { safeLoad: (text: string, options?: object) => unknown }).safeLoad;
export const CORE_SCHEMA: unknown = core;

export function safeDump(): never {
	throw new Error('Library Sync writes YAML itself; js-yaml\'s dumper is not bundled.');
}
