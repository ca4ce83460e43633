/**
 * Obsidian's `normalizePath`: every run of `/` or `\` becomes one `/`,
 * leading and trailing slashes go, non-breaking spaces become spaces, and
 * the result is NFC. Illegal characters are NOT removed. The empty path is
 * the root, `/`.
 */
export function normalizePath(path: string): string {
	let result = path.replace(/[\\/]+/g, '/').replace(/^\/+|\/+$/g, '');
	if (result === '') result = '/';
	result = result.replace(/[\u00A0\u202F]/g, ' ');
	return result.normalize('NFC');
}
