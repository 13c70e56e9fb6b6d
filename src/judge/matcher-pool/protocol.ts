import type { BankSet, Verdict } from '../../domain/types.js';

/**
 * What the main thread tells a matcher worker at start: the banks themselves, cloned, rather than
 * their paths — parsing the YAML again would cost each worker tens of megabytes for nothing.
 */
export interface WorkerSetup {
  banks: BankSet;
  phrasesFile?: string;
}

export type ToWorker = { id: number; questionId: string; turn: number; answer: string };

export type FromWorker =
  | { type: 'ready'; version: string }
  | { type: 'failed'; message: string }
  | { id: number; verdict: Verdict }
  /** The matcher threw (a bug): its message and stack, so the error reported is the worker's own. */
  | { id: number; error: string; stack?: string };
