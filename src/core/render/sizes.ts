/**
 * Human-readable file sizes from the server's decimal byte-count strings,
 * which may exceed 2^53: computed with BigInt so nothing is lost or
 * rounded differently across platforms.
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;
const DIGITS = /^\d+$/;
// Longer strings are junk, not sizes (and would make BigInt work hard).
const MAX_DIGITS = 64;

/**
 * Decimal (SI) units with one decimal, rounded half up: "0 B", "999 B",
 * "1.0 kB", "1.2 MB", "18.4 EB". Undefined for anything that is not a
 * string of digits.
 */
export function formatFileSize(fileSize: string | undefined): string | undefined {
	if (typeof fileSize !== 'string') return undefined;
	const digits = fileSize.trim();
	if (!DIGITS.test(digits) || digits.length > MAX_DIGITS) return undefined;
	const bytes = BigInt(digits);
	if (bytes < 1000n) return `${bytes.toString()} B`;
	let unitIndex = 1;
	let divisor = 1000n;
	for (;;) {
		const tenths = (bytes * 10n + divisor / 2n) / divisor;
		// Rounding may carry into the next unit (999.95 kB is 1.0 MB).
		if (tenths < 10000n || unitIndex === UNITS.length - 1) {
			return `${(tenths / 10n).toString()}.${(tenths % 10n).toString()} ${UNITS[unitIndex] ?? ''}`;
		}
		unitIndex++;
		divisor *= 1000n;
	}
}
