/**
 * The generated region's Markdown: what the sync owns inside the note body.
 * Every server value goes through the neutraliser; the layout is fixed so
 * the same record gives the same bytes everywhere.
 */
import type { BookRecord, Instant } from '../api/record';
import type { RenderOptions } from './options';
import { formatDateTime } from './dates';
import { htmlToMarkdown } from './html-to-markdown';
import { neutraliseInline, neutraliseMarkdown } from './neutralise';
import { formatFileSize } from './sizes';
import { cleanLine } from './text';

/** A server value as safe inline Markdown, or undefined when empty. */
function inline(value: string | undefined): string | undefined {
	const text = cleanLine(value);
	return text === undefined ? undefined : neutraliseInline(text);
}

// The body shows datetimes with a space: easier to read than the property form.
function when(instant: Instant | undefined, options: RenderOptions): string | undefined {
	return formatDateTime(instant, options.timeZone)?.replace('T', ' ');
}

function numberText(value: number | undefined): string | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function section(title: string, lines: string[]): string[] {
	return lines.length === 0 ? [] : [`## ${title}`, '', ...lines];
}

function items(entries: Array<[string, string | undefined]>): string[] {
	return entries.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([label, value]) => `- **${label}:** ${value}`);
}

function byline(record: BookRecord): string | undefined {
	const author = inline(record.author);
	const series = inline(record.series);
	const index = numberText(record.seriesIndex);
	const seriesText = series === undefined ? undefined : index === undefined ? series : `${series} (book ${index})`;
	const parts = [author === undefined ? undefined : `By ${author}`, seriesText].filter((part): part is string => part !== undefined);
	return parts.length === 0 ? undefined : parts.join(' · ');
}

function descriptionLines(record: BookRecord): string[] {
	const markdown = neutraliseMarkdown(htmlToMarkdown(record.description));
	return markdown === '' ? [] : markdown.split('\n');
}

function progressLines(record: BookRecord, options: RenderOptions): string[] {
	const progress = record.progress;
	if (progress === undefined) return [];
	const percentage = numberText(progress.percentage === undefined ? undefined : Math.round(progress.percentage * 100) / 100);
	const lastRead = when(progress.lastTimestamp, options);
	const device = inline(progress.lastDevice);
	const lastReadText = lastRead === undefined ? undefined : device === undefined ? lastRead : `${lastRead} on ${device}`;
	const source = [progress.manuallySet === true ? 'set manually' : undefined, progress.externallySet === true ? 'set externally' : undefined]
		.filter((part): part is string => part !== undefined);
	return items([
		['Status', inline(progress.status)],
		['Progress', percentage === undefined ? undefined : `${percentage}%`],
		['Last read', lastReadText ?? (device === undefined ? undefined : `on ${device}`)],
		['Started', when(progress.startedAt, options)],
		['Paused', when(progress.pausedAt, options)],
		['Finished', when(progress.finishedAt, options)],
		['Progress source', source.length === 0 ? undefined : source.join(', ')],
	]);
}

function filesLines(record: BookRecord): string[] {
	const rows = record.files
		.map((file) => [inline(cleanLine(file.format)?.replace(/^\.+/, '').toLowerCase()), inline(file.originalName), formatFileSize(file.fileSize)])
		.filter((cells) => cells.some((cell) => cell !== undefined))
		.map((cells) => `| ${cells.map((cell) => cell ?? '').join(' | ')} |`);
	return rows.length === 0 ? [] : ['| Format | File | Size |', '| --- | --- | --- |', ...rows];
}

function detailLines(record: BookRecord, options: RenderOptions): string[] {
	return items([
		['Publisher', inline(record.publisher)],
		['Published', numberText(record.publishedYear)],
		['Language', inline(record.language)],
		['Pages', numberText(record.pageCount)],
		['ISBN-10', inline(record.isbn10)],
		['ISBN-13', inline(record.isbn13)],
		['Hardcover book', numberText(record.hardcoverBookId)],
		['Hardcover edition', numberText(record.hardcoverEditionId)],
		['Added', when(record.createdAt, options)],
		['Updated', when(record.updatedAt, options)],
		['Approved', when(record.approvedAt, options)],
		['Created by', inline(record.createdBy)],
		['Uploaded by', inline(record.uploader?.label ?? record.uploader?.id)],
		['Library status', inline(record.status)],
		['Cover on the server', inline(record.coverPath)],
	]);
}

/**
 * The generated region's Markdown for a record (no trailing newline): a
 * title heading, a by-line, then Description, Progress, Files and Details
 * sections, each left out when it would be empty. `fallbackTitle` heads
 * the region when the record has no title.
 */
export function renderBody(record: BookRecord, options: RenderOptions, fallbackTitle: string): string {
	const title = inline(record.title) ?? neutraliseInline(fallbackTitle);
	const by = byline(record);
	const blocks: string[][] = [
		[`# ${title}`, ...(by === undefined ? [] : ['', by])],
		section('Description', descriptionLines(record)),
		section('Progress', progressLines(record, options)),
		section('Files', filesLines(record)),
		section('Details', detailLines(record, options)),
	];
	return blocks.filter((block) => block.length > 0).map((block) => block.join('\n')).join('\n\n');
}
