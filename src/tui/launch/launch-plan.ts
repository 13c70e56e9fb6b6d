import { basename } from 'node:path';
import { expandBankPaths, loadBanks } from '../../banks/load-banks.js';
import type { TargetRegistry } from '../../config/load-targets.js';
import type { Store, Target } from '../../domain/types.js';
import { DEFAULT_CONCURRENCY } from '../../runner/run.js';
import { countPlan } from '../../runner/plan.js';
import type { BankFileInfo, ResumableRun } from './launch-model.js';

/** The bank files of a folder (or a single file), each loaded alone to name its matter. */
export function listBankFiles(path: string): BankFileInfo[] {
  return expandBankPaths([path]).map((file) => {
    try {
      const bank = loadBanks([file]);
      const matter = bank.matters[0];
      return { file, name: matter?.name ?? basename(file), matterId: matter?.id ?? null, questions: bank.questions.length, cases: countPlan(bank.questions, 1), error: null };
    } catch (err) {
      return { file, name: basename(file), matterId: null, questions: 0, cases: 0, error: (err as Error).message };
    }
  });
}

/** What an answer is assumed to take where nothing better is known (real chatbots). */
export const ASSUMED_REPLY_MS = 2000;

interface DurationEstimate {
  ms: number;
  /** What bounds it: the slowest target's own limits, or the run's overall concurrency. */
  bound: 'target' | 'overall';
  /** The target that takes longest. */
  slowest: string | null;
}

/** The reply time assumed for a target: a simulated persona's median, else ASSUMED_REPLY_MS. */
function assumedReplyMs(target: Target, registry: Pick<TargetRegistry, 'personas'>): number {
  const a = target.adapter;
  if (a?.type === 'simulated') return registry.personas[a.persona]?.latency.medianMs ?? ASSUMED_REPLY_MS;
  return ASSUMED_REPLY_MS;
}

/**
 * How long a run should take: targets run side by side, each `cases × reply time ÷ its concurrency`,
 * or `cases ÷ perMinute` where its rate limit is slower; the whole no faster than all cases through
 * DEFAULT_CONCURRENCY slots. Retries, timeouts and judging are not counted.
 */
export function estimateDuration(targets: readonly Target[], registry: Pick<TargetRegistry, 'personas'>, casesPerTarget: number): DurationEstimate {
  let slowest: { id: string; ms: number } | null = null;
  let work = 0;
  for (const t of targets) {
    const reply = assumedReplyMs(t, registry);
    work += casesPerTarget * reply;
    const byConcurrency = (casesPerTarget * reply) / t.limits.concurrency;
    const byRate = t.limits.perMinute ? (casesPerTarget / t.limits.perMinute) * 60_000 : 0;
    const ms = Math.max(byConcurrency, byRate);
    if (!slowest || ms > slowest.ms) slowest = { id: t.id, ms };
  }
  const overall = work / DEFAULT_CONCURRENCY;
  if (!slowest) return { ms: 0, bound: 'overall', slowest: null };
  return overall > slowest.ms ? { ms: overall, bound: 'overall', slowest: slowest.id } : { ms: slowest.ms, bound: 'target', slowest: slowest.id };
}

/** Runs that stopped before the end (stopped, failed on a bug, or killed and left `running`), newest first. */
export function listResumable(store: Store, except: string | null, limit = 5): ResumableRun[] {
  return store
    .listRuns()
    .filter((r) => r.status !== 'finished' && r.id !== except)
    .slice(0, limit)
    .map((r) => ({
      id: r.id,
      label: r.label,
      status: r.status,
      done: store.countCases(r.id),
      planned: store.runTargets(r.id).reduce((n, t) => n + t.planned, 0),
    }));
}
