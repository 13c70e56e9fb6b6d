import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Adapter, BankSet, Case, Judge, JudgeMode, Question, RunStatus, Target, Turn, Verdict } from '../domain/types.js';
import { createAdapter } from '../adapters/index.js';
import { locateChromium, type ChromiumOptions } from '../adapters/utils/chromium.js';
import { indexQuestions } from '../banks/load-banks.js';
import { caseKey, type Store } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { askCase, isOutage, unavailableTurn } from './ask-case.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { RateGate } from './rate-gate.js';
import { RunHold } from './run-hold.js';
import type { RunListener } from './events.js';
import { countPlan, messagesOf, planFor } from './plan.js';

export interface RunOptions {
  store: Store;
  banks: BankSet;
  /** Targets to ask; each must have an adapter (simulated ones already pointed at a fleet). */
  targets: Target[];
  /** Judges applied to every answer; the first is the run's judge of record. */
  judges: Judge[];
  /** The judge mode recorded with the run (matcher | llm | both). */
  judgeMode: JudgeMode;
  /** @default 1 */
  repeat?: number;
  label?: string;
  /** Cases in flight across all targets. @default DEFAULT_CONCURRENCY */
  concurrency?: number;
  /** Continue this run: skip its finished cases. Its banks must not have changed. */
  resume?: string;
  /** The id of a new run (default: a fresh one), so callers can attach things to it before it starts. */
  runId?: string;
  /** Options recorded with the run (no secrets), replayed by a resume. */
  recorded?: Record<string, unknown>;
  /** Aborting stops new cases from starting; those in flight finish and are saved. */
  signal?: AbortSignal;
  /** Holding it pauses the run: no new case starts until it is released (see RunHold). */
  hold?: RunHold;
  onEvent?: RunListener;
  createAdapter?: (target: Target) => Adapter;
  /** Which Chromium web-widget targets use (the run config's `browser`). @default see locateChromium */
  browser?: ChromiumOptions;
  /** Circuit breaker tuning (tests shorten the probe waits). */
  breaker?: { threshold?: number; probeMinMs?: number; probeMaxMs?: number };
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  planned: number;
  done: number;
}

/** Cases in flight across all targets unless a run says otherwise. */
export const DEFAULT_CONCURRENCY = 64;

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * Asks every planned case of every target, judges each answer as it comes, and commits each finished
 * case at once. Targets run side by side, each within its own concurrency; the whole within a global one.
 */
