/**
 * Well-formed (made-up) ISBNs for sample and synthetic books: the same nine
 * body digits give a matching ISBN-10 and ISBN-13, each with a valid check digit.
 */

/** The ISBN-10 for a nine-digit body (check digit may be `X`). */
export function isbn10(body9: string): string {
	assertBody(body9);
	let sum = 0;
	for (let i = 0; i < 9; i++) sum += (10 - i) * Number(body9[i]);
	const check = (11 - (sum % 11)) % 11;
	return body9 + (check === 10 ? 'X' : String(check));
}

/** The 978-prefixed ISBN-13 for a nine-digit body. */
export function isbn13(body9: string): string {
	assertBody(body9);
	const twelve = `978${body9}`;
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(twelve[i]);
	return twelve + String((10 - (sum % 10)) % 10);
}

/** A nine-digit body derived from a number (stable, zero-padded). */
export function isbnBody(n: number): string {
	return String(Math.abs(Math.trunc(n)) % 1_000_000_000).padStart(9, '0');
}

function assertBody(body9: string): void {
	if (!/^\d{9}$/.test(body9)) throw new Error(`An ISBN body is nine digits, got ${body9}`);
}
