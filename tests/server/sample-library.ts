/**
 * The sample library: 141 real public-domain classics plus a set of odd
 * records, the same data on every run (no randomness, no clock). Used by the
 * demo, by people trying the plugin by hand and by end-to-end tests.
 */
import { isbn10, isbn13, isbnBody } from './isbn';
import type { RawBook, RawFile, RawProgress, RawUploader } from './raw-book';
import { CLASSICS, type Classic } from './sample-classics';
import { ODD_RECORDS } from './sample-odd-records';

export type { RawBook } from './raw-book';

/** A fresh deep copy of the sample library on every call (classics first, then the odd records). */
export function sampleLibrary(): RawBook[] {
	return [...CLASSICS.map(classicBook), ...structuredClone(ODD_RECORDS)];
}

/** The id of the n-th (1-based) classic: `bk_0001`. */
export function sampleId(n: number): string {
	return `bk_${String(n).padStart(4, '0')}`;
}

const UPLOADERS: readonly RawUploader[] = [
	{ id: 'usr_01', label: 'Margaret' },
	{ id: 'usr_02', label: 'Tomás' },
	{ id: 'usr_03', label: 'library-bot' },
];

const PUBLISHERS: Readonly<Record<string, readonly string[]>> = {
	en: ['Standard Ebooks', 'Project Gutenberg', 'Penguin Classics', "Oxford World's Classics", 'Dover Publications', 'Wordsworth Editions'],
	fr: ['Le Livre de Poche', 'Folio Classique', 'Garnier-Flammarion'],
	de: ['Reclam', 'Insel Verlag', 'Fischer Klassik'],
	ru: ['Азбука', 'Эксмо', 'Художественная литература'],
};

// Registration group of the ISBN, by language: English 0/1, French 2, German 3, Russian 5.
const ISBN_GROUP: Readonly<Record<string, string>> = { en: '0', fr: '2', de: '3', ru: '5' };

const DEVICES = ['Kobo Libra 2', 'iPad', 'Kindle Paperwhite', 'Pixel 7', 'KOReader on Boox Note Air2', 'Web Reader'] as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const FIRST_UPLOAD = Date.UTC(2023, 0, 3, 9, 0, 0);
const LATEST_UPDATE = Date.UTC(2025, 9, 31, 18, 0, 0);

function classicBook(classic: Classic, index: number): RawBook {
	const [title, author, year, language, genreList, series, seriesIndex] = classic;
	const n = index + 1;
	const id = sampleId(n);
	const uploader = pick(UPLOADERS, index);
	const created = FIRST_UPLOAD + Math.round(index * 5.1 * DAY) + ((index * 37) % 600) * 60_000;
	const status = index % 23 === 7 ? 'pending' : index % 31 === 11 ? 'archived' : 'approved';
	const body = (ISBN_GROUP[language] ?? '1') + isbnBody(n * 7_654_321 + 123_457).slice(1);
	const hasCover = index % 17 !== 3;
	const genres = genreList.split('|');
	return {
		id,
		status,
		title,
		author,
		isbn10: index % 13 === 5 ? null : isbn10(body),
		isbn13: isbn13(body),
		publisher: pick(PUBLISHERS[language] ?? PUBLISHERS.en ?? [], index),
		publishedYear: year,
		language,
		description: describe(title, author, year, genres, series, seriesIndex, index),
		coverUrl: hasCover ? `/covers/${id}.jpg` : null,
		coverPath: hasCover ? `/srv/library/covers/${id}.jpg` : null,
		pageCount: 96 + ((n * 97) % 720),
		series: series ?? null,
		seriesIndex: seriesIndex ?? null,
		genres,
		tags: tagsFor(year, language, index),
		hardcoverBookId: index % 9 === 4 ? null : 100_000 + n * 37,
		hardcoverEditionId: index % 9 === 4 ? null : 2_000_000 + n * 113,
		createdBy: uploader.id,
		possibleDuplicateOf: null,
		approvedAt: status === 'pending' ? null : stamp(created + (1 + (index % 5)) * HOUR, index),
		createdAt: stamp(created, index),
		updatedAt: stamp(Math.min(created + ((index * 11) % 200) * DAY + 17 * 60_000, LATEST_UPDATE), index),
		files: filesFor(id, title, author, index),
		uploader: { ...uploader },
		progress: progressFor(created, index),
	};
}

