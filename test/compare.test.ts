import { describe, expect, it } from 'vitest';
import { renderCompareJson, toCompareJson } from '../src/reports/compare/json.js';
import { renderCompareMarkdown } from '../src/reports/compare/markdown.js';
import { compareRuns } from '../src/scoring/compare/compare-runs.js';
import type { Comparison } from '../src/scoring/compare/comparison.js';
import { UserError } from '../src/util/errors.js';
import { many, side, type CaseSpec } from './compare-fixtures.js';

const NO_BOOTSTRAP = { scoring: { bootstrap: { iterations: 0 } } };

describe('compareRuns: outcomes and counts', () => {
  // Baseline → candidate per question, and what each pair counts as.
  const table: [string, CaseSpec['out'], CaseSpec['out']][] = [
    ['q01', 'correct', 'incorrect'], // regressed
    ['q02', 'incorrect', 'correct'], // fixed
    ['q03', 'partial', 'correct'], // fixed: partial does not pass
    ['q04', 'correct', 'partial'], // regressed
    ['q05', 'correct', 'unavailable'], // regressed: a technical failure does not pass
    ['q06', 'unavailable', 'correct'], // fixed
    ['q07', 'correct', 'unjudged'], // excluded
    ['q08', 'unjudged', 'incorrect'], // excluded
    ['q09', 'correct', 'correct'], // unchanged
    ['q10', 'no-answer', 'incorrect'], // unchanged
  ];
  const c = compareRuns(
    side('b', ['x'], table.map(([q, out]) => ({ target: 'x', q, out }))),
    side('c', ['x'], table.map(([q, , out]) => ({ target: 'x', q, out }))),
    NO_BOOTSTRAP,
  );

  it('passes only correct, fails partial and unavailable, and excludes unjudged pairs', () => {
    expect(c).toMatchObject({ pairs: 8, fixed: 3, regressed: 3, unchanged: 2, excluded: 2, baselinePass: 4, candidatePass: 4 });
    expect(c.regressedPairs.map((p) => p.questionId)).toEqual(['q01', 'q04', 'q05']);
    expect(c.fixedPairs.map((p) => p.questionId)).toEqual(['q02', 'q03', 'q06']);
    expect(c.regressedPairs[2]).toMatchObject({ baseline: 'correct', candidate: 'unavailable', rationale: null });
    expect(c.regressedPairs[0]).toMatchObject({ baseline: 'correct', candidate: 'incorrect', rationale: 'incorrect because' });
    expect(c.questions.find((q) => q.questionId === 'q07')).toMatchObject({ status: 'excluded', excluded: 1, pairs: 0 });
  });

  it('tests 3 regressed vs 3 fixed as no difference: p = 1, no regression', () => {
    expect(c).toMatchObject({ pValue: 1, candidateWorse: false, significant: false, regression: false, criticalRegressions: [] });
  });

  it('excludes a pair whose case failed on our side: a bug of govbench is no regression of the city', () => {
    const cases: CaseSpec[] = [
      { target: 'x', q: 'q1', out: 'correct' },
      { target: 'x', q: 'q2', out: 'correct' },
    ];
    const candidate = side('c', ['x'], cases.map((s) => (s.q === 'q1' ? { ...s, out: 'unavailable' as const } : s)));
    const failing = [...candidate.cases];
    const ours = compareRuns(side('b', ['x'], cases), { ...candidate, cases: failing.map((r) => (r.questionId === 'q1' ? { ...r, errorKind: 'bug' as const } : r)) }, NO_BOOTSTRAP);
    expect(ours).toMatchObject({ pairs: 1, regressed: 0, unchanged: 1, excluded: 1 });
    // The same failure on the city's side (a timeout) is a regression.
    expect(compareRuns(side('b', ['x'], cases), { ...candidate, cases: failing }, NO_BOOTSTRAP)).toMatchObject({ pairs: 2, regressed: 1 });
  });
});

