/**
 * Synthetic libraries of any size for load tests and the benchmark:
 * deterministic from a seed (a small PRNG, never Math.random or the clock),
 * realistic in size and shape, unique titles mostly with some collisions.
 */
import { isbn10, isbn13, isbnBody } from './isbn';
import type { RawBook, RawFile, RawProgress } from './raw-book';

const ADJECTIVES = ['Silent', 'Crimson', 'Hidden', 'Last', 'Forgotten', 'Golden', 'Broken', 'Distant', 'Iron', 'Hollow', 'Burning', 'Quiet', 'Wandering', 'Secret', 'Northern', 'Glass', 'Winter', 'Shattered', 'Little', 'Endless'] as const;
const NOUNS = ['Harbour', 'Garden', 'Kingdom', 'River', 'Lantern', 'Orchard', 'Tower', 'Voyage', 'Letter', 'Mountain', 'Island', 'Clockmaker', 'Daughter', 'Archive', 'Storm', 'Compass', 'Forest', 'Mirror', 'Station', 'Cartographer'] as const;
const PLACES = ['of Glass', 'of the North', 'at Midnight', 'in Winter', 'of Ash', 'by the Sea', 'of Small Hours', 'Beyond the Hills', 'of the Lost', 'under Stars'] as const;
const FIRST = ['Ada', 'Bram', 'Clara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kaja', 'Luis', 'Mei', 'Nadia', 'Oskar', 'Priya'] as const;
const LAST = ['Abernathy', 'Brooks', 'Castellano', 'Duval', 'Eriksen', 'Fontaine', 'Grünwald', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov'] as const;
const GENRES = ['Fantasy', 'Science Fiction', 'Mystery', 'Romance', 'Historical Fiction', 'Thriller', 'Horror', 'Poetry', 'Biography', 'Essays'] as const;
const TAGS = ['to-read', 'favourite', 'book club', 'signed', 'gift', 'reread', 'borrowed'] as const;
const LANGUAGES = ['en', 'en', 'en', 'en', 'fr', 'de', 'es', 'ru'] as const;
const FORMATS = ['epub', 'epub', 'pdf', 'mobi', 'azw3', 'cbz', 'm4b'] as const;
const DEVICES = ['Kobo Libra 2', 'iPad', 'Kindle Paperwhite', 'Pixel 7', 'Web Reader'] as const;
const STATUSES = ['reading', 'reading', 'finished', 'paused', 'unread'] as const;
const WORDS = ['the', 'a', 'quiet', 'city', 'remembers', 'every', 'storm', 'that', 'crossed', 'its', 'harbour', 'and', 'one', 'letter', 'changes', 'how', 'family', 'tells', 'story', 'of', 'winter', 'old', 'map', 'leads', 'north'] as const;

const FROM = Date.UTC(2023, 0, 1);
const SPAN = Date.UTC(2025, 11, 31) - FROM;
const DAY = 86_400_000;

/** A deterministic PRNG (mulberry32): the same seed gives the same sequence on every platform. */
export function createRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `count` synthetic books (ids `sy_000001`...), identical for the same count and seed. */
export function syntheticLibrary(count: number, seed = 1): RawBook[] {
	const random = createRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
	const books: RawBook[] = [];
	for (let i = 0; i < count; i++) {
		const n = i + 1;
		const id = `sy_${String(n).padStart(6, '0')}`;
		// About one book in 150 reuses an earlier title, as real libraries hold several editions.
		const earlier = i > 0 && random() < 1 / 150 ? books[Math.floor(random() * i)] : undefined;
		const title = earlier?.title ?? `The ${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(PLACES)} ${n}`;
		const author = `${pick(FIRST)} ${pick(LAST)}`;
		const created = FROM + Math.floor(random() * SPAN * 0.9);
		const updated = created + Math.floor(random() * (FROM + SPAN - created));
		const body = isbnBody(seed * 1_000_003 + n * 7_919);
		const inSeries = random() < 0.25;
		books.push({
			id,
			status: random() < 0.95 ? 'approved' : 'pending',
			title,
			author,
			isbn10: isbn10(body),
			isbn13: isbn13(body),
			publisher: `${pick(LAST)} & ${pick(LAST)}`,
			publishedYear: 1850 + Math.floor(random() * 175),
			language: pick(LANGUAGES),
			description: description(random, pick, title),
			coverUrl: `/covers/${id}.jpg`,
			coverPath: `/srv/library/covers/${id}.jpg`,
			pageCount: 80 + Math.floor(random() * 900),
			series: inSeries ? `${pick(NOUNS)} Cycle` : null,
			seriesIndex: inSeries ? 1 + Math.floor(random() * 8) : null,
			genres: [pick(GENRES), pick(GENRES)].filter((g, k, all) => all.indexOf(g) === k),
			tags: random() < 0.4 ? [pick(TAGS)] : [],
			hardcoverBookId: random() < 0.8 ? 10_000 + Math.floor(random() * 900_000) : null,
			hardcoverEditionId: random() < 0.7 ? 1_000_000 + Math.floor(random() * 9_000_000) : null,
			createdBy: `usr_${String(1 + Math.floor(random() * 5)).padStart(2, '0')}`,
			possibleDuplicateOf: earlier?.id ?? null,
			approvedAt: new Date(created + Math.floor(random() * DAY)).toISOString(),
			createdAt: new Date(created).toISOString(),
			updatedAt: new Date(updated).toISOString(),
			files: files(random, pick, id, title),
			uploader: { id: 'usr_01', label: 'Importer' },
			progress: random() < 0.35 ? progress(random, pick, created) : null,
		});
	}
	return books;
}

type Pick = <T>(list: readonly T[]) => T;

function description(random: () => number, pick: Pick, title: string): string {
	const sentence = (): string => {
		const words: string[] = [];
		const length = 8 + Math.floor(random() * 10);
		for (let k = 0; k < length; k++) words.push(pick(WORDS));
		const text = words.join(' ');
		return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
	};
	const paragraphs = [`<p><em>${title}</em>: ${sentence()} ${sentence()}</p>`, `<p>${sentence()} ${sentence()} ${sentence()}</p>`];
	if (random() < 0.3) paragraphs.push(`<ul><li>${sentence()}</li><li>${sentence()}</li></ul>`);
	if (random() < 0.2) paragraphs.push('<p>More at <a href="https://example.org/reviews">the review site</a>.</p>');
	return paragraphs.join('\n');
}

function files(random: () => number, pick: Pick, id: string, title: string): RawFile[] {
	const count = 1 + Math.floor(random() * random() * 3);
	const result: RawFile[] = [];
	for (let k = 0; k < count; k++) {
		const format = pick(FORMATS);
		const size = format === 'm4b' ? 100_000_000 + Math.floor(random() * 800_000_000) : 100_000 + Math.floor(random() * 20_000_000);
		result.push({ id: `${id.replace('sy_', 'sf_')}_${k + 1}`, format, originalName: `${title}.${format}`, fileSize: String(size) });
	}
	return result;
}

function progress(random: () => number, pick: Pick, created: number): RawProgress {
	const status = pick(STATUSES);
	const started = created + Math.floor(random() * 60 * DAY);
	const last = started + Math.floor(random() * 90 * DAY);
	const percentage = status === 'finished' ? 100 : status === 'unread' ? 0 : Math.round(random() * 9900) / 100;
	return {
		percentage,
		status,
		lastDevice: status === 'unread' ? null : pick(DEVICES),
		lastTimestamp: status === 'unread' ? null : random() < 0.5 ? Math.floor(last / 1000) : last,
		startedAt: status === 'unread' ? null : new Date(started).toISOString(),
		finishedAt: status === 'finished' ? new Date(last).toISOString() : null,
		pausedAt: status === 'paused' ? new Date(last).toISOString() : null,
		manuallySet: random() < 0.1,
		externallySet: random() < 0.3,
	};
}
