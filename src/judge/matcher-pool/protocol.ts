import type { Verdict } from '../../domain/types.js';

/** What the main thread tells a matcher worker at start. */
export interface WorkerSetup {
  bankPaths: string[];
  /** The banks the main thread loaded; a worker that reads other content refuses to judge. */
  banksHash: string;
  phrasesFile?: string;
}

export type ToWorker = { id: number; questionId: string; turn: number; answer: string };

export type FromWorker =
  | { type: 'ready'; version: string }
  | { type: 'failed'; message: string }
  | { id: number; verdict: Verdict }
  | { id: number; error: string };
