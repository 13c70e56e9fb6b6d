import { join } from 'node:path';
import { startFleetFor, type StartedFleet } from '../../demo/start-fleet.js';
import { createAdapter } from '../../adapters/index.js';
import type { Store } from '../../domain/types.js';
import type { RunListener } from '../events.js';
import { createCitizens } from '../citizens.js';
import { closeJudges, createJudges, recordUsageIn } from '../judges.js';
import { budgetReached } from '../budget.js';
import { createSafetyJudges } from '../safety-judges.js';
import { RunHold } from '../run-hold.js';
import { startEnvironment } from '../environment.js';
import { newRunId, runBenchmark, type RunResult } from '../run.js';
import { evidenceDir } from './evidence.js';
import { planResume, planRun, type RunPlan, type SessionSettings } from './plan.js';
import { recordOf, type RunRequest } from './spec.js';

/**
 * A planned run with its judges and (for simulated targets) a demo fleet started: the one way the CLI
 * and the terminal UI start, pause, stop and tear down a run.
 */
export interface RunSession {
  readonly runId: string;
  readonly plan: RunPlan;
  /**
   * Asks, judges and stores until every case is done or the run is stopped; call it once. A bug of
   * ours fails the run: the cases in flight are saved and the bug is thrown (see `runBenchmark`).
   */
  run(onEvent: RunListener): Promise<RunResult>;
  /** Pauses: no new case starts; resolves once none is in flight. The run stays `running` in the store. */
  hold(): Promise<void>;
  /** Ends a pause. */
  release(): void;
  /** Stops for good (resumable): no new case starts; those in flight finish and are saved. */
  stop(): void;
  /** Whether `stop` was called. */
  readonly stopping: boolean;
  /** Why the run stopped itself: the budget cap it reached; null otherwise. */
  readonly stoppedBy: string | null;
  /** Closes the judges and the demo fleet. The adapters close as their targets finish. */
  close(): Promise<void>;
}

/** Starts what a planned run needs. The run is created in the store only when `run` is called. */
export async function openRunSession(store: Store, plan: RunPlan, settings: SessionSettings = {}): Promise<RunSession> {
  const env = settings.env ?? process.env;
  const runId = plan.resume ?? newRunId();
  const citizens = plan.spec.citizen
    ? createCitizens(plan.spec.citizen, settings.llm, env, (name, u, failed) =>
        store.addJudgeUsage(runId, { judge: name, calls: 1, cached: 0, failures: failed ? 1 : 0, ...u }),
      )
    : [];
  // Safety judges hold nothing to close: made first, so a failure here leaves nothing open.
  const safetyJudges = plan.probes.length > 0 ? await createSafetyJudges(plan.spec.judge, { ...(settings.llm && { llm: settings.llm }), onUsage: recordUsageIn(store, runId), env }) : [];
  // The matcher judges on worker threads: asking is not slowed by it, and the terminal UI stays responsive.
  const judges = await createJudges(plan.spec.judge, plan.banks, {
    ...(settings.llm && { llm: settings.llm }),
    cache: store.judgeCache,
    onUsage: recordUsageIn(store, runId),
    env,
    threads: true,
  });
  let fleet: StartedFleet;
  try {
    fleet = await startFleetFor(plan.targets, plan.registry, plan.banks);
  } catch (err) {
    await closeJudges(judges);
    throw err;
  }
  const controller = new AbortController();
  const hold = new RunHold();
  const { spec } = plan;
  const evidence = spec.evidence ? evidenceDir(store.path, runId) : undefined;
  const stop = () => {
    controller.abort();
    // Workers waiting out a pause wake to the stop and take no new case.
    hold.release();
  };
  let stoppedBy: string | null = null;
  // Usage is the run's over all its sessions: a resumed run already at its cap asks nothing more.
  const checkBudget = () => {
    if (!settings.budget || stoppedBy !== null) return;
    stoppedBy = budgetReached(store.judgeUsage(runId), settings.budget, settings.llm?.pricing);
    if (stoppedBy !== null) stop();
  };
  return {
    runId,
    plan,
    run: async (onEvent) => {
      // A resumed run keeps the environment it recorded when it started; only a new one needs the browser's version.
      const { environment, browser } = await startEnvironment(plan.resume === null ? fleet.targets : [], settings.browser);
      if (plan.resume !== null) checkBudget();
      try {
        return await runBenchmark({
          store,
          banks: plan.banks,
          probes: plan.probes,
          safetyJudges,
          targets: fleet.targets,
          judges,
          judgeMode: spec.judge,
          repeat: spec.repeat,
          ...(spec.aliases && { aliases: true }),
          citizens,
          ...(spec.label !== undefined && { label: spec.label }),
          ...(settings.concurrency !== undefined && { concurrency: settings.concurrency }),
          ...(plan.resume !== null ? { resume: runId } : { runId }),
          recorded: recordOf(spec),
          environment,
          signal: controller.signal,
          hold,
          onEvent: (event) => {
            if (event.type === 'case-finished') checkBudget();
            onEvent(event);
          },
          createAdapter: (t) =>
            createAdapter(t.adapter!, env, {
              ...(settings.browser && { chromium: settings.browser }),
              ...(evidence !== undefined && { evidence: { dir: join(evidence, t.id) } }),
            }),
        });
      } finally {
        await browser?.release();
      }
    },
    hold: () => {
      hold.hold();
      return hold.idle();
    },
    release: () => hold.release(),
    stop,
    get stopping() {
      return controller.signal.aborted;
    },
    get stoppedBy() {
      return stoppedBy;
    },
    close: async () => {
      await fleet.close();
      await closeJudges(judges);
    },
  };
}

/** Plans and opens a new run or a resumed one: the terminal UI's way in. */
export async function openRequested(store: Store, request: RunRequest, settings: SessionSettings = {}): Promise<RunSession> {
  const plan = 'spec' in request ? planRun(request.spec, settings) : planResume(store, request.resume, settings);
  return openRunSession(store, plan, settings);
}
