/**
 * Server tags and genres made into valid Obsidian tags.
 */

// What Obsidian accepts in a tag ("Tag format" in Obsidian's help): letters, numbers, `_`, `-`,
// `/` for nesting, and "commonly accepted Unicode characters, including emojis and other symbols"
// (emoji with their joiners, variation selectors and skin tones; other symbols such as ★).
// The zero-width joiner that binds an emoji sequence (👩‍💻) stays too; variation selectors are marks.
const NOT_TAG_CHARS = /(?:(?!\u200d)[^\p{L}\p{M}\p{N}_\-/\p{Extended_Pictographic}\p{Emoji_Modifier}\p{So}])+/gu;
const APOSTROPHES = /['\u2019]/g;
const HAS_NON_DIGIT = /[^\d/]/;

/**
 * A tag path from free text, per `/` segment: apostrophes go (`it's` is
 * `its`), every run of what a tag cannot hold (spaces, `&`, `+`,
 * brackets ...) becomes one `-`, and separators left at a segment's ends go.
 */
function tagPath(raw: string): string {
	return raw
		.normalize('NFC')
		.trim()
		.replace(/^#+/, '')
		.split('/')
		.map((segment) => segment.replace(APOSTROPHES, '').replace(NOT_TAG_CHARS, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, ''))
		.filter((segment) => segment !== '')
		.join('/');
}

/**
 * A valid Obsidian tag (without `#`) for `raw` under `prefix`, or undefined
 * when nothing usable is left (see tagPath); empty `/` segments go; a tag
 * made only of digits gets a leading `_` (Obsidian ignores
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
