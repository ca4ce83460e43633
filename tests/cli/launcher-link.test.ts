import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerWrites, LauncherLink, WRITES_PER_MESSAGE, type ToWorker } from '../../src/cli/launcher-link';

describe('LauncherLink and answerWrites (the command on its worker, the launcher writing its notes)', () => {
	let dir: string;
	let launcher: MessagePort;
	let link: LauncherLink;

	beforeEach(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'library-sync-link-'));
		const channel = new MessageChannel();
		launcher = channel.port1;
		answerWrites(launcher);
		link = new LauncherLink(channel.port2, true);
	});
	afterEach(async () => {
		launcher.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('creates and replaces notes on the other side, leaving no temporary file behind', async () => {
		const note = path.join(dir, 'Émma.md');
		await link.write({ kind: 'create', target: note, data: 'first ✓\n' });
		expect(await readFile(note, 'utf8')).toBe('first ✓\n');
		await link.write({ kind: 'replace', target: note, data: 'second\n' });
		expect(await readFile(note, 'utf8')).toBe('second\n');
		expect(await readdir(dir)).toEqual(['Émma.md']);
	});

	it('brings the file system code back: a create never overwrites, and the link goes on working', async () => {
		const mine = path.join(dir, 'Mine.md');
		await writeFile(mine, 'the user wrote this\n');
		await expect(link.write({ kind: 'create', target: mine, data: 'sync wrote this\n' })).rejects.toMatchObject({ code: 'EEXIST' });
		await expect(link.write({ kind: 'create', target: path.join(dir, 'missing', 'a.md'), data: 'x' })).rejects.toMatchObject({ code: 'ENOENT' });
		expect(await readFile(mine, 'utf8')).toBe('the user wrote this\n');
		await link.write({ kind: 'create', target: path.join(dir, 'b.md'), data: 'y' });
		expect((await readdir(dir)).sort()).toEqual(['Mine.md', 'b.md']);
	});

	it('writes bytes the caller gives without taking them away from it', async () => {
		const bytes = new TextEncoder().encode('bytes ✓\n');
		await link.write({ kind: 'create', target: path.join(dir, 'bytes.md'), data: bytes });
		expect(await readFile(path.join(dir, 'bytes.md'), 'utf8')).toBe('bytes ✓\n');
		expect(new TextDecoder().decode(bytes)).toBe('bytes ✓\n');
	});

	it('settles each of many writes at once with its own outcome', async () => {
		const names = Array.from({ length: 200 }, (_, i) => path.join(dir, `n${i}.md`));
		await writeFile(names[7] as string, 'taken\n');
		const outcomes = await Promise.allSettled(names.map((target, i) => link.write({ kind: 'create', target, data: `note ${i}\n` })));
		expect(outcomes.filter((outcome) => outcome.status === 'rejected').length).toBe(1);
		expect(outcomes[7]?.status).toBe('rejected');
		expect(await readFile(names[199] as string, 'utf8')).toBe('note 199\n');
	});

	it('hands many writes over in a few messages, each answered once its batch is written', async () => {
		let messages = 0;
		launcher.on('message', () => {
			messages += 1;
		});
		const names = Array.from({ length: 200 }, (_, i) => path.join(dir, `m${i}.md`));
		await Promise.all(names.map((target, i) => link.write({ kind: 'create', target, data: `note ${i}\n` })));
		expect((await readdir(dir)).length).toBe(200);
		// One message a write before: 200.
		expect(messages).toBe(200 / WRITES_PER_MESSAGE);
		await link.write({ kind: 'create', target: path.join(dir, 'alone.md'), data: 'x' });
		expect(messages).toBe(200 / WRITES_PER_MESSAGE + 1);
	});

	it('fails every write of a batch that cannot be handed over, and leaves none waiting', async () => {
		const port = {
			on: () => port,
			ref: () => undefined,
			unref: () => undefined,
			postMessage: () => {
				throw new Error('the port is closed');
			},
		};
		const broken = new LauncherLink(port as unknown as MessagePort, false);
		const writes = Array.from({ length: WRITES_PER_MESSAGE + 3 }, (_, i) => broken.write({ kind: 'create', target: path.join(dir, `x${i}.md`), data: 'x' }));
		const outcomes = await Promise.allSettled(writes);
		expect(outcomes.map((outcome) => outcome.status)).toEqual(writes.map(() => 'rejected'));
		expect(outcomes[0]).toMatchObject({ reason: { message: 'the port is closed' } });
	});

	it('tells the command of Ctrl-C until it stops listening', async () => {
		let heard = 0;
		const stop = link.onCancel(() => {
			heard += 1;
		});
		const cancel = async (): Promise<void> => {
			launcher.postMessage({ type: 'cancel' } satisfies ToWorker);
			// A write's answer comes after the cancel message: by then it has been heard.
			await link.write({ kind: 'create', target: path.join(dir, `after-${heard}-${Date.now()}.md`), data: '' });
		};
		await cancel();
		expect(heard).toBe(1);
		stop();
		await cancel();
		expect(heard).toBe(1);
	});
});
