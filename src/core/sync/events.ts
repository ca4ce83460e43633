import type { SyncErrorKind } from '../errors';
import type { BookAction, SyncMode, SyncReport } from './report';

/** Progress of a run, for progress bars, notices and the status bar. */
export type SyncEvent =
	| { type: 'start'; mode: SyncMode; since?: string }
	| { type: 'page'; walk: number; page: number; totalPages: number; total: number }
	| { type: 'book'; id: string; action: BookAction | 'failed'; done: number; total: number }
	| { type: 'retry'; attempt: number; delayMs: number; kind: SyncErrorKind; message: string }
	| { type: 'rewalk'; walk: number }
	| { type: 'done'; report: SyncReport };

export type SyncEventListener = (event: SyncEvent) => void;
