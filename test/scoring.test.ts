import { describe, expect, it } from 'vitest';
import { ACC_WIDTH, createAcc, F_ACCURACY_SUM, F_AVAILABLE, F_CASES, F_INTENT_HITS, F_JUDGED, F_RESPONSE_N, F_RESPONSE_SUM, scoresOf } from '../src/scoring/outcome-sums.js';
import { bootstrapIntervals } from '../src/scoring/bootstrap.js';
import {
  DEFAULT_SCORING_CONFIG,
  gradeFor,
  resolveScoringConfig,
  responsivenessFor,
} from '../src/scoring/config.js';
import { rankWithTies } from '../src/scoring/rank.js';
import { quantileSorted } from '../src/scoring/stats.js';
import { mulberry32 as createRng } from '../src/util/random.js';
import { UserError } from '../src/util/errors.js';

describe('scoring config', () => {
  it('defaults to the weights, bands, curve and bootstrap of SPEC §5', () => {
    expect(DEFAULT_SCORING_CONFIG).toEqual({
      weights: { accuracy: 0.4, intent: 0.3, availability: 0.2, responsiveness: 0.1 },
      grades: { excellent: 85, good: 70, average: 60 },
      responsiveness: { fullMs: 3000, zeroMs: 30000 },
      bootstrap: { iterations: 1000, seed: 20240501, confidence: 0.95 },
    });
  });

  it('keeps defaults for fields left out', () => {
    const c = resolveScoringConfig({ bootstrap: { seed: 7 }, grades: { excellent: 90 } });
    expect(c.bootstrap).toEqual({ iterations: 1000, seed: 7, confidence: 0.95 });
    expect(c.grades).toEqual({ excellent: 90, good: 70, average: 60 });
  });

  it.each([
    [{ weights: { accuracy: 0.5 } }, /scoring\.weights.*sum to 1/],
    [{ grades: { good: 90 } }, /excellent > good > average/],
    [{ responsiveness: { fullMs: 5000, zeroMs: 4000 } }, /scoring\.responsiveness\.zeroMs/],
    [{ bootstrap: { iterations: -1 } }, /scoring\.bootstrap\.iterations/],
    [{ weigths: {} }, /scoring/],
  ])('rejects %j with a user error naming the field', (input, message) => {
    expect(() => resolveScoringConfig(input)).toThrow(UserError);
    expect(() => resolveScoringConfig(input)).toThrow(message);
  });
});

describe('responsiveness curve', () => {
  const curve = DEFAULT_SCORING_CONFIG.responsiveness;
  it.each([
    [0, 100],
    [3000, 100],
    [3270, 99],
    [16500, 50],
    [29730, 1],
    [30000, 0],
    [45000, 0],
  ])('%i ms → %f', (ms, expected) => {
    expect(responsivenessFor(ms, curve)).toBeCloseTo(expected, 9);
  });

  it('follows a configured curve', () => {
    expect(responsivenessFor(6000, { fullMs: 1000, zeroMs: 11000 })).toBeCloseTo(50, 9);
  });
});

describe('grade bands', () => {
  it.each([
    [100, 'excellent'],
    [85, 'excellent'],
    [84.99999999999999, 'excellent'],
    [84.99, 'good'],
    [70, 'good'],
    [69.9, 'average'],
    [60, 'average'],
    [59.99, 'poor'],
    [0, 'poor'],
  ] as const)('%f → %s', (score, grade) => {
    expect(gradeFor(score, DEFAULT_SCORING_CONFIG.grades)).toBe(grade);
  });

  it('follows configured bands', () => {
    expect(gradeFor(88, { excellent: 90, good: 80, average: 50 })).toBe('good');
  });
});

describe('quantileSorted (type 7)', () => {
  it.each([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.95, 3.85],
    [[1000, 2000, 3000, 3000, 16500, 30000], 0.95, 26625],
    [[7], 0.95, 7],
    [[1, 3], 0, 1],
    [[1, 3], 1, 3],
  ])('%j at %f → %f', (xs, p, expected) => {
    expect(quantileSorted(xs, p)).toBeCloseTo(expected, 9);
  });

  it('is null without values', () => {
    expect(quantileSorted([], 0.5)).toBeNull();
  });
});

/** One accumulator from counts, to score by hand. */
function acc(cases: number, available: number, judged: number, intentHits: number, accuracySum: number, responseSum: number): Float64Array {
  const a = createAcc();
  a[F_CASES] = cases;
  a[F_AVAILABLE] = available;
  a[F_JUDGED] = judged;
  a[F_INTENT_HITS] = intentHits;
  a[F_ACCURACY_SUM] = accuracySum;
  a[F_RESPONSE_N] = available;
  a[F_RESPONSE_SUM] = responseSum;
  return a;
}

