import { describe, expect, it } from 'vitest';
import { toCompareJson } from '../src/reports/compare/json.js';
import { renderCompareMarkdown } from '../src/reports/compare/markdown.js';
import { compareRuns } from '../src/scoring/compare/compare-runs.js';
import { side, type CaseSpec } from './compare-fixtures.js';

const NO_BOOTSTRAP = { scoring: { bootstrap: { iterations: 0 } } };

/** One question asked `outs.length` times (repeats 1..k) in its canonical phrasing. */
const repeats = (q: string, outs: CaseSpec['out'][], extra: Partial<CaseSpec> = {}): CaseSpec[] =>
  outs.map((out, i) => ({ target: 'x', q, out, repeat: i + 1, ...extra }));

const stable = (n: number, prefix: string, out: CaseSpec['out']): CaseSpec[] =>
  Array.from({ length: n }, (_, i) => repeats(`${prefix}${i}`, [out, out, out])).flat();

describe('compare with --repeat: flaky questions', () => {
  it('sets questions that flip within a side apart, so their noise neither fails nor passes the gate', () => {
    // Ten questions flip between right and wrong within both sides; by chance their pairs line up as
    // eight regressed and one fixed (p ≈ 0.04 if they were counted).
    const flips: [CaseSpec['out'][], CaseSpec['out'][]][] = Array.from({ length: 10 }, (_, i) =>
      i < 8 ? [['correct', 'incorrect', 'correct'], ['incorrect', 'incorrect', 'correct']] : i === 8 ? [['incorrect', 'correct', 'incorrect'], ['correct', 'correct', 'incorrect']] : [['correct', 'incorrect', 'correct'], ['correct', 'incorrect', 'correct']],
    );
    const base = [...stable(5, 'ok', 'correct'), ...flips.flatMap(([b], i) => repeats(`flaky${i}`, b))];
    const cand = [...stable(5, 'ok', 'correct'), ...flips.flatMap(([, c], i) => repeats(`flaky${i}`, c))];
    const c = compareRuns(side('b', ['x'], base), side('c', ['x'], cand), NO_BOOTSTRAP);
    expect(c.flaky.map((f) => f.questionId)).toEqual(Array.from({ length: 10 }, (_, i) => `flaky${i}`));
    expect(c.flakyPairs).toBe(30);
    expect(c).toMatchObject({ pairs: 15, regressed: 0, fixed: 0, unchanged: 15, significant: false, regression: false });
    expect(c.flaky[0]).toMatchObject({ baseline: { attempts: 3, correct: 2 }, candidate: { attempts: 3, correct: 1 }, criticalRegression: false });
    expect(c.questions.some((q) => q.questionId.startsWith('flaky'))).toBe(false);
    const json = toCompareJson(c);
    expect(json.flakyPairs).toBe(30);
    expect(json.flaky).toHaveLength(10);
    const md = renderCompareMarkdown(c);
    expect(md).toContain('## Flaky questions (10)');
    expect(md).toMatch(/\| flaky0 \| x \| m1 \|\s*\| 2 of 3 \| 1 of 3 \|/);
  });

  it('still fails on a consistent regression beside flaky questions', () => {
    const base = [...stable(12, 'r', 'correct'), ...repeats('noise', ['correct', 'incorrect', 'correct'])];
    const cand = [...stable(12, 'r', 'incorrect'), ...repeats('noise', ['correct', 'correct', 'correct'])];
    const c = compareRuns(side('b', ['x'], base), side('c', ['x'], cand), NO_BOOTSTRAP);
    expect(c.flaky.map((f) => f.questionId)).toEqual(['noise']);
    expect(c).toMatchObject({ regressed: 36, fixed: 0, significant: true, regression: true });
  });

  it('fails on a critical question the baseline always answered and the candidate only sometimes does', () => {
    const base = [...stable(3, 'ok', 'correct'), ...repeats('crit', ['correct', 'correct', 'correct'], { critical: true })];
    const cand = [...stable(3, 'ok', 'correct'), ...repeats('crit', ['correct', 'incorrect', 'correct'], { critical: true })];
    const c = compareRuns(side('b', ['x'], base), side('c', ['x'], cand), NO_BOOTSTRAP);
    expect(c.flaky).toEqual([expect.objectContaining({ questionId: 'crit', critical: true, criticalRegression: true })]);
    expect(c.criticalRegressions).toEqual(['crit']);
    expect(c.regression).toBe(true);
    expect(renderCompareMarkdown(c)).toContain('| crit | m1 | — | flaky: 2 of 3 correct, was 3 of 3 |');

    // A critical question already flaky in the baseline is noise, not a regression.
    const noisyBase = [...stable(3, 'ok', 'correct'), ...repeats('crit', ['incorrect', 'correct', 'correct'], { critical: true })];
    const d = compareRuns(side('b', ['x'], noisyBase), side('c', ['x'], cand), NO_BOOTSTRAP);
    expect(d.criticalRegressions).toEqual([]);
    expect(d.regression).toBe(false);
  });
});
