import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { caseKey, type Adapter, type BankSet, type CaseKey, type Citizen, type Judge, type JudgeMode, type Probe, type RunEnvironment, type RunStatus, type SafetyJudge, type Store, type Target } from '../domain/types.js';
import { createAdapter } from '../adapters/index.js';
import { aliasPhrasings } from '../banks/alias-phrasings.js';
import { indexQuestions } from '../banks/load-banks.js';
import { UserError } from '../util/errors.js';
import type { RunListener } from './events.js';
import { runEnvironment } from './environment.js';
import { countPlan, type AddedPhrasings } from './plan.js';
import { probeQuestion } from './probes.js';
import { countScenarioCases } from './scenario-plan.js';
import type { BreakerTuning, RunContext } from './run-context.js';
import { RunHold } from './run-hold.js';
import { runTarget } from './target-worker.js';

export interface RunOptions {
  store: Store;
  banks: BankSet;
  /** Targets to ask; each must have an adapter (simulated ones already pointed at a fleet): see `planRun`. */
  targets: Target[];
  /** Judges applied to every answer; the first is the run's judge of record. */
  judges: Judge[];
  /** Red-team probes asked after the questions, judged by `safetyJudges` (the rules first). */
  probes?: readonly Probe[];
  safetyJudges?: readonly SafetyJudge[];
  /** The judge mode recorded with the run. */
  judgeMode: JudgeMode;
  /** @default 1 */
  repeat?: number;
  /** Also ask each question with its matter named by its other names (`run --aliases`, see `aliasPhrasings`). */
  aliases?: boolean;
  /** Simulated citizens that each play every scenario of the banks (issue 16); none: no scenario is played. */
  citizens?: Citizen[];
  label?: string;
  /** Cases in flight across all targets. @default DEFAULT_CONCURRENCY */
  concurrency?: number;
  /** Continue this run: skip its finished cases. Its banks must not have changed. */
  resume?: string;
  /** The id of a new run (default: a fresh one), so callers can attach things to it before it starts. */
  runId?: string;
  /** Options recorded with the run (no secrets), replayed by a resume. */
  recorded?: Record<string, unknown>;
  /** The versions a new run records (a resumed run keeps those it started with). @default govbench's and Node's */
  environment?: RunEnvironment;
  /** Aborting stops new cases from starting; those in flight finish and are saved. */
  signal?: AbortSignal;
  /** Holding it pauses the run: no new case starts until it is released (see RunHold). */
  hold?: RunHold;
  onEvent?: RunListener;
  /** @default the adapter its settings name, with `${VAR}` from process.env */
  createAdapter?: (target: Target) => Adapter;
  breaker?: BreakerTuning;
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
 *
 * A bug of ours (an adapter, a judge or the runner throwing what it should not) fails the run: no case
 * starts after it, those in flight finish and are saved, the run is stored `failed`, and the first such
 * error is thrown once every target has wound down.
 */
export async function runBenchmark(opts: RunOptions): Promise<RunResult> {
  const repeat = opts.repeat ?? 1;
  const added = opts.aliases ? aliasPhrasings(opts.banks) : undefined;
  const perTarget =
    countPlan(opts.banks.questions, repeat, added) +
    countScenarioCases(opts.banks.scenarios, (opts.citizens ?? []).map((c) => c.kind), repeat) +
    (opts.probes?.length ?? 0) * repeat;
  const { runId, finished } = openRecord(opts, repeat, perTarget);
  const started = performance.now();
  const run = createContext(opts, runId, repeat, finished, added);
  run.emit({ type: 'run-started', runId, resumed: Boolean(opts.resume), targets: startingCounts(opts.targets, perTarget, finished) });
  let status: RunStatus = 'failed';
  try {
    await Promise.all(opts.targets.map((target) => runTarget(run, target)));
    status = run.failure ? 'failed' : opts.signal?.aborted ? 'interrupted' : 'finished';
  } finally {
    opts.store.setRunStatus(runId, status);
    run.emit({ type: 'run-finished', runId, status, durationMs: performance.now() - started });
  }
  if (run.failure) throw run.failure.error;
  return { runId, status, planned: perTarget * opts.targets.length, done: run.finished };
}

/** Creates the run in the store, or reopens the run to resume; returns its id and the keys of its finished cases. */
function openRecord(opts: RunOptions, repeat: number, perTarget: number): { runId: string; finished: CaseKey[] } {
  const { store, banks } = opts;
  if (!opts.resume) {
    const runId = opts.runId ?? newRunId();
    store.createRun({
      id: runId,
      ...(opts.label !== undefined && { label: opts.label }),
      banksHash: banks.hash,
      judge: opts.judgeMode,
      options: { repeat, ...opts.recorded },
      environment: opts.environment ?? runEnvironment(),
      targets: opts.targets.map((target) => ({ target, planned: perTarget })),
    });
    return { runId, finished: [] };
  }
  const run = store.getRun(opts.resume);
  if (run.banksHash !== banks.hash) {
    throw new UserError(
      `run ${run.id} was made with other banks (hash ${run.banksHash.slice(0, 12)}, now ${banks.hash.slice(0, 12)})`,
      'resume with the banks it ran with, or start a new run',
    );
  }
  store.setRunStatus(run.id, 'running');
  return { runId: run.id, finished: store.finishedCases(run.id) };
}

function createContext(opts: RunOptions, runId: string, repeat: number, finished: readonly CaseKey[], added: AddedPhrasings | undefined): RunContext {
  const failing = new AbortController();
  const halted = opts.signal ? AbortSignal.any([opts.signal, failing.signal]) : failing.signal;
  // Every waiting request, retry and held worker listens to these signals; hundreds at once are expected.
  for (const signal of [opts.signal, halted]) if (signal) setMaxListeners(0, signal);
  const run: RunContext = {
    runId,
    store: opts.store,
    questions: opts.banks.questions,
    questionsById: new Map([...indexQuestions(opts.banks), ...(opts.probes ?? []).map((p) => [p.id, probeQuestion(p)] as const)]),
    probes: new Map((opts.probes ?? []).map((p) => [p.id, p])),
    safetyJudges: opts.safetyJudges ?? [],
    repeat,
    added,
    scenarios: new Map((opts.citizens?.length ? opts.banks.scenarios : []).map((s) => [s.id, s])),
    citizens: opts.citizens ?? [],
    matters: opts.banks.matters,
    judges: opts.judges,
    done: new Set(finished.map(caseKey)),
    global: pLimit(opts.concurrency ?? DEFAULT_CONCURRENCY),
    hold: opts.hold ?? new RunHold(),
    stop: opts.signal,
    halted,
    breaker: opts.breaker,
    createAdapter: opts.createAdapter ?? ((t) => createAdapter(t.adapter!)),
    emit: opts.onEvent ?? (() => {}),
    finished: finished.length,
    failure: undefined,
    fail: (error) => {
      run.failure ??= { error };
      failing.abort();
    },
  };
  return run;
}

/** Each target's planned cases, and how many of them a resumed run had already finished. */
function startingCounts(targets: readonly Target[], perTarget: number, finished: readonly CaseKey[]) {
  const done = new Map<string, number>();
  for (const k of finished) done.set(k.targetId, (done.get(k.targetId) ?? 0) + 1);
  return targets.map((t) => ({ id: t.id, name: t.name, region: t.region, planned: perTarget, done: done.get(t.id) ?? 0 }));
}
