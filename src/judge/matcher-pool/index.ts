import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BankSet, Judge, JudgeInput, Verdict } from '../../domain/types.js';
import { MATCHER_JUDGE } from '../modes.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

/** Compiled, the worker is plain JavaScript; from sources, a shim first registers the TypeScript loader. */
const WORKER_ENTRY = import.meta.url.endsWith('.js') ? new URL('./worker.js', import.meta.url) : new URL('./worker-entry.mjs', import.meta.url);

interface MatcherPoolOptions {
  banks: BankSet;
  /** Threads; the main thread keeps the rest of the run (HTTP, SQLite). @default cores − 1, at least 1 */
  size?: number;
  phrasesFile?: string;
}

interface MatcherPool extends Judge {
  close(): Promise<void>;
}

/**
 * The matcher judge on worker threads: the same verdicts as `createMatcherJudge`, computed off the
 * main thread so that judging does not slow asking. Each worker gets a copy of the main thread's banks.
 */
export async function createMatcherPool(opts: MatcherPoolOptions): Promise<MatcherPool> {
  const size = opts.size ?? Math.max(1, availableParallelism() - 1);
  const setup: WorkerSetup = { banks: opts.banks, ...(opts.phrasesFile && { phrasesFile: opts.phrasesFile }) };
  const pending = new Map<number, { resolve: (v: Verdict) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const workers = await Promise.all(
    Array.from({ length: size }, async () => {
      const worker = new Worker(WORKER_ENTRY, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 96 } });
      const version = await new Promise<string>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', (m: FromWorker) => {
          if ('type' in m && m.type === 'ready') resolve(m.version);
          else reject(new Error(`[govbench] [matcher] worker could not start: ${'message' in m ? m.message : 'unknown'}`));
        });
      });
      worker.on('message', (m: FromWorker) => {
        if (!('id' in m)) return;
        const p = pending.get(m.id);
        pending.delete(m.id);
        if ('verdict' in m) p?.resolve(m.verdict);
        else p?.reject(workerError(m));
      });
      worker.on('error', (err) => {
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      });
      return { worker, version };
    }),
  );
  let turn = 0;
  return {
    name: MATCHER_JUDGE,
    version: workers[0]!.version,
    judge(input: JudgeInput): Promise<Verdict> {
      const id = nextId++;
      const { worker } = workers[turn++ % workers.length]!;
      const message: ToWorker = { id, questionId: input.question.id, turn: input.turn, answer: input.answer };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage(message);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** The error a worker reported, with the worker's stack: that is where the bug is. */
function workerError(m: { error: string; stack?: string }): Error {
  const error = new Error(m.error);
  if (m.stack !== undefined) error.stack = m.stack;
  return error;
}
