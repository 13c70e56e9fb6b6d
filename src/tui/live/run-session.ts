import { resolve } from 'node:path';
import { loadBanks } from '../../banks/load-banks.js';
import { startFleetFor } from '../../demo/start-fleet.js';
import { closeJudges, createJudges, recordUsageIn } from '../../runner/judges.js';
import { loadTargets, selectTargets } from '../../config/load-targets.js';
import { JUDGE_MODES, type JudgeMode } from '../../domain/types.js';
import type { RunListener } from '../../runner/events.js';
import { countPlan } from '../../runner/plan.js';
import { newRunId, runBenchmark, type RunResult } from '../../runner/run.js';
import type { RunHold } from '../../runner/run-hold.js';
import type { RunRow, Store } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';

/**
 * What a run is started with; the same fields `govbench run` records, so a run started here resumes
 * with `govbench run --resume` and the other way round.
 */
export interface RunSpec {
  /** Bank files or folders. */
  banks: string[];
  /** The targets registry file. */
  targets: string;
  /** Target ids; empty: every target of the registry. */
  target: string[];
  judge: JudgeMode;
  repeat: number;
  label?: string;
}

export type RunRequest = { spec: RunSpec } | { resume: string };

/** A run ready to go: banks, targets, judges and (for simulated targets) a fleet loaded once. */
export interface RunSession {
  runId: string;
  /** Planned cases over all targets. */
  planned: number;
  /** Runs (or, after a stop, continues) the run until it ends or `signal` aborts; `hold` pauses it. */
  run(signal: AbortSignal, onEvent: RunListener, hold?: RunHold): Promise<RunResult>;
  close(): Promise<void>;
}

/** The spec a stored run was started with, for resuming it. */
export function recordedSpec(run: RunRow): RunSpec {
  const o = run.options;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!strings(o.banks) || typeof o.targets !== 'string' || !JUDGE_MODES.includes(o.judge as JudgeMode)) {
    throw new UserError(`run ${run.id} did not record its banks, targets and judge`, 'start a new run instead');
  }
  return {
    banks: o.banks,
    targets: o.targets,
    target: strings(o.target) ? o.target : [],
    judge: o.judge as JudgeMode,
    repeat: typeof o.repeat === 'number' ? o.repeat : 1,
  };
}

/**
 * Loads what a run needs through the same APIs as `govbench run`. Throws a UserError for bad input
 * (banks, targets, an LLM judge without an endpoint) before anything is stored.
 */
export async function openRunSession(store: Store, request: RunRequest, env: NodeJS.ProcessEnv = process.env): Promise<RunSession> {
  const resumed = 'resume' in request ? store.getRun(request.resume) : null;
  if (resumed?.status === 'finished') throw new UserError(`run ${resumed.id} is finished; there is nothing to resume`);
  const spec: RunSpec = 'spec' in request ? request.spec : recordedSpec(resumed!);
  const banks = loadBanks(spec.banks);
  const registry = loadTargets(spec.targets, { env });
  const selected = selectTargets(registry, spec.target.length > 0 ? spec.target : undefined);
  if (selected.length === 0) throw new UserError(`${registry.file}: no targets selected`);
  const runId = resumed?.id ?? newRunId();
  // The matcher judges on worker threads, as in `govbench run`: the screen stays responsive on long runs.
  const judges = await createJudges(spec.judge, banks, { cache: store.judgeCache, onUsage: recordUsageIn(store, runId), env, threads: true });
  let fleet: Awaited<ReturnType<typeof startFleetFor>>;
  try {
    fleet = await startFleetFor(selected, registry, banks);
  } catch (err) {
    await closeJudges(judges);
    throw err;
  }
  let created = resumed !== null;
  const recorded = { banks: spec.banks.map((p) => resolve(p)), targets: resolve(spec.targets), target: spec.target, judge: spec.judge, repeat: spec.repeat };
  return {
    runId,
    planned: countPlan(banks.questions, spec.repeat) * selected.length,
    run: (signal, onEvent, hold) =>
      runBenchmark({
        store,
        banks,
        targets: fleet.targets,
        judges,
        judgeMode: spec.judge,
        repeat: spec.repeat,
        ...(spec.label ? { label: spec.label } : {}),
        ...(created ? { resume: runId } : { runId }),
        recorded,
        signal,
        ...(hold && { hold }),
        onEvent: (e) => {
          // The run exists in the store once it has started; from then on, going on is a resume.
          if (e.type === 'run-started') created = true;
          onEvent(e);
        },
      }),
    close: async () => {
      await fleet.close();
      await closeJudges(judges);
    },
  };
}
