import type { ScoreName } from '../../domain/types.js';
import { ACC_WIDTH, addAcc, scoresOf } from '../outcome-sums.js';
import type { ScoringConfig } from '../config.js';
import type { ScoreSet } from '../model.js';
import { hash32, mulberry32 } from '../../util/random.js';
import { quantileSorted } from '../stats.js';

/**
 * McNemar's exact test, two-sided: the p-value of `b` changes one way and `c` the other under the
 * null hypothesis that either direction is equally likely, i.e. `2 · P(X ≤ min(b, c))` for
 * `X ~ Binomial(b + c, ½)`, capped at 1. Exact (no chi-square approximation), so it stays right for
 * the handful of discordant pairs a regression gate usually sees. With no discordant pairs, or as
 * many one way as the other, it is 1.
 * @example mcnemarExact(1, 9) // 0.021484375 (= 2 · 11 / 1024)
 */
export function mcnemarExact(b: number, c: number): number {
  for (const [name, v] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`[govbench] [compare] McNemar ${name} must be a count, got ${v}`);
  }
  const n = b + c;
  const k = Math.min(b, c);
  if (n === 0 || 2 * k === n) return 1;
  // ln P(X = k) = ln C(n, k) − n ln 2, then sum P(X = i) for i ≤ k backwards by the ratio
  // P(X = i − 1) / P(X = i) = i / (n − i + 1): no factorials, no underflow of 2^-n for large n.
  let lnChoose = 0;
  for (let i = 1; i <= k; i++) lnChoose += Math.log((n - k + i) / i);
  let tail = 1;
  let term = 1;
  for (let i = k; i > 0 && term > 1e-17; i--) {
    term *= i / (n - i + 1);
    tail += term;
  }
  return Math.min(1, 2 * Math.exp(lnChoose - n * Math.LN2) * tail);
}

/** The scores of every cluster summed. */
function totalScores(clusters: Float64Array, config: ScoringConfig): ScoreSet {
  const sum = new Float64Array(ACC_WIDTH);
  for (let off = 0; off < clusters.length; off += ACC_WIDTH) addAcc(sum, 0, clusters, off);
  return scoresOf(sum, 0, config);
}

/** A difference of two scores with its bootstrap interval; `null` where it cannot be measured. */
export interface DeltaInterval {
  /** candidate − baseline, on 0–100. */
  value: number | null;
  low: number | null;
  high: number | null;
  /** The two scores the difference is of. */
  baseline: number | null;
  candidate: number | null;
}

/**
 * A paired cluster bootstrap of `score(candidate) − score(baseline)`.
 *
 * `baseline` and `candidate` hold one accumulator per question (see `acc.ts`), at the same index for
 * the same question: each replicate draws question indices with replacement and sums *both* sides'
 * accumulators at the drawn indices, so a question's baseline and candidate cases move together and
 * question difficulty cancels out of the difference. Replicates where either score is undefined are
 * left out. The generator is seeded from the configured seed and `key`, so the same data give the
 * same interval. Percentile interval at `config.bootstrap.confidence`; none when iterations is 0.
 */
export function pairedBootstrapDelta(
  baseline: Float64Array,
  candidate: Float64Array,
  config: ScoringConfig,
  score: ScoreName,
  key: string,
): DeltaInterval {
  if (baseline.length !== candidate.length || baseline.length % ACC_WIDTH !== 0) {
    throw new RangeError('[govbench] [compare] paired bootstrap needs one accumulator per question on both sides');
  }
  const q = baseline.length / ACC_WIDTH;
  const b0 = totalScores(baseline, config)[score];
  const c0 = totalScores(candidate, config)[score];
  const out: DeltaInterval = { value: b0 === null || c0 === null ? null : c0 - b0, low: null, high: null, baseline: b0, candidate: c0 };
  const { iterations, seed, confidence } = config.bootstrap;
  if (out.value === null || iterations === 0) return out;

  const rng = mulberry32(hash32(`${seed}:${key}`));
  const samples = new Float64Array(iterations);
  let n = 0;
  const sb = new Float64Array(ACC_WIDTH);
  const sc = new Float64Array(ACC_WIDTH);
  for (let r = 0; r < iterations; r++) {
    sb.fill(0);
    sc.fill(0);
    for (let i = 0; i < q; i++) {
      const base = Math.floor(rng() * q) * ACC_WIDTH;
      for (let f = 0; f < ACC_WIDTH; f++) {
        sb[f] = (sb[f] as number) + (baseline[base + f] as number);
        sc[f] = (sc[f] as number) + (candidate[base + f] as number);
      }
    }
    const vb = scoresOf(sb, 0, config)[score];
    const vc = scoresOf(sc, 0, config)[score];
    if (vb !== null && vc !== null) samples[n++] = vc - vb;
  }
  if (n === 0) return out;
  const sorted = samples.subarray(0, n).sort();
  const alpha = (1 - confidence) / 2;
  out.low = quantileSorted(sorted, alpha);
  out.high = quantileSorted(sorted, 1 - alpha);
  return out;
}