describe('compareRuns: the gate', () => {
  // 20 questions; the candidate flips 9 from correct to incorrect and 1 the other way: McNemar p = 0.0215.
  const base = [...many('x', 9, 'correct'), ...many('x', 1, 'incorrect', 10), ...many('x', 10, 'correct', 11)];
  const worse = [...many('x', 9, 'incorrect'), ...many('x', 1, 'correct', 10), ...many('x', 10, 'correct', 11)];

  it('fails when the candidate is significantly worse', () => {
    const c = compareRuns(side('b', ['x'], base), side('c', ['x'], worse), NO_BOOTSTRAP);
    expect(c).toMatchObject({ regressed: 9, fixed: 1, candidateWorse: true, significant: true, regression: true, alpha: 0.05 });
    expect(c.pValue).toBeCloseTo(0.021484375, 12);
    expect(renderCompareMarkdown(c).split('\n')[2]).toBe(
      '**REGRESSION** — the candidate is significantly worse (McNemar exact p = 0.0215, α = 0.05: 9 regressed vs 1 fixed).',
    );
  });

  it('passes the same flips at a stricter alpha, and rejects an alpha outside (0, 1)', () => {
    const c = compareRuns(side('b', ['x'], base), side('c', ['x'], worse), { ...NO_BOOTSTRAP, alpha: 0.01 });
    expect(c).toMatchObject({ significant: false, regression: false });
    expect(() => compareRuns(side('b', ['x'], base), side('c', ['x'], worse), { alpha: 0 })).toThrow(UserError);
    expect(() => compareRuns(side('b', ['x'], base), side('c', ['x'], worse), { alpha: 1.5 })).toThrow(/alpha must be between 0 and 1/);
  });

  it('does not fail a candidate that is significantly better', () => {
    const c = compareRuns(side('b', ['x'], worse), side('c', ['x'], base), NO_BOOTSTRAP);
    expect(c).toMatchObject({ regressed: 1, fixed: 9, candidateWorse: false, significant: true, regression: false });
  });

  it('fails on one critical regression even when the candidate is better overall, and names it first', () => {
    const b: CaseSpec[] = [
      ...many('x', 10, 'incorrect'),
      { target: 'x', q: 'zz-critical', out: 'correct', critical: true, matter: 'zz' },
      { target: 'x', q: 'aa-plain', out: 'correct', matter: 'aa' },
    ];
    const c: CaseSpec[] = [
      ...many('x', 10, 'correct'),
      { target: 'x', q: 'zz-critical', out: 'no-answer', critical: true, matter: 'zz' },
      { target: 'x', q: 'aa-plain', out: 'incorrect', matter: 'aa' },
    ];
    const r = compareRuns(side('b', ['x'], b), side('c', ['x'], c), NO_BOOTSTRAP);
    expect(r).toMatchObject({ fixed: 10, regressed: 2, candidateWorse: false, criticalRegressions: ['zz-critical'], regression: true });
    // Critical first although its matter sorts last.
    expect(r.regressedPairs.map((p) => p.questionId)).toEqual(['zz-critical', 'aa-plain']);
    expect(r.questions[0]).toMatchObject({ questionId: 'zz-critical', critical: true, status: 'regressed' });

    const md = renderCompareMarkdown(r);
    const at = (s: string): number => md.indexOf(s);
    expect(md.split('\n')[2]).toBe(
      '**REGRESSION** — 1 critical question regressed (zz-critical). Overall the candidate is significantly better (McNemar exact p = 0.0386, α = 0.05: 2 regressed vs 10 fixed).',
    );
    expect(at('## Critical regressions')).toBeGreaterThan(0);
    expect(at('## Critical regressions')).toBeLessThan(at('## Regressed'));
    expect(at('## Regressed')).toBeLessThan(at('## Fixed'));
    expect(at('## Fixed')).toBeLessThan(at('## By matter'));
    expect(at('## By matter')).toBeLessThan(at('## By intent'));
    expect(at('**critical** zz-critical')).toBeLessThan(at('| aa-plain'));
  });
});

