/* eslint-disable no-control-regex -- the terminal's escape sequences are what these tests read */
import type { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/progress';

/** A terminal that keeps what was drawn: the last line after each carriage return. */
function terminal(): { stream: WriteStream; lines: string[] } {
	const lines: string[] = [];
	const stream = {
		write(text: string) {
			for (const part of text.split('\r')) {
				const line = part.replace(/\u001b\[K/g, '');
				if (line !== '') lines.push(line);
			}
			return true;
		},
	} as unknown as WriteStream;
	return { stream, lines };
}

const page = (n: number, total = 20_000) => ({ type: 'page' as const, walk: 1, page: n, totalPages: 40, total });
const book = (done: number, total = 20_000) => ({ type: 'book' as const, id: `b${done}`, action: 'created' as const, done, total });

describe('the progress bar', () => {
	it('only moves forward: a new page does not draw it back at 0', () => {
		const { stream, lines } = terminal();
		let now = 0;
		const bar = new ProgressBar(stream, () => now);
		bar.handle(page(1));
		now += 1000;
		bar.handle(book(500));
		now += 1000;
		bar.handle(page(2));
		now += 1000;
		bar.handle(book(1000));
		const counts = lines.map((line) => Number((/ ([\d,]+)\/20,000 books/.exec(line)?.[1] ?? 'NaN').replace(/,/g, '')));
		expect(counts.every((count) => Number.isFinite(count))).toBe(true);
		expect(counts.slice(1).every((count, i) => count >= (counts[i] as number))).toBe(true);
		expect(lines.some((line) => line.includes(' 500/20,000 books'))).toBe(true);
	});

	it('shows the time left once it can estimate it', () => {
		const { stream, lines } = terminal();
		let now = 0;
		const bar = new ProgressBar(stream, () => now);
		bar.handle(page(1));
		expect(lines.at(-1)).not.toMatch(/left/);
		now += 10_000;
		bar.handle(book(1000));
		now += 10_000;
		bar.handle(book(2000));
		// 2,000 books in 20 s: 18,000 to go take about 3 minutes.
		expect(lines.at(-1)).toMatch(/2,000\/20,000 books, about 3 min left$/);
	});

	it('shows a retry note from the server as one safe line', () => {
		const { stream, lines } = terminal();
		const bar = new ProgressBar(stream, () => 0);
		bar.handle({ type: 'retry', attempt: 1, delayMs: 2000, kind: 'http', message: 'Busy\u001b]0;x\u0007\nforged' });
		expect(lines.join('\n')).not.toMatch(/\u001b|\u0007/);
		expect(lines.join('')).toContain('Busy\\x1b]0;x\\x07\\nforged Retrying in 2 s');
	});
});
/* eslint-enable no-control-regex -- end of the file */
