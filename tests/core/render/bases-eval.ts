/**
 * A small evaluator of the Bases filter language, for exactly the subset
 * that `Library.base` uses, written from Obsidian's help (the pages
 * "Bases syntax", "Views" and "Functions" of obsidianmd/obsidian-help).
 * Obsidian cannot run in a test; this lets a test apply the generated
 * views to the notes of a synced vault and count what each view shows.
 * Anything outside the subset throws, so that a new construct in
 * `Library.base` fails the test until the evaluator learns it.
 */

/** The type a vault gives a property name (Properties: "Once a property type is assigned to a property name, all properties with that name across your vault will use the same type."). */
export type PropertyType = 'text' | 'list' | 'number' | 'checkbox' | 'date' | 'datetime';

/** One note as a base sees it. */
export interface BaseNote {
	path: string;
	properties: Record<string, unknown>;
}

/** How the vault is set up: property types, and what `today()` is. */
export interface BaseContext {
	types: Record<string, PropertyType>;
	today: Date;
}

/** A filter as the `.base` YAML holds it. */
export type Filter = string | { and: Filter[] } | { or: Filter[] } | { not: Filter[] };

/** A view as the evaluator needs it. */
export interface BaseView {
	name: string;
	filters?: Filter;
	groupBy?: { property: string };
}

type Value = string | number | boolean | Date | unknown[] | null;

/**
 * "Filter objects may contain one of `and`, `or`, or `not`. These keys are a
 * heterogeneous list of other filter objects or filter statements in strings."
 * (Bases syntax, Filters). Views: "All the following are true is an `and`
 * statement", "Any of the following are true is an `or` statement", "None of
 * the following are true is a `not` statement — results will not be shown if
 * any of the conditions in the filter group are met."
 */
export function matches(filter: Filter, note: BaseNote, context: BaseContext): boolean {
	if (typeof filter === 'string') return truthy(evaluate(filter, note, context));
	if ('and' in filter) return filter.and.every((item) => matches(item, note, context));
	if ('or' in filter) return filter.or.some((item) => matches(item, note, context));
	if ('not' in filter) return !filter.not.some((item) => matches(item, note, context));
	throw new Error(`Not a filter: ${JSON.stringify(filter)}`);
}

/**
 * The notes a view shows: the global filters and the view's, which "when
 * evaluating for a view they will be concatenated with an `AND`" (Bases
 * syntax, Filters).
 */
export function viewNotes(global: Filter | undefined, view: BaseView, notes: readonly BaseNote[], context: BaseContext): BaseNote[] {
	return notes.filter((note) => (global === undefined || matches(global, note, context)) && (view.filters === undefined || matches(view.filters, note, context)));
}

/** The groups of a grouped view, by the group's label; a note without the property lands in the group named ''. */
export function groups(view: BaseView, notes: readonly BaseNote[], context: BaseContext): Map<string, number> {
	const property = view.groupBy?.property;
	if (property === undefined) throw new Error(`The view "${view.name}" is not grouped.`);
	const counts = new Map<string, number>();
	for (const note of notes) {
		const value = evaluate(property, note, context);
		const label = value === null ? '' : String(value);
		counts.set(label, (counts.get(label) ?? 0) + 1);
	}
	return counts;
}

function truthy(value: Value): boolean {
	return value !== null && value !== false && value !== 0 && value !== '';
}

// ---- statements: a tokenizer and a recursive-descent parser for the subset ----

type Token = { kind: 'name'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; value: number } | { kind: 'op'; text: string } | { kind: 'punct'; text: string };

function tokenize(source: string): Token[] {
	const tokens: Token[] = [];
	let at = 0;
	while (at < source.length) {
		const char = source[at] ?? '';
		if (/\s/.test(char)) {
			at++;
		} else if (/[A-Za-z_]/.test(char)) {
			const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at))?.[0] ?? '';
			tokens.push({ kind: 'name', text: name });
			at += name.length;
		} else if (/[0-9]/.test(char)) {
			const digits = /^[0-9]+(?:\.[0-9]+)?/.exec(source.slice(at))?.[0] ?? '';
			tokens.push({ kind: 'number', value: Number(digits) });
			at += digits.length;
		} else if (char === '"' || char === "'") {
			// "Text literals must be enclosed in single or double quotes." (Bases syntax, Formulas)
			let text = '';
			at++;
			while (at < source.length && source[at] !== char) {
				if (source[at] === '\\') at++;
				text += source[at] ?? '';
				at++;
			}
			if (source[at] !== char) throw new Error(`Unclosed string in: ${source}`);
			at++;
			tokens.push({ kind: 'string', text });
		} else {
			// Comparison operators (Bases syntax, Operators): `==`, `!=`, `>`, `<`, `>=`, `<=`.
			const op = /^(==|!=|>=|<=|>|<)/.exec(source.slice(at))?.[0];
			if (op !== undefined) {
				tokens.push({ kind: 'op', text: op });
				at += op.length;
			} else if ('.()[],'.includes(char)) {
				tokens.push({ kind: 'punct', text: char });
				at++;
			} else {
				throw new Error(`Outside the subset: "${char}" in ${source}`);
			}
		}
	}
	return tokens;
}

