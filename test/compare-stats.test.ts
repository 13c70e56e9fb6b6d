import { describe, expect, it } from 'vitest';
import {
  ACC_WIDTH,
  F_ACCURACY_SUM,
  F_AVAILABLE,
  F_CASES,
  F_INTENT_HITS,
  F_JUDGED,
  F_RESPONSE_N,
  F_RESPONSE_SUM,
} from '../src/scoring/outcome-sums.js';
import { mcnemarExact, pairedBootstrapDelta } from '../src/scoring/compare/paired-stats.js';
import { resolveScoringConfig } from '../src/scoring/config.js';

describe('mcnemarExact', () => {
  // Reference values: 2 · Σ_{i ≤ min(b,c)} C(b+c, i) / 2^(b+c), with exact integers (Python `math.comb`).
  it.each([
    [1, 9, 0.021484375], // 2 · (1 + 10) / 1024
    [9, 1, 0.021484375],
    [0, 5, 0.0625], // 2 / 32
    [2, 10, 0.03857421875], // 2 · (1 + 12 + 66) / 4096
    [3, 3, 1],
    [0, 0, 1],
    [0, 1, 1],
    [18, 86, 8.219918048937058e-12],
    [400, 480, 0.007707305043339141],
    [5000, 5200, 0.04878796312682245], // 2^-10200 underflows a double: the sum must be done in logs
  ])('b=%i, c=%i → p=%f', (b, c, p) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(p, 12);
    expect(mcnemarExact(b, c) / p).toBeCloseTo(1, 9);
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(/b must be a count/);
    expect(() => mcnemarExact(1, 2.5)).toThrow(/c must be a count/);
  });
});

/** One question's accumulator: `n` available cases answered in time, `hits` of them accurate and on intent. */
function cluster(n: number, hits: number): number[] {
  const a = new Array<number>(ACC_WIDTH).fill(0);
  a[F_CASES] = n;
  a[F_AVAILABLE] = n;
  a[F_JUDGED] = n;
  a[F_INTENT_HITS] = n;
  a[F_ACCURACY_SUM] = hits;
  a[F_RESPONSE_N] = n;
  a[F_RESPONSE_SUM] = 100 * n;
  return a;
}

const clusters = (list: number[][]): Float64Array => Float64Array.from(list.flat());

describe('pairedBootstrapDelta', () => {
  const config = resolveScoringConfig({ bootstrap: { iterations: 1000, seed: 7 } });

  it('gives the point difference and a percentile interval worked out by hand', () => {
    // 4 questions, one case each; the candidate gets q1 wrong. Technical support = 0.4·accuracy + 60:
    // baseline 100, candidate 0.4·75 + 60 = 90. A replicate drawing q1 k times has Δ = −10·k with
    // k ~ Binomial(4, ¼): P(k ≥ 3) = 5.1% > 2.5% and P(k = 4) = 0.4% < 2.5%, so low = −30; P(k = 0) = 32%, so high = 0.
    const b = clusters([cluster(1, 1), cluster(1, 1), cluster(1, 1), cluster(1, 1)]);
    const c = clusters([cluster(1, 0), cluster(1, 1), cluster(1, 1), cluster(1, 1)]);
    const d = pairedBootstrapDelta(b, c, config, 'technicalSupport', 'k');
    expect(d.baseline).toBeCloseTo(100, 9);
    expect(d.candidate).toBeCloseTo(90, 9);
    expect(d.value).toBeCloseTo(-10, 9);
    expect(d.low).toBeCloseTo(-30, 9);
    expect(d.high).toBeCloseTo(0, 9);
  });

  it('resamples the two sides together, so identical sides have a zero-width interval', () => {
    const same = clusters([cluster(3, 1), cluster(2, 2), cluster(4, 0), cluster(1, 1)]);
    const d = pairedBootstrapDelta(same, Float64Array.from(same), config, 'accuracy', 'k');
    expect([d.value, d.low, d.high]).toEqual([0, 0, 0]);
  });

  it('is reproducible with a seed, depends on it, and contains the point difference', () => {
    const list = Array.from({ length: 30 }, (_, i) => [cluster(4, (i * 7) % 5), cluster(4, (i * 3 + 1) % 5)] as const);
    const b = clusters(list.map((x) => x[0]));
    const c = clusters(list.map((x) => x[1]));
    const first = pairedBootstrapDelta(b, c, config, 'technicalSupport', 'k');
    expect(pairedBootstrapDelta(b, c, config, 'technicalSupport', 'k')).toEqual(first);
    const other = pairedBootstrapDelta(b, c, resolveScoringConfig({ bootstrap: { iterations: 1000, seed: 8 } }), 'technicalSupport', 'k');
    expect([other.low, other.high]).not.toEqual([first.low, first.high]);
    expect(other.value).toBe(first.value);
    expect(first.low!).toBeLessThan(first.value!);
    expect(first.high!).toBeGreaterThan(first.value!);
  });

  it('has no interval with bootstrapping off, and no difference where a side cannot be scored', () => {
    const b = clusters([cluster(1, 1)]);
    const off = pairedBootstrapDelta(b, b, resolveScoringConfig({ bootstrap: { iterations: 0 } }), 'accuracy', 'k');
    expect(off).toEqual({ value: 0, low: null, high: null, baseline: 100, candidate: 100 });
    const empty = clusters([new Array<number>(ACC_WIDTH).fill(0)]);
    expect(pairedBootstrapDelta(b, empty, config, 'accuracy', 'k')).toMatchObject({ value: null, low: null, high: null, candidate: null });
  });

  it('refuses sides of different lengths', () => {
    expect(() => pairedBootstrapDelta(clusters([cluster(1, 1)]), new Float64Array(0), config, 'accuracy', 'k')).toThrow(RangeError);
  });
});
