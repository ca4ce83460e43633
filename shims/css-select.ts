// Stands in for `css-select` in both bundles. node-html-parser needs it only
// for querySelector, querySelectorAll and closest; node-html-markdown never
// calls them, and neither does Library Sync. Dropping it also drops
// css-what, nth-check, domutils, domhandler, dom-serializer and the encode
// half of `entities` (about 70 KB). Should a future caller select with
// CSS, it fails loudly here instead of silently matching nothing.
function unavailable(): never {
	throw new Error('CSS selectors are not available in the Library Sync bundle (shims/css-select.ts): node-html-parser querySelector/closest are not supported.');
}

export function selectAll(): never {
	return unavailable();
}

export function selectOne(): never {
	return unavailable();
}

export function is(): never {
	return unavailable();
}
