import type { BookRecord } from '../../../src/core/api/record';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../../src/core/render/options';

/** Options used by the golden notes: a non-UTC zone so zone handling shows. */
export const GOLDEN_OPTIONS: RenderOptions = {
	...DEFAULT_RENDER_OPTIONS,
	timeZone: 'Europe/Berlin',
	serverUrl: 'https://books.example.org/library',
	tagPrefix: 'books',
	genresAsTags: true,
	links: { author: true, series: true, publisher: false, genres: false },
};

const utc = (iso: string): number => Date.parse(iso);

export function fullRecord(): BookRecord {
	return {
		id: 'b7e1c2d4-0000-4a5b-9c8d-123456789abc',
		status: 'approved',
		title: 'Dune: Deluxe Edition',
		author: 'Frank Herbert',
		isbn10: '0441013597',
		isbn13: '9780441013593',
		publisher: 'Ace',
		publishedYear: 1965,
		language: 'en',
		description: '<p>Set on the desert planet <b>Arrakis</b>, <i>Dune</i> is the story of Paul Atreides.</p><p>See <a href="https://example.org/dune">the site</a>.</p>',
		coverUrl: '/covers/dune.jpg',
		coverPath: 'covers/ab/dune.jpg',
		pageCount: 896,
		series: 'Dune',
		seriesIndex: 1,
		genres: ['Science Fiction', 'Classics'],
		tags: ['space opera', 'favourite', '1965'],
		hardcoverBookId: 312460,
		hardcoverEditionId: 30405274,
		createdBy: 'admin',
		possibleDuplicateOf: 'c0ffee00-0000-4000-8000-000000000001',
		approvedAt: utc('2024-03-31T00:30:00Z'),
		createdAt: utc('2024-01-15T09:05:07Z'),
		updatedAt: utc('2024-07-01T12:00:00Z'),
		files: [
			{ id: 'f1', format: 'EPUB', originalName: 'Dune - Frank Herbert.epub', fileSize: '1234567' },
			{ id: 'f2', format: 'pdf', originalName: 'dune.pdf', fileSize: '98765432109' },
			{ id: 'f3', format: 'epub', originalName: 'dune (1).epub', fileSize: '999' },
		],
		uploader: { id: 'u1', label: 'Alice' },
		progress: {
			percentage: 42.5,
			status: 'reading',
			lastDevice: 'Kobo Clara',
			lastTimestamp: utc('2024-10-27T01:30:00Z'),
			startedAt: utc('2024-02-01T18:00:00Z'),
			pausedAt: undefined,
			finishedAt: undefined,
			manuallySet: false,
			externallySet: true,
		},
	};
}

export function minimalRecord(): BookRecord {
	return { id: 'min-1', genres: [], tags: [], files: [] };
}

export function hostileRecord(): BookRecord {
	return {
		id: '000123',
		title: 'Evil <script>alert(1)</script> [[Home]] #tag %%x%% <% tp.file.title %>\nsecond line',
		author: 'true',
		isbn13: '9780000000002',
		publisher: '---',
		language: 'null',
		series: 'Série: "quoted" | piped',
		seriesIndex: 1.5,
		description: [
			'<h1>Title</h1>',
			'<p>Hi <img src="http://tracker.example/pixel.gif" alt="pixel"> <a href="obsidian://open?vault=x">open vault</a>',
			' <a href="javascript:alert(1)">click</a> <a href="data:text/html,x">data</a> <a href="https://ok.example/">fine</a></p>',
			'<!-- hidden comment --><iframe src="https://evil.example"></iframe><script>alert(2)</script>',
			'<pre><code class="language-dataviewjs">dv.paragraph("pwned")\n&lt;!-- library-sync:end --&gt;</code></pre>',
			'<p><code>= this.file.name</code> and <code>$= dv.current()</code> and <% tp.system.prompt() %> and %%secret%%</p>',
			'<p>![[http://evil.example/a.png]] ![[Private note]] [[Link]] key:: value ---</p>',
			'<p>&lt;!-- library-sync:begin --&gt;</p>',
		].join(''),
		coverUrl: 'javascript:alert(1)',
		coverPath: '../../etc/passwd',
		genres: ['#Sci Fi', '  ', '123', 'a/b//c'],
		tags: ['tag with spaces', '#hash', 'Tag With Spaces', 'émigré', '!!!'],
		files: [{ format: '.EPUB', originalName: 'a|b`c`.epub', fileSize: 'lots' }],
		uploader: { id: 'u-9' },
		progress: { percentage: 100, status: 'finished', lastDevice: 'Kobo <b>x</b>\n| injected |', finishedAt: utc('2024-03-31T01:30:00Z') },
		createdAt: Number.NaN,
	};
}