export async function runBenchmark(opts: RunOptions): Promise<RunResult> {
  const { store, banks, targets } = opts;
  const repeat = opts.repeat ?? 1;
  const missing = targets.filter((t) => !t.adapter);
  if (missing.length > 0) {
    throw new UserError(
      `no endpoint configured for ${missing.map((t) => t.id).join(', ')}`,
      'fill in adapter.url and adapter.reply in the targets file, or leave these targets out with --target',
    );
  }
  // Without a browser every widget case would fail alike: stop before asking, saying what to install.
  if (!opts.createAdapter && targets.some((t) => t.adapter?.type === 'web-widget')) locateChromium(opts.browser);
  const perTarget = countPlan(banks.questions, repeat);
  let runId: string;
  let done: Set<string>;
  if (opts.resume) {
    const run = store.getRun(opts.resume);
    if (run.banksHash !== banks.hash) {
      throw new UserError(
        `run ${run.id} was made with other banks (hash ${run.banksHash.slice(0, 12)}, now ${banks.hash.slice(0, 12)})`,
        'resume with the banks it ran with, or start a new run',
      );
    }
    runId = run.id;
    done = new Set(store.finishedCases(runId).map(caseKey));
    store.setRunStatus(runId, 'running');
  } else {
    runId = opts.runId ?? newRunId();
    done = new Set();
    store.createRun({
      id: runId,
      ...(opts.label !== undefined && { label: opts.label }),
      banksHash: banks.hash,
      judge: opts.judgeMode,
      options: { repeat, ...opts.recorded },
      targets: targets.map((target) => ({ target, planned: perTarget })),
    });
  }

  const started = performance.now();
  // Every waiting request and retry listens to the stop signal; hundreds at once are expected.
  if (opts.signal) setMaxListeners(0, opts.signal);
  const emit = opts.onEvent ?? (() => {});
  const doneBefore = new Map<string, number>();
  for (const key of done) {
    const targetId = key.slice(0, key.indexOf('\u0000'));
    doneBefore.set(targetId, (doneBefore.get(targetId) ?? 0) + 1);
  }
  emit({
    type: 'run-started',
    runId,
    resumed: Boolean(opts.resume),
    targets: targets.map((t) => ({ id: t.id, name: t.name, region: t.region, planned: perTarget, done: doneBefore.get(t.id) ?? 0 })),
  });

  const questions = indexQuestions(banks);
  const global = pLimit(opts.concurrency ?? DEFAULT_CONCURRENCY);
  const make = opts.createAdapter ?? ((t: Target) => createAdapter(t.adapter!, process.env, { ...(opts.browser && { chromium: opts.browser }) }));
  const hold = opts.hold ?? new RunHold();
  let finished = done.size;

  const runTarget = async (target: Target): Promise<void> => {
    const adapter = make(target);
    const gate = new RateGate({ ...(target.limits.perMinute !== undefined && { perMinute: target.limits.perMinute }) });
    const breaker = new CircuitBreaker({
      ...(opts.breaker ?? {}),
      // Without a health check, letting one case through after the wait is the probe.
      probe: adapter.probe ? (signal) => adapter.probe!(signal) : async () => true,
      maxPaceMs: target.limits.timeoutMs,
    });
    const cases = planFor(target, banks.questions, repeat);
    const next = (): Case | undefined => {
      for (;;) {
        if (opts.signal?.aborted) return undefined;
        const r = cases.next();
        if (r.done) return undefined;
        if (!done.has(caseKey(r.value))) return r.value;
      }
    };
    // Judging and committing happen after the target's slot is released, so a slow judge never
    // idles a chatbot; a bound on them keeps a judge that falls behind from piling up work.
    const settling = new Set<Promise<void>>();
    const maxSettling = 2 * target.limits.concurrency;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (!failure) {
        await hold.enter(opts.signal);
        const c = next();
        if (!c) {
          hold.leave();
          return;
        }
        const question = questions.get(c.questionId)!;
        const turns = await global(() => askOrSkip(c, question));
        if (!turns) {
          hold.leave();
          continue;
        }
        const settled: Promise<void> = settle(c, question, turns)
          .catch((error: unknown) => void (failure ??= { error }))
          .finally(() => {
            settling.delete(settled);
            hold.leave();
          });
        settling.add(settled);
        while (settling.size > maxSettling) await Promise.race(settling);
      }
    };
    const askOrSkip = async (c: Case, question: Question): Promise<Turn[] | undefined> => {
      const messages = messagesOf(question, c.variant);
      const decision = breaker.before();
      if (decision.send) {
        const t0 = performance.now();
        const turns = await askCase(adapter, messages, target.limits, gate, opts.signal);
        breaker.after(!isOutage(turns), performance.now() - t0);
        return turns;
      }
      await sleep(decision.paceMs, undefined, opts.signal ? { signal: opts.signal } : undefined).catch(() => undefined);
      // Stopped while waiting: the case was never due, so a resume should ask it.
      if (opts.signal?.aborted) return undefined;
      return [unavailableTurn(messages[0]!, decision.reason)];
    };
    const settle = async (c: Case, question: Question, turns: Turn[]): Promise<void> => {
      const verdicts = await judgeTurns(opts.judges, question, turns);
      store.saveCase({ runId, case: c, question, turns, verdicts });
      finished += 1;
      const last = turns[turns.length - 1];
      const available = turns.length > 0 && turns.every((t) => t.ok);
      const primary = verdicts.filter((v) => v.verdict.judge === opts.judges[0]?.name).at(-1)?.verdict;
      emit({
        type: 'case-finished',
        runId,
        targetId: c.targetId,
        questionId: c.questionId,
        variant: c.variant,
        available,
        errorKind: turns.find((t) => !t.ok)?.errorKind ?? null,
        verdict: primary ? (primary.status === 'judged' ? primary.verdict : 'unjudged') : null,
        accuracy: primary?.status === 'judged' ? primary.accuracy : null,
        firstMs: available && last ? turns[0]!.firstMs : null,
      });
    };
    try {
      await Promise.all(Array.from({ length: target.limits.concurrency }, worker));
      await Promise.all(settling);
      if (failure) throw failure.error;
    } finally {
      breaker.close();
      await adapter.close();
    }
  };

  let status: RunStatus = 'finished';
  try {
    await Promise.all(targets.map(runTarget));
    if (opts.signal?.aborted) status = 'interrupted';
  } catch (err) {
    status = 'failed';
    store.setRunStatus(runId, status);
    throw err;
  } finally {
    if (status !== 'failed') store.setRunStatus(runId, status);
    emit({ type: 'run-finished', runId, status, durationMs: performance.now() - started });
  }
  return { runId, status, planned: perTarget * targets.length, done: finished };
}

/**
 * Judges the turns that have something to judge: every answered turn a script expects a clarifying
 * question for, and the last turn. A failed last turn is a technical failure, left unjudged.
 */
export async function judgeTurns(
  judges: readonly Judge[],
  question: Question,
  turns: readonly Turn[],
): Promise<{ verdict: Verdict; version: string }[]> {
  const last = (question.turns?.length ?? 1) - 1;
  const toJudge = turns.filter((t) => t.ok && (t.index === last || question.turns?.[t.index]?.expect === 'clarify'));
  const out: { verdict: Verdict; version: string }[] = [];
  for (const judge of judges) {
    for (const t of toJudge) {
      let verdict: Verdict;
      try {
        verdict = await judge.judge({ question, turn: t.index, answer: t.reply });
      } catch (err) {
        verdict = { status: 'unjudged', judge: judge.name, turn: t.index, reason: (err as Error).message };
      }
      out.push({ verdict, version: judge.version });
    }
  }
  return out;
}
