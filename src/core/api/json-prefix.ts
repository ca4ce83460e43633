/**
 * True when `text` is the beginning of a JSON document that stops before
 * its end: everything present is valid JSON so far, and only the end is
 * missing (an unclosed object, array, string or literal, a number that may
 * go on). That is what a stream cut by a proxy or a restart looks like. A
 * complete document, or one with an error before the end (a stray
 * character, a bad escape, text after the document), is not a prefix.
 * Whitespace alone, or nothing, is the prefix of any document. One pass, no
 * recursion, so a deeply nested or 32 MB body costs one scan.
 */
export function isJsonPrefix(text: string): boolean {
	const scan = new PrefixScan(text);
	return scan.run();
}

/** What may come next at the current position. */
type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER_CHARS = /[-+.eE0-9]/;
const COMPLETE_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_START = /^-?(?:(?:0|[1-9]\d*)(?:\.\d*)?)?$|^-?(?:0|[1-9]\d*)(?:\.\d+)?[eE][+-]?\d*$/;
const LITERALS = ['true', 'false', 'null'];

class PrefixScan {
	private at = 0;
	private expect: Expect = 'value';
	/** Open containers, innermost last: '{' or '['. */
	private readonly open: string[] = [];

	constructor(private readonly text: string) {}

	/** True when the text ends inside the document; false on an error or a complete document. */
	run(): boolean {
		const { text } = this;
		while (this.at < text.length) {
			const code = text.charCodeAt(this.at);
			if (WHITESPACE.has(code)) {
				this.at += 1;
				continue;
			}
			const step = this.step(text[this.at] ?? '');
			if (step === 'error') return false;
			if (step === 'cut') return true;
		}
		return this.expect !== 'end';
	}

	/** One token at the current position: 'ok' (consumed), 'cut' (the text ends inside it) or 'error'. */
	private step(char: string): 'ok' | 'cut' | 'error' {
		switch (this.expect) {
			case 'end':
				return 'error';
			case 'colon':
				if (char !== ':') return 'error';
				this.at += 1;
				this.expect = 'value';
				return 'ok';
			case 'comma-or-close':
				if (char === ',') {
					this.at += 1;
					this.expect = this.open.at(-1) === '{' ? 'key' : 'value';
					return 'ok';
				}
				return this.close(char);
			case 'key-or-close':
				if (char === '}') return this.close(char);
				return this.key(char);
			case 'key':
				return this.key(char);
			case 'value-or-close':
				if (char === ']') return this.close(char);
				return this.value(char);
			case 'value':
				return this.value(char);
		}
	}

	private key(char: string): 'ok' | 'cut' | 'error' {
		if (char !== '"') return 'error';
		const result = this.string();
		if (result === 'ok') this.expect = 'colon';
		return result;
	}

	private close(char: string): 'ok' | 'error' {
		const expected = this.open.at(-1) === '{' ? '}' : ']';
		if (this.open.length === 0 || char !== expected) return 'error';
		this.open.pop();
		this.at += 1;
		this.afterValue();
		return 'ok';
	}

	private afterValue(): void {
		this.expect = this.open.length === 0 ? 'end' : 'comma-or-close';
	}

	private value(char: string): 'ok' | 'cut' | 'error' {
		if (char === '{' || char === '[') {
			this.open.push(char);
			this.at += 1;
			this.expect = char === '{' ? 'key-or-close' : 'value-or-close';
			return 'ok';
		}
		let result: 'ok' | 'cut' | 'error';
		if (char === '"') result = this.string();
		else if (char === '-' || (char >= '0' && char <= '9')) result = this.number();
		else result = this.literal();
		if (result === 'ok') this.afterValue();
		return result;
	}

	/** A string from its opening quote. */
	private string(): 'ok' | 'cut' | 'error' {
		const { text } = this;
		let i = this.at + 1;
		while (i < text.length) {
			const code = text.charCodeAt(i);
			if (code === 0x22) {
				this.at = i + 1;
				return 'ok';
			}
			if (code < 0x20) return 'error';
			if (code === 0x5c) {
				const next = text[i + 1];
				if (next === undefined) return 'cut';
				if (next === 'u') {
					const hex = text.slice(i + 2, i + 6);
					if (!/^[0-9a-fA-F]*$/.test(hex)) return 'error';
					if (hex.length < 4) return 'cut';
					i += 6;
					continue;
				}
				if (!ESCAPES.has(next)) return 'error';
				i += 2;
				continue;
			}
			i += 1;
		}
		return 'cut';
	}

	private number(): 'ok' | 'cut' | 'error' {
		const { text } = this;
		let end = this.at;
		while (end < text.length && NUMBER_CHARS.test(text[end] ?? '')) end += 1;
		const token = text.slice(this.at, end);
		if (end === text.length) return NUMBER_START.test(token) || COMPLETE_NUMBER.test(token) ? 'cut' : 'error';
		if (!COMPLETE_NUMBER.test(token)) return 'error';
		this.at = end;
		return 'ok';
	}

	private literal(): 'ok' | 'cut' | 'error' {
		const rest = this.text.slice(this.at, this.at + 5);
		for (const literal of LITERALS) {
			if (rest.startsWith(literal)) {
				this.at += literal.length;
				return 'ok';
			}
			if (this.at + rest.length === this.text.length && rest.length < literal.length && literal.startsWith(rest)) return 'cut';
		}
		return 'error';
	}
}
