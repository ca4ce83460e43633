/**
 * Server tags and genres made into valid Obsidian tags.
 */

// Characters Obsidian accepts in a tag besides letters, digits and marks.
const NOT_TAG_CHAR = /[^\p{L}\p{M}\p{N}_\-/]/gu;
const HAS_NON_DIGIT = /[^\d/]/;

/** A tag path from free text: per `/` segment, spaces become '-' and invalid characters go. */
function tagPath(raw: string): string {
	return raw
		.normalize('NFC')
		.trim()
		.replace(/^#+/, '')
		.split('/')
		.map((segment) => segment.trim().replace(/\s+/g, '-').replace(NOT_TAG_CHAR, ''))
		.filter((segment) => segment !== '')
		.join('/');
}

/**
 * A valid Obsidian tag (without `#`) for `raw` under `prefix`, or undefined
 * when nothing usable is left. Spaces become `-`; characters other than
 * letters, digits, marks, `_`, `-` and `/` are dropped; empty `/` segments
 * go; a tag made only of digits gets a leading `_` (Obsidian ignores
 * all-digit tags).
 */
export function toTag(raw: string, prefix: string): string | undefined {
	const body = tagPath(raw);
	if (body === '') return undefined;
	const head = tagPath(prefix);
	const tag = head === '' ? body : `${head}/${body}`;
	return HAS_NON_DIGIT.test(tag.replace(/\//g, '')) ? tag : `_${tag}`;
}

/**
 * Valid, distinct tags for the given raw values, in first-seen order.
 * Obsidian compares tags case-insensitively, so duplicates by case go too.
 */
export function toTags(raws: readonly string[], prefix: string): string[] {
	const seen = new Set<string>();
	const tags: string[] = [];
	for (const raw of raws) {
		if (typeof raw !== 'string') continue;
		const tag = toTag(raw, prefix);
		if (tag === undefined) continue;
		const key = tag.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		tags.push(tag);
	}
	return tags;
}