describe('compareRuns: pairing', () => {
  it('pairs targets by a role each run gives to one target, others by id, and counts the rest', () => {
    const b = side('b', [{ id: 'prov-v1', name: 'v1', role: 'prov' }, 'city'], [
      { target: 'prov-v1', q: 'q1', out: 'correct' },
      { target: 'prov-v1', q: 'q2', out: 'incorrect' },
      { target: 'city', q: 'q1', out: 'correct' },
    ]);
    const c = side('c', [{ id: 'prov-v2', name: 'v2', role: 'prov' }, 'city', 'newcomer'], [
      { target: 'prov-v2', q: 'q1', out: 'incorrect' },
      { target: 'prov-v2', q: 'q2', out: 'correct' },
      { target: 'city', q: 'q1', out: 'correct' },
      { target: 'newcomer', q: 'q1', out: 'correct' },
    ]);
    const r = compareRuns(b, c, NO_BOOTSTRAP);
    expect(r.units.map((u) => [u.id, u.pairedBy, u.role, u.pairs, u.fixed, u.regressed])).toEqual([
      ['city', 'target', null, 1, 0, 0],
      ['prov-v1→prov-v2', 'role', 'prov', 2, 1, 1],
    ]);
    expect(r.regressedPairs[0]).toMatchObject({ baselineTarget: 'prov-v1', candidateTarget: 'prov-v2', questionId: 'q1' });
    expect(r.unpaired.unpairedTargetCases).toBe(1);
    expect(r.baseline.targets.sort()).toEqual(['city', 'prov-v1']);
    expect(r.candidate.targets.sort()).toEqual(['city', 'prov-v2']);
  });

  it('pairs by id when a role is shared by several targets of a run', () => {
    const targets = [
      { id: 'v1', name: 'v1', role: 'prov' },
      { id: 'v2', name: 'v2', role: 'prov' },
    ];
    const cases = (v1: CaseSpec['out'], v2: CaseSpec['out']): CaseSpec[] => [
      { target: 'v1', q: 'q1', out: v1 },
      { target: 'v2', q: 'q1', out: v2 },
    ];
    const r = compareRuns(side('b', targets, cases('correct', 'incorrect')), side('c', targets, cases('correct', 'incorrect')), NO_BOOTSTRAP);
    expect(r.units.map((u) => [u.id, u.pairedBy])).toEqual([
      ['v1', 'target'],
      ['v2', 'target'],
    ]);
    expect(r).toMatchObject({ pairs: 2, unchanged: 2, fixed: 0, regressed: 0 });
  });

  it('compares two chosen targets of one run and ignores the others', () => {
    const run = side('r', [{ id: 'v1', name: 'v1', role: 'prov' }, { id: 'v2', name: 'v2', role: 'prov' }, 'other'], [
      { target: 'v1', q: 'q1', out: 'correct' },
      { target: 'v2', q: 'q1', out: 'incorrect' },
      { target: 'v1', q: 'q2', out: 'incorrect', repeat: 1 },
      { target: 'v2', q: 'q2', out: 'correct', repeat: 1 },
      { target: 'other', q: 'q1', out: 'correct' },
    ]);
    const again = { ...run, cases: [...run.cases] };
    const r = compareRuns(run, again, { ...NO_BOOTSTRAP, targets: { baseline: 'v1', candidate: 'v2' } });
    expect(r.units).toHaveLength(1);
    expect(r.units[0]).toMatchObject({ id: 'v1→v2', pairedBy: 'selected', role: 'prov' });
    expect(r).toMatchObject({ pairs: 2, fixed: 1, regressed: 1 });
    expect(r.unpaired.unpairedTargetCases).toBe(0);
    expect(() => compareRuns(run, again, { targets: { baseline: 'v1', candidate: 'v9' } })).toThrow(/candidate run has no target "v9"/);
  });

  it('refuses to compare runs where nothing pairs', () => {
    expect(() => compareRuns(side('b', ['x'], many('x', 2, 'correct')), side('c', ['y'], many('y', 2, 'correct')))).toThrow(UserError);
  });
});

describe('compareRuns: banks that differ', () => {
  it('compares only the shared questions and counts what it dropped', () => {
    const b = side('b', ['x'], [...many('x', 4, 'correct'), { target: 'x', q: 'q03', out: 'correct', repeat: 1 }], 'bank-A');
    const c = side('c', ['x'], many('x', 4, 'incorrect', 3), 'bank-B'); // q03…q06
    const r = compareRuns(b, c, NO_BOOTSTRAP);
    expect(r).toMatchObject({ sharedQuestionsOnly: true, sharedQuestions: 2, pairs: 2, regressed: 2 });
    expect(r.unpaired).toEqual({
      baselineCases: 1, // q03 repeat 1: its question is shared, its partner missing
      candidateCases: 0,
      baselineOnlyQuestions: 2,
      candidateOnlyQuestions: 2,
      baselineOnlyCases: 2,
      candidateOnlyCases: 2,
      unpairedTargetCases: 0,
    });
    const md = renderCompareMarkdown(r);
    expect(md).toContain('**The question banks differ**: only the 2 questions both runs asked are compared');
    expect(toCompareJson(r).sharedQuestionsOnly).toBe(true);
  });

  it('says nothing about banks when they are the same', () => {
    const r = compareRuns(side('b', ['x'], many('x', 2, 'correct')), side('c', ['x'], many('x', 2, 'correct')), NO_BOOTSTRAP);
    expect(r.sharedQuestionsOnly).toBe(false);
    expect(renderCompareMarkdown(r)).not.toContain('banks differ');
  });
});

