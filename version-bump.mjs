// Run by `npm version <patch|minor|major|x.y.z>` (the "version" script), after
// npm has written the new version into package.json and before it commits and
// tags: copies the version into manifest.json and records in versions.json
// which Obsidian version it needs ("<version>": "<minAppVersion>"), so that
// Obsidian offers each release only to apps that can run it. The script then
// stages both files and npm's commit and tag include them.
//
// Obsidian wants the version as digits and dots, and the release tag equal to
// it: tag with `npm version` run with `--tag-version-prefix=""` (or set
// `tag-version-prefix=""` in .npmrc), then push the tag to publish.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const VERSION = /^\d+\.\d+\.\d+$/;

const targetVersion = process.env.npm_package_version;
if (!targetVersion) {
	console.error('version-bump: npm_package_version is not set; run this through `npm version <new-version>`.');
	process.exit(1);
}
if (!VERSION.test(targetVersion)) {
	console.error(`version-bump: "${targetVersion}" is not a plain x.y.z version (Obsidian accepts digits and dots only).`);
	process.exit(1);
}

/** Reads a JSON file and the indentation it uses, so rewriting it changes only what we change. */
function readJson(file) {
	const text = readFileSync(new URL(file, import.meta.url), 'utf8');
	const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '\t';
	return { data: JSON.parse(text), indent };
}

function writeJson(file, data, indent) {
	writeFileSync(new URL(file, import.meta.url), `${JSON.stringify(data, null, indent)}\n`);
}

const manifest = readJson('./manifest.json');
const { minAppVersion } = manifest.data;
if (typeof minAppVersion !== 'string' || !/^\d+(\.\d+)*$/.test(minAppVersion)) {
	console.error('version-bump: manifest.json has no valid minAppVersion.');
	process.exit(1);
}
manifest.data.version = targetVersion;
writeJson('./manifest.json', manifest.data, manifest.indent);

const versions = readJson('./versions.json');
versions.data[targetVersion] = minAppVersion;
writeJson('./versions.json', versions.data, versions.indent);

process.stdout.write(`version-bump: manifest.json ${targetVersion}, versions.json "${targetVersion}": "${minAppVersion}"\n`);
