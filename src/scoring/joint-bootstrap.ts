import { hash32, mulberry32 } from '../util/random.js';
import type { ScoringConfig } from './config.js';
import { errorRatesOf, roganGladen, type CodedItems } from './corrected.js';
import type { Interval } from './model.js';
import { ACC_WIDTH, F_CASES, F_CORRECT, F_JUDGED, scoresOf } from './outcome-sums.js';
import { quantileSorted } from './stats.js';

/**
 * One bootstrap for the whole run (issue 15): every replicate draws the questions once for all targets
 * (they were asked the same bank, so one draw keeps their comparison paired) and, when a calibration
 * applies, draws its items too, so the judge's error rates vary with their own uncertainty. From each
 * replicate it takes every target's corrected accuracy and its rank by technical support.
 */
export interface JointInput {
  config: ScoringConfig;
  /** Question count; `blocks` holds questions × targets accumulators. */
  questions: number;
  targets: readonly JointTarget[];
  /** From `blockIndex(question, target)` on, ACC_WIDTH values; zeros where a target was not asked the question. */
  blocks: Float64Array;
  /** The calibration items, coded; null: no correction. */
  calibration: CodedItems | null;
}

export interface JointTarget {
  id: string;
  /** The value ranked at the point (technical support, corrected when a calibration applies); null: not ranked. */
  point: number | null;
}

export interface JointResult {
  /** Per target, in input order: `[best, worst]` rank, or null for a target not ranked. */
  rankIntervals: (Interval | null)[];
  /** Per target: the corrected accuracy's percentile interval (0–100), or null without a calibration or samples. */
  corrected: (Interval | null)[];
}

/**
 * Competition ranks (1 + the number of strictly higher values) of the non-null values; null stays null.
 * @example competitionRanks([90, 70, 90, null]) // [1, 3, 1, null]
 */
export function competitionRanks(values: readonly (number | null)[]): (number | null)[] {
  return values.map((v) => (v === null ? null : 1 + values.filter((u) => u !== null && u > v).length));
}

/**
 * The technical support a target is ranked on: with a correction, the accuracy part is the corrected
 * share of correct answers instead of the mean judged accuracy. `null`: not measurable.
 */
export function rankingValue(acc: ArrayLike<number>, off: number, config: ScoringConfig, rates: { falsePass: number; falseFail: number } | null): number | null {
  const s = scoresOf(acc, off, config);
  if (s.technicalSupport === null || rates === null || s.accuracy === null) return s.technicalSupport;
  const judged = acc[off + F_JUDGED] as number;
  const p = roganGladen((acc[off + F_CORRECT] as number) / judged, rates.falsePass, rates.falseFail);
  return p.value === null ? s.technicalSupport : s.technicalSupport + config.weights.accuracy * (100 * p.value - s.accuracy);
}

/** Runs the joint bootstrap; see `JointInput`. Seeded from the configured seed alone. */
export function jointBootstrap(input: JointInput): JointResult {
  const { config, questions: q, targets, blocks, calibration } = input;
  const { iterations, seed, confidence } = config.bootstrap;
  const n = targets.length;
  const pointRanks = competitionRanks(targets.map((t) => t.point));
  const fallback: JointResult = { rankIntervals: pointRanks.map((r) => (r === null ? null : [r, r])), corrected: targets.map(() => null) };
  if (iterations === 0 || q === 0) return fallback;

  const rng = mulberry32(hash32(`${seed}:joint`));
  const width = n * ACC_WIDTH;
  const sums = new Float64Array(width);
  const codeCounts = new Float64Array(4);
  const histogram = new Uint32Array(n * n);
  const samples = targets.map(() => new Float64Array(iterations));
  const sampleCounts = new Uint32Array(n);
  const values: (number | null)[] = new Array<number | null>(n);
  let ranked = 0;
  for (let b = 0; b < iterations; b++) {
    let rates: { falsePass: number; falseFail: number } | null = null;
    if (calibration) {
      codeCounts.fill(0);
      for (let i = 0; i < calibration.length; i++) {
        const c = calibration[Math.floor(rng() * calibration.length)] as number;
        codeCounts[c] = (codeCounts[c] as number) + 1;
      }
      const r = errorRatesOf(codeCounts);
      rates = r.falsePass === null || roganGladen(0, r.falsePass, r.falseFail).value === null ? null : r;
    }
    sums.fill(0);
    for (let i = 0; i < q; i++) {
      const base = Math.floor(rng() * q) * width;
      for (let f = 0; f < width; f++) sums[f] = (sums[f] as number) + (blocks[base + f] as number);
    }
    // A replicate whose calibration draw cannot correct says nothing of corrected ranks: it is left out.
    if (calibration && !rates) continue;
    for (let t = 0; t < n; t++) {
      const off = t * ACC_WIDTH;
      const point = targets[t]!.point;
      if (point === null) values[t] = null;
      // A target asked none of the drawn questions keeps its point value in this replicate.
      else if (sums[off + F_CASES] === 0) values[t] = point;
      else values[t] = rankingValue(sums, off, config, rates) ?? -Infinity;
      if (rates && (sums[off + F_JUDGED] as number) > 0) {
        const p = roganGladen((sums[off + F_CORRECT] as number) / (sums[off + F_JUDGED] as number), rates.falsePass, rates.falseFail).value!;
        samples[t]![sampleCounts[t]!++] = 100 * p;
      }
    }
    const ranks = competitionRanks(values);
    for (let t = 0; t < n; t++) if (ranks[t] !== null) histogram[t * n + ranks[t]! - 1]! += 1;
    ranked++;
  }
  if (ranked === 0) return fallback;

  const alpha = (1 - confidence) / 2;
  return {
    rankIntervals: targets.map((t, i) => (t.point === null ? null : [rankQuantile(histogram, i, n, ranked, alpha), rankQuantile(histogram, i, n, ranked, 1 - alpha)])),
    corrected: targets.map((_, t) => {
      const k = sampleCounts[t]!;
      if (k === 0) return null;
      const sorted = samples[t]!.subarray(0, k).sort();
      return [quantileSorted(sorted, alpha)!, quantileSorted(sorted, 1 - alpha)!];
    }),
  };
}

/** The p-quantile of a target's replicate ranks as an integer rank: the smallest rank r with P(rank ≤ r) ≥ p. */
function rankQuantile(histogram: Uint32Array, t: number, n: number, total: number, p: number): number {
  let cumulative = 0;
  for (let r = 0; r < n; r++) {
    cumulative += histogram[t * n + r]!;
    if (cumulative >= p * total - 1e-9) return r + 1;
  }
  return n;
}

/** Where a target's accumulator for a question starts in `JointInput.blocks`. */
export function blockIndex(question: number, target: number, targets: number): number {
  return (question * targets + target) * ACC_WIDTH;
}
