/** Medians and the text table of the benchmark. */

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Pads cells to their column's width; the first column left-aligned, the others right-aligned. */
export function formatTable(header: string[], rows: string[][]): string[] {
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: string[]): string =>
		cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ').trimEnd();
	return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

export function ms(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) return '';
	return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

export function count(value: number | undefined): string {
	return value === undefined || !Number.isFinite(value) ? '' : Math.round(value).toLocaleString('en-US');
}