describe('compareRuns: score difference and breakdowns', () => {
  it('differences technical support over the paired cases with a seeded paired bootstrap', () => {
    // As in paired-stats: baseline 100; the candidate misses q01 → 0.4·75 + 60 = 90.
    const b = side('b', ['x'], many('x', 4, 'correct'));
    const cand = (): Comparison =>
      compareRuns(b, side('c', ['x'], [{ target: 'x', q: 'q01', out: 'incorrect' }, ...many('x', 3, 'correct', 2)]), {
        scoring: { bootstrap: { iterations: 1000, seed: 7 } },
      });
    const r = cand();
    expect(r.scoreDelta.value).toBeCloseTo(-10, 9);
    expect(r.scoreDelta.low).toBeCloseTo(-30, 9);
    expect(r.scoreDelta.high).toBeCloseTo(0, 9);
    expect(r.scores.baseline.technicalSupport).toBeCloseTo(100, 9);
    expect(r.scores.candidate.accuracy).toBeCloseTo(75, 9);
    expect(r.scoreDelta.confidence).toBe(0.95);
    expect(cand().scoreDelta).toEqual(r.scoreDelta);
  });

  it('counts fixed and regressed per matter and per intent', () => {
    const b: CaseSpec[] = [
      { target: 'x', q: 'q1', out: 'correct', matter: 'm1', aspect: 'a' },
      { target: 'x', q: 'q2', out: 'incorrect', matter: 'm1', aspect: 'b' },
      { target: 'x', q: 'q3', out: 'correct', matter: 'm2', aspect: 'a' },
    ];
    const c: CaseSpec[] = [
      { target: 'x', q: 'q1', out: 'incorrect', matter: 'm1', aspect: 'a' },
      { target: 'x', q: 'q2', out: 'correct', matter: 'm1', aspect: 'b' },
      { target: 'x', q: 'q3', out: 'correct', matter: 'm2', aspect: 'a' },
    ];
    const r = compareRuns(side('b', ['x'], b), side('c', ['x'], c), { ...NO_BOOTSTRAP, names: { matters: [{ id: 'm1', name: '事项一' }] } });
    expect(r.matters.map((m) => [m.id, m.name, m.pairs, m.fixed, m.regressed, m.unchanged])).toEqual([
      ['m1', '事项一', 2, 1, 1, 0],
      ['m2', null, 1, 0, 0, 1],
    ]);
    expect(r.intents.map((i) => [i.id, i.fixed, i.regressed, i.baselinePass, i.candidatePass])).toEqual([
      ['m1/a', 0, 1, 1, 0],
      ['m1/b', 1, 0, 0, 1],
      ['m2/a', 0, 0, 1, 1],
    ]);
  });
});

describe('compare reports', () => {
  const r = compareRuns(
    side('b', ['x'], [{ target: 'x', q: 'q1', out: 'correct' }, { target: 'x', q: 'q2', out: 'incorrect' }]),
    side('c', ['x'], [{ target: 'x', q: 'q1', out: 'incorrect', rationale: 'wrong | fee' }, { target: 'x', q: 'q2', out: 'correct' }]),
    NO_BOOTSTRAP,
  );
  const withAnswers: Comparison = {
    ...r,
    regressedPairs: r.regressedPairs.map((p) => ({
      ...p,
      asked: '费用多少？',
      baselineAnswer: { text: '免费。\n无需缴费 | 不收费', error: null },
      candidateAnswer: { text: '<script>alert(1)</script><img src=x onerror=alert(2)> 收费 100 元', error: null },
    })),
  };

  it('keeps the JSON keys of SPEC §6 first, with the score difference as value, low and high', () => {
    const json = JSON.parse(renderCompareJson(withAnswers)) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 11)).toEqual([
      'baseline',
      'candidate',
      'pairs',
      'fixed',
      'regressed',
      'unchanged',
      'pValue',
      'scoreDelta',
      'criticalRegressions',
      'regression',
      'alpha',
    ]);
    expect(json).toMatchObject({ pairs: 2, fixed: 1, regressed: 1, unchanged: 0, pValue: 1, criticalRegressions: [], regression: false });
    expect(json.scoreDelta).toMatchObject({ value: expect.any(Number), low: null, high: null });
    expect((json.baseline as { id: string }).id).toBe('b');
    expect((json.regressedPairs as { candidateAnswer: { text: string } }[])[0]!.candidateAnswer.text).toContain('<script>');
  });

  it('shows both answers side by side in one escaped table row', () => {
    const md = renderCompareMarkdown(withAnswers);
    const row = md.split('\n').find((l) => l.startsWith('| q1'))!;
    expect(row).toContain('**✓ correct**<br>免费。<br>无需缴费 \\| 不收费');
    expect(row).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(row).toContain('wrong \\| fee');
    expect(md).not.toMatch(/<script|<img/);
    // The row has exactly the table's 5 cells: every `|` of the answers was escaped.
    expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(5);
    expect(md.split('\n')[2]).toMatch(/^\*\*No regression\*\*/);
  });
});
