import type { LimitFunction } from 'p-limit';
import type { Adapter, Citizen, Judge, Matter, Probe, Question, SafetyJudge, Scenario, Store, Target } from '../domain/types.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { RunListener } from './events.js';
import type { AddedPhrasings } from './plan.js';
import type { RunHold } from './run-hold.js';

/** Circuit breaker tuning a run may set (tests shorten the probe waits). */
export type BreakerTuning = Pick<CircuitBreakerOptions, 'threshold' | 'probeMinMs' | 'probeMaxMs'>;

/** What the target workers of one run share. Built by `runBenchmark`; the mutable fields are the run's progress. */
export interface RunContext {
  readonly runId: string;
  readonly store: Store;
  /** The banks' questions in plan order, and the same by id. */
  readonly questions: readonly Question[];
  readonly questionsById: ReadonlyMap<string, Question>;
  readonly repeat: number;
  /** Phrasings the run asks beyond the bank's (alias cases); undefined: none. */
  readonly added: AddedPhrasings | undefined;
  /** The scenarios to play by id (none unless the run plays them), each by every citizen, and the banks' matters they score against. */
  readonly scenarios: ReadonlyMap<string, Scenario>;
  readonly citizens: readonly Citizen[];
  readonly matters: readonly Matter[];
  /** The judge of record first. */
  readonly judges: readonly Judge[];
  /** Red-team probes asked after the questions (`run --probes`), by id, and their judges, the rules first. */
  readonly probes: ReadonlyMap<string, Probe>;
  readonly safetyJudges: readonly SafetyJudge[];
  /** `caseKey`s of the cases finished before this start: a resume does not ask them again. */
  readonly done: ReadonlySet<string>;
  /** Cases being asked across all targets. */
  readonly global: LimitFunction;
  readonly hold: RunHold;
  /** The caller's stop: requests and retries in flight give up early, and the run ends `interrupted`. */
  readonly stop: AbortSignal | undefined;
  /**
   * Fires on the caller's stop or on a failure: no new case starts. After a failure, the cases in
   * flight are still asked to the end, so the city is not cut short for our bug.
   */
  readonly halted: AbortSignal;
  readonly breaker: BreakerTuning | undefined;
  createAdapter(target: Target): Adapter;
  emit: RunListener;
  /** Cases finished so far, those done before a resume included. */
  finished: number;
  /** The first failure of our code (the run's `failed`): what the run throws at its end. */
  failure: { error: unknown } | undefined;
  /** Records a failure (the first one counts) and halts the run. */
  fail(error: unknown): void;
}