describe('scores of an accumulator', () => {
  it('weights technical support 0.4·accuracy + 0.3·intent + 0.2·availability + 0.1·responsiveness', () => {
    // 10 cases, 8 available, 6 judged: 3 intents recognized, accuracy sum 4.5, responsiveness sum 640.
    const s = scoresOf(acc(10, 8, 6, 3, 4.5, 640), 0, DEFAULT_SCORING_CONFIG);
    expect(s.availability).toBeCloseTo(80, 9);
    expect(s.intent).toBeCloseTo(50, 9);
    expect(s.accuracy).toBeCloseTo(75, 9);
    expect(s.responsiveness).toBeCloseTo(80, 9);
    expect(s.technicalSupport).toBeCloseTo(0.4 * 75 + 0.3 * 50 + 0.2 * 80 + 0.1 * 80, 9);
  });

  it('scores a chatbot that never answered 0 on technical support, with accuracy and intent unmeasured', () => {
    const s = scoresOf(acc(4, 0, 0, 0, 0, 0), 0, DEFAULT_SCORING_CONFIG);
    expect(s).toEqual({ intent: null, accuracy: null, availability: 0, responsiveness: null, technicalSupport: 0 });
  });

  it('leaves technical support unmeasured when every available answer is unjudged', () => {
    const s = scoresOf(acc(4, 4, 0, 0, 0, 400), 0, DEFAULT_SCORING_CONFIG);
    expect(s.availability).toBe(100);
    expect(s.accuracy).toBeNull();
    expect(s.technicalSupport).toBeNull();
  });

  it('is all null without cases', () => {
    expect(Object.values(scoresOf(createAcc(), 0, DEFAULT_SCORING_CONFIG)).every((v) => v === null)).toBe(true);
  });
});

describe('rankWithTies', () => {
  it('gives rank 1 + the number of intervals entirely above, and marks shared ranks as ties', () => {
    const r = rankWithTies([
      { id: 'x', point: 85, interval: [80, 90] },
      { id: 'y', point: 80, interval: [75, 85] },
      { id: 'z', point: 75, interval: [70, 79] },
      { id: 'w', point: null, interval: null },
    ]);
    expect(r.get('x')).toEqual({ rank: 1, tied: true });
    expect(r.get('y')).toEqual({ rank: 1, tied: true });
    // x's low (80) is above z's high (79); y's low (75) is not.
    expect(r.get('z')).toEqual({ rank: 2, tied: false });
    expect(r.get('w')).toEqual({ rank: null, tied: false });
  });

  it('treats touching intervals as overlapping', () => {
    const r = rankWithTies([
      { id: 'p', point: 75, interval: [70, 80] },
      { id: 'q', point: 85, interval: [80, 90] },
    ]);
    expect(r.get('p')).toEqual({ rank: 1, tied: true });
    expect(r.get('q')).toEqual({ rank: 1, tied: true });
  });

  it('ranks points when there are no intervals, with equal points tied and the next rank skipped', () => {
    const r = rankWithTies([
      { id: 'a', point: 80, interval: null },
      { id: 'b', point: 90, interval: null },
      { id: 'c', point: 80, interval: null },
      { id: 'd', point: 70, interval: null },
    ]);
    expect([...r.entries()]).toEqual([
      ['a', { rank: 2, tied: true }],
      ['b', { rank: 1, tied: false }],
      ['c', { rank: 2, tied: true }],
      ['d', { rank: 4, tied: false }],
    ]);
  });

  it('does not depend on input order', () => {
    const items = [
      { id: 'x', point: 85, interval: [80, 90] as [number, number] },
      { id: 'y', point: 80, interval: [75, 85] as [number, number] },
      { id: 'z', point: 75, interval: [70, 79] as [number, number] },
    ];
    expect(rankWithTies([...items].reverse())).toEqual(rankWithTies(items));
  });
});

describe('cluster bootstrap', () => {
  const clustersOf = (...accs: Float64Array[]): Float64Array => {
    const out = new Float64Array(accs.length * ACC_WIDTH);
    accs.forEach((a, i) => out.set(a, i * ACC_WIDTH));
    return out;
  };

  it('is reproducible with a seed and changes with another', () => {
    // Enough distinct questions that the interval ends vary with the draws.
    const clusters = clustersOf(...Array.from({ length: 40 }, (_, i) => acc(3, 3, 3, i % 4, (i % 7) / 3, 300 - i)));
    const a = bootstrapIntervals(clusters, DEFAULT_SCORING_CONFIG, 't');
    const b = bootstrapIntervals(clusters, DEFAULT_SCORING_CONFIG, 't');
    const c = bootstrapIntervals(clusters, resolveScoringConfig({ bootstrap: { seed: 1 } }), 't');
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('gives [0, 100] for two questions scored 0 and 100, around the point estimate 50', () => {
    // Each replicate draws 2 of {0, 100}: 0 w.p. 1/4, 50 w.p. 1/2, 100 w.p. 1/4, so the 2.5% and 97.5% quantiles are 0 and 100.
    const iv = bootstrapIntervals(clustersOf(acc(1, 1, 1, 1, 0, 100), acc(1, 1, 1, 1, 1, 100)), DEFAULT_SCORING_CONFIG, 't');
    expect(iv.accuracy).toEqual([0, 100]);
    expect(iv.intent).toEqual([100, 100]);
  });

  it('moves a question’s repeats together: one question asked many times gives a degenerate interval', () => {
    // Ten repeats of one question, half right: a case-level bootstrap would give a wide interval.
    const iv = bootstrapIntervals(clustersOf(acc(10, 10, 10, 5, 5, 1000)), DEFAULT_SCORING_CONFIG, 't');
    expect(iv.accuracy).toEqual([50, 50]);
    expect(iv.technicalSupport![0]).toBeCloseTo(iv.technicalSupport![1], 9);
  });

  it('is off with 0 iterations', () => {
    const iv = bootstrapIntervals(clustersOf(acc(1, 1, 1, 1, 1, 100)), resolveScoringConfig({ bootstrap: { iterations: 0 } }), 't');
    expect(Object.values(iv).every((v) => v === null)).toBe(true);
  });

  it('draws from a reproducible generator in [0, 1)', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});
