import { SCORE_NAMES } from '../domain/types.js';
import { ACC_WIDTH, scoresOf } from './outcome-sums.js';
import type { ScoringConfig } from './config.js';
import type { IntervalSet } from './model.js';
import { hash32, mulberry32 } from '../util/random.js';
import { quantileSorted } from './stats.js';

/**
 * Percentile intervals of every score by a cluster bootstrap over questions.
 *
 * `clusters` holds one accumulator per question (all its variants and repeats summed), so a question's
 * cases move together: repeats and variants of one question are not independent evidence. Each of
 * `iterations` replicates draws as many questions as there are, with replacement, sums their
 * accumulators and scores the sum exactly as the point estimate is scored. Replicates where a score
 * is undefined (e.g. only failed questions drawn, for accuracy) are left out of that score's interval.
 *
 * The generator is seeded from the configured seed and `key` (the target id), so a target's interval
 * depends only on its own cases and the seed — not on the other targets or the order cases arrived in
 * (the caller orders `clusters` by question id).
 */
export function bootstrapIntervals(clusters: Float64Array, config: ScoringConfig, key: string): IntervalSet {
  const { iterations, seed, confidence } = config.bootstrap;
  const q = clusters.length / ACC_WIDTH;
  const out = Object.fromEntries(SCORE_NAMES.map((n) => [n, null])) as IntervalSet;
  if (iterations === 0 || q === 0) return out;

  const rng = mulberry32(hash32(`${seed}:${key}`));
  const samples = SCORE_NAMES.map(() => new Float64Array(iterations));
  const counts = SCORE_NAMES.map(() => 0);
  const sum = new Float64Array(ACC_WIDTH);
  for (let b = 0; b < iterations; b++) {
    sum.fill(0);
    for (let i = 0; i < q; i++) {
      const base = Math.floor(rng() * q) * ACC_WIDTH;
      for (let f = 0; f < ACC_WIDTH; f++) sum[f] = (sum[f] as number) + (clusters[base + f] as number);
    }
    const s = scoresOf(sum, 0, config);
    SCORE_NAMES.forEach((name, k) => {
      const v = s[name];
      if (v === null) return;
      const c = counts[k] as number;
      (samples[k] as Float64Array)[c] = v;
      counts[k] = c + 1;
    });
  }

  const alpha = (1 - confidence) / 2;
  SCORE_NAMES.forEach((name, k) => {
    const n = counts[k] as number;
    if (n === 0) return;
    const sorted = (samples[k] as Float64Array).subarray(0, n).sort();
    out[name] = [quantileSorted(sorted, alpha) as number, quantileSorted(sorted, 1 - alpha) as number];
  });
  return out;
}
