import { once } from 'node:events';
import { inertJson, inertText } from '../core/text/inert-text';

/**
 * Everything the command prints goes through here: a message is one line
 * (or a heading and its indented lines), with the token redacted and every
 * control, bidi and line-break character from the server or the vault
 * made visible (inertText), so no title can move the cursor, rename the
 * terminal or forge a line of output. JSON keeps its values and is only
 * escaped the JSON way.
 */
export class Output {
	constructor(
		private readonly token: string | undefined,
		private readonly streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = { stdout: process.stdout, stderr: process.stderr },
	) {}

	/** Lines on standard output, each made one safe line. */
	say(...lines: string[]): void {
		this.streams.stdout.write(lines.map((line) => `${this.clean(line)}\n`).join(''));
	}

	/** `library-sync: <message>` on standard error, then the indented detail lines, each one safe line. */
	error(message: string, detail: readonly string[] = []): void {
		this.streams.stderr.write([`library-sync: ${this.clean(message)}`, ...detail.map((line) => this.clean(line))].map((line) => `${line}\n`).join(''));
	}

	/** A piece of JSON on standard output, waiting while the reader is behind. */
	async json(piece: string): Promise<void> {
		if (!this.streams.stdout.write(inertJson(this.redact(piece)))) await once(this.streams.stdout, 'drain');
	}

	private clean(line: string): string {
		return inertText(this.redact(line));
	}

	/** Belt and braces: no message leaves the process with the token in it. */
	private redact(text: string): string {
		const token = this.token;
		return token && token.length >= 4 ? text.split(token).join('[token]') : text;
	}
}
