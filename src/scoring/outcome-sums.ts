import { SCORE_NAMES, type ErrorKind, type ReplyRoute, type VerdictLabel } from '../domain/types.js';
import type { ScoringConfig } from './config.js';
import type { CaseCounts, ScoreSet, ScoreTarget } from './model.js';
import type { PainPointSums } from './pain-points.js';
import type { FloatList } from './stats.js';

/**
 * A compact accumulator of case outcomes: sums and counts in a fixed run of float64 fields, so the
 * per-target, per-question and per-style aggregates stay small however many cases a run has, and
 * any group (a matter, a style, a bootstrap resample) is scored by adding accumulators together.
 */
export const F_CASES = 0;
export const F_AVAILABLE = 1;
/** Available cases with a judged verdict. */
export const F_JUDGED = 2;
/** Judged cases with the intent recognized. */
export const F_INTENT_HITS = 3;
/** Sum of judged accuracies (0–1). */
export const F_ACCURACY_SUM = 4;
/** Available cases with a first-reply latency. */
export const F_RESPONSE_N = 5;
/** Sum of per-case responsiveness (0–100). */
export const F_RESPONSE_SUM = 6;
export const F_UNJUDGED = 7;
/** Judged cases with the verdict `correct`: what a judge's calibration corrects (see corrected.ts). */
export const F_CORRECT = 8;
export const ACC_WIDTH = 9;

/** (question, style) pairs pack into one integer key: `question index · STYLE_CAP + style index`. */
export const STYLE_CAP = 4096;

/** What one target accumulated: the sums the accumulator keeps and the model builder reads. */
export interface AccumulatedTarget {
  target: ScoreTarget;
  /** (question, style) key → slot; slot `i` is `data[i·ACC_WIDTH … (i+1)·ACC_WIDTH)`. */
  slotOf: Map<number, number>;
  data: Float64Array;
  /** First-reply and finished-reply latencies of available cases. */
  firstMs: FloatList;
  totalMs: FloatList;
  errorKinds: Partial<Record<ErrorKind, number>>;
  verdicts: Record<VerdictLabel, number>;
  /** Available cases whose judge abstained (`uncertain`): out of every score until a reviewer decides. */
  pending: number;
  /** Judged cases whose answer repeats a rule no longer in force (a failure kind of its own). */
  outdated: number;
  /** Available cases by how they reached their answer. */
  routes: Record<ReplyRoute, number>;
  /** asked intent → addressed intent → judged cases. */
  confusion: Map<string, Map<string, number>>;
  /**
   * Per (question, variant): the verdict of the first repeat, whether every later repeat agreed with
   * it, how often it was asked and how often answered correctly. `null` verdict: the first repeat had none.
   */
  repeats: Map<string, { questionId: string; verdict: VerdictLabel | null; agree: boolean; n: number; correct: number }>;
}

export interface QuestionMeta {
  id: string;
  matterId: string;
  intent: string;
}

/** Everything accumulated so far. */
export interface AccumulatedRun {
  config: ScoringConfig;
  targets: AccumulatedTarget[];
  /** Indexed by question index. */
  questions: QuestionMeta[];
  /** Indexed by style index. */
  styles: string[];
  /** The pain-point catalogue and each target's failures by kind. */
  pains: PainPointSums;
}

export function createAcc(): Float64Array {
  return new Float64Array(ACC_WIDTH);
}

/** Adds the accumulator at `src[srcOff…]` into `dst[dstOff…]`. */
export function addAcc(dst: Float64Array, dstOff: number, src: ArrayLike<number>, srcOff: number): void {
  for (let f = 0; f < ACC_WIDTH; f++) dst[dstOff + f] = (dst[dstOff + f] as number) + (src[srcOff + f] as number);
}

export function countsOf(a: ArrayLike<number>, off = 0): CaseCounts {
  const cases = a[off + F_CASES] as number;
  const available = a[off + F_AVAILABLE] as number;
  return {
    cases,
    errors: cases - available,
    available,
    judged: a[off + F_JUDGED] as number,
    unjudged: a[off + F_UNJUDGED] as number,
  };
}

/**
 * The five scores of an accumulator (SPEC §5):
 * - availability = available ÷ cases;
 * - intent = intent recognized ÷ judged, accuracy = mean judged accuracy — over available judged
 *   cases only, so technical failures and unjudged cases do not count against them;
 * - responsiveness = mean of the per-case curve over available cases;
 * - technical support = Σ weight · score. When no case was available the chatbot answered nothing, so
 *   it is 0 (the unmeasurable parts earn nothing); when cases were available but a part cannot be
 *   measured (all unjudged) it is null rather than a guess.
 */
export function scoresOf(a: ArrayLike<number>, off: number, config: ScoringConfig): ScoreSet {
  const cases = a[off + F_CASES] as number;
  const available = a[off + F_AVAILABLE] as number;
  const judged = a[off + F_JUDGED] as number;
  const responseN = a[off + F_RESPONSE_N] as number;
  if (cases === 0) return nullScores();
  const s: ScoreSet = {
    intent: judged > 0 ? (100 * (a[off + F_INTENT_HITS] as number)) / judged : null,
    accuracy: accuracyScore(a[off + F_ACCURACY_SUM] as number, judged),
    availability: (100 * available) / cases,
    responsiveness: responseN > 0 ? (a[off + F_RESPONSE_SUM] as number) / responseN : null,
    technicalSupport: null,
  };
  const w = config.weights;
  if (available === 0) s.technicalSupport = 0;
  else if (s.intent !== null && s.accuracy !== null && s.responsiveness !== null) {
    s.technicalSupport =
      w.accuracy * s.accuracy + w.intent * s.intent + w.availability * s.availability! + w.responsiveness * s.responsiveness;
  }
  return s;
}

/** The accuracy score (0–100): the mean accuracy (each 0–1) of `judged` cases whose accuracies sum to `sum`; null when none was judged. */
export function accuracyScore(sum: number, judged: number): number | null {
  return judged > 0 ? (100 * sum) / judged : null;
}

function nullScores(): ScoreSet {
  return Object.fromEntries(SCORE_NAMES.map((n) => [n, null])) as ScoreSet;
}