/** Evaluates one filter statement (or a property reference) against a note. */
export function evaluate(source: string, note: BaseNote, context: BaseContext): Value {
	const tokens = tokenize(source);
	let at = 0;
	const peek = (): Token | undefined => tokens[at];
	const take = (): Token => {
		const token = tokens[at++];
		if (token === undefined) throw new Error(`Unexpected end of: ${source}`);
		return token;
	};
	const expect = (text: string): void => {
		const token = take();
		if (!('text' in token) || token.text !== text) throw new Error(`Expected "${text}" in: ${source}`);
	};
	const isPunct = (text: string): boolean => {
		const token = peek();
		return token?.kind === 'punct' && token.text === text;
	};

	const args = (): Value[] => {
		expect('(');
		const values: Value[] = [];
		while (!isPunct(')')) {
			values.push(operand());
			if (isPunct(',')) take();
		}
		expect(')');
		return values;
	};

	const operand = (): Value => {
		const token = take();
		if (token.kind === 'string') return token.text;
		if (token.kind === 'number') return token.value;
		if (token.kind !== 'name') throw new Error(`Outside the subset: ${source}`);
		let value: Value;
		if (token.text === 'file') {
			expect('.');
			const member = take();
			if (member.kind !== 'name') throw new Error(`Outside the subset: ${source}`);
			value = fileMember(member.text, args(), note);
		} else if (token.text === 'note') {
			// "Note properties ... For example `note.price` or `note["price"]`." (Bases syntax, Formulas)
			let name: string;
			if (isPunct('[')) {
				take();
				const key = take();
				if (key.kind !== 'string') throw new Error(`Outside the subset: ${source}`);
				name = key.text;
				expect(']');
			} else {
				expect('.');
				const key = take();
				if (key.kind !== 'name') throw new Error(`Outside the subset: ${source}`);
				name = key.text;
			}
			value = property(note, name, context);
		} else if (token.text === 'today') {
			// "The global function `today()` can be used to get the current date" (Bases syntax, Date arithmetic).
			args();
			value = new Date(Date.UTC(context.today.getUTCFullYear(), context.today.getUTCMonth(), context.today.getUTCDate()));
		} else if (token.text === 'true' || token.text === 'false') {
			value = token.text === 'true';
		} else {
			throw new Error(`Outside the subset: "${token.text}" in ${source}`);
		}
		// Date fields: "`date.year` | `number` | The year of the date" (Functions, Date).
		while (isPunct('.')) {
			take();
			const field = take();
			if (field.kind !== 'name' || field.text !== 'year') throw new Error(`Outside the subset: ${source}`);
			value = value instanceof Date ? value.getUTCFullYear() : null;
		}
		return value;
	};

	const left = operand();
	const op = peek();
	let result: Value = left;
	if (op !== undefined) {
		if (op.kind !== 'op') throw new Error(`Outside the subset: ${source}`);
		take();
		result = compare(left, op.text, operand());
	}
	if (at !== tokens.length) throw new Error(`Outside the subset: ${source}`);
	return result;
}

/**
 * File members: "`file.inFolder(folder: string): boolean` ... Returns true if
 * the file is in the specified folder or one of its sub-folders." and
 * "`file.hasProperty(name: string): boolean` - Returns `true` if the file has
 * the given property." (Functions, File).
 */
function fileMember(name: string, args: Value[], note: BaseNote): Value {
	const [first] = args;
	if (typeof first !== 'string') throw new Error(`file.${name} takes a string`);
	if (name === 'inFolder') return note.path.startsWith(`${first}/`);
	if (name === 'hasProperty') return Object.prototype.hasOwnProperty.call(note.properties, first) && note.properties[first] !== null;
	throw new Error(`Outside the subset: file.${name}`);
}

/**
 * A note property as its vault type reads it: a Date & time or Date
 * property is a date (so `.year` works), anything else stays what the
 * YAML holds; a text property holding a date is only text.
 */
function property(note: BaseNote, name: string, context: BaseContext): Value {
	const raw = Object.prototype.hasOwnProperty.call(note.properties, name) ? note.properties[name] : undefined;
	if (raw === undefined || raw === null) return null;
	const type = context.types[name] ?? 'text';
	if (type === 'date' || type === 'datetime') {
		if (typeof raw !== 'string') return null;
		// Notes hold local times in the configured zone (UTC in these tests).
		const time = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(raw) ? raw : `${raw}Z`);
		return Number.isFinite(time) ? new Date(time) : null;
	}
	if (type === 'number') return typeof raw === 'number' ? raw : null;
	return raw as Value;
}

/**
 * "Comparison operators can be used to compare numbers, or Date objects.
 * Equal and not equal can be used with any kind of value" (Bases syntax,
 * Comparison operators). A missing value compares false.
 */
function compare(left: Value, op: string, right: Value): boolean {
	if (op === '==') return left !== null && same(left, right);
	if (op === '!=') return !(left !== null && same(left, right));
	if (left === null || right === null) return false;
	const a = left instanceof Date ? left.getTime() : left;
	const b = right instanceof Date ? right.getTime() : right;
	if (typeof a !== 'number' || typeof b !== 'number') return false;
	if (op === '>') return a > b;
	if (op === '<') return a < b;
	if (op === '>=') return a >= b;
	if (op === '<=') return a <= b;
	throw new Error(`Outside the subset: ${op}`);
}

function same(left: Value, right: Value): boolean {
	if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
	return left === right;
}
