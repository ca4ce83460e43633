import type { BookRecord } from '../core/api/record';

/** The book the settings tab previews file names with. */
export const EXAMPLE_BOOK: BookRecord = {
	id: 'bk_0042',
	title: 'The Hound of the Baskervilles',
	author: 'Arthur Conan Doyle',
	series: 'Sherlock Holmes',
	seriesIndex: 5,
	publishedYear: 1902,
	isbn13: '9780140437867',
	genres: ['Mystery'],
	tags: ['classic'],
	files: [],
};