function describe(title: string, author: string, year: number, genres: string[], series: string | undefined, seriesIndex: number | undefined, index: number): string {
	const kind = (genres[0] ?? 'fiction').toLowerCase();
	const parts = [`<p><em>${escapeHtml(title)}</em> is a ${escapeHtml(kind)} work by ${escapeHtml(author)}, first published in ${year}.</p>`];
	if (series !== undefined) parts.push(`<p>Book ${seriesIndex ?? '?'} of the <strong>${escapeHtml(series)}</strong> series.</p>`);
	switch (index % 4) {
		case 0:
			parts.push(`<p>This edition includes:</p><ul><li>the complete original text</li><li>a short introduction</li><li>notes on ${year} publication history</li></ul>`);
			break;
		case 1:
			parts.push(`<p>Read more about it on <a href="https://www.gutenberg.org/ebooks/search/?query=${encodeURIComponent(title)}">Project Gutenberg</a> &amp; at your local library.</p>`);
			break;
		case 2:
			parts.push(`<blockquote><p>A book worth reading twice.</p></blockquote><p>Genres: ${genres.map(escapeHtml).join(', ')}.</p>`);
			break;
		default:
			parts.push('<p>Proofread and formatted by volunteers.<br>Cover art restored from a first-edition scan.</p>');
	}
	return parts.join('\n');
}

function tagsFor(year: number, language: string, index: number): string[] {
	const tags = ['public-domain', `${Math.floor(year / 100) + 1}th-century`];
	if (language !== 'en') tags.push(`lang/${language}`);
	if (index % 6 === 1) tags.push('favourite');
	if (index % 8 === 3) tags.push('book club');
	if (index % 10 === 4) tags.push('to-read');
	return tags;
}

function filesFor(id: string, title: string, author: string, index: number): RawFile[] {
	const formats = [pick(['epub', 'epub', 'pdf', 'mobi', 'azw3'], index)];
	if (index % 3 === 0) formats.push(formats[0] === 'pdf' ? 'epub' : 'pdf');
	if (index % 7 === 0) formats.push('azw3');
	if (index % 11 === 2) formats.push('m4b');
	return [...new Set(formats)].map((format, k) => ({
		id: `fl_${id.slice(3)}_${k + 1}`,
		format,
		originalName: `${author} - ${title}.${format}`,
		fileSize: String(fileSize(format, index)),
	}));
}

function fileSize(format: string, index: number): number {
	const spread = (index * 7919) % 1000;
	switch (format) {
		case 'pdf': return 1_200_000 + spread * 38_113;
		case 'm4b': return 210_000_000 + spread * 691_337;
		case 'mobi':
		case 'azw3': return 400_000 + spread * 2_731;
		default: return 180_000 + spread * 2_917;
	}
}

function progressFor(created: number, index: number): RawProgress | null {
	const kind = index % 10;
	if (kind !== 0 && kind !== 2 && kind !== 5 && kind !== 7) return null;
	const started = created + (3 + (index % 40)) * DAY;
	const last = started + (1 + ((index * 3) % 90)) * DAY + ((index * 53) % 1440) * 60_000;
	const device = pick(DEVICES, index);
	let percentage: number;
	let status: string;
	if (kind === 0) [percentage, status] = [100, 'finished'];
	else if (kind === 2) [percentage, status] = [5 + ((index * 13) % 90) + (index % 3) * 0.25, 'reading'];
	else if (kind === 5) [percentage, status] = [3 + ((index * 29) % 60), 'paused'];
	else [percentage, status] = [0, 'unread'];
	// A few books report progress as a 0..1 fraction, as some servers do.
	if (index % 30 === 2 || index % 30 === 15) percentage = Math.round(percentage) / 100;
	return {
		percentage,
		status,
		lastDevice: status === 'unread' ? null : device,
		// Half the books send epoch seconds, half milliseconds: the contract does not say which.
		lastTimestamp: status === 'unread' ? null : index % 4 < 2 ? Math.floor(last / 1000) : last,
		startedAt: status === 'unread' ? null : new Date(started).toISOString(),
		finishedAt: status === 'finished' ? new Date(last).toISOString() : null,
		pausedAt: status === 'paused' ? new Date(last).toISOString() : null,
		manuallySet: index % 20 === 0,
		externallySet: device === 'Kobo Libra 2' || device === 'KOReader on Boox Note Air2',
	};
}

// Most instants go out as toISOString() does; some without milliseconds, some with a +02:00 offset, as real servers vary.
function stamp(ms: number, index: number): string {
	const iso = new Date(ms).toISOString();
	if (index % 10 === 3) return `${new Date(ms + 2 * HOUR).toISOString().slice(0, 19)}+02:00`;
	if (index % 10 === 6) return `${iso.slice(0, 19)}Z`;
	return iso;
}

function pick<T>(list: readonly T[], index: number): T {
	const value = list[index % list.length];
	if (value === undefined) throw new Error('pick() from an empty list');
	return value;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
