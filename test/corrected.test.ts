import { describe, expect, it } from 'vitest';
import type { CalibrationItemRow, CalibrationRow, CaseRecord, VerdictLabel } from '../src/domain/types.js';
import { codeItems, countCodes, errorRatesOf, roganGladen } from '../src/scoring/corrected.js';
import { competitionRanks } from '../src/scoring/joint-bootstrap.js';
import type { ReportModel, TargetReport } from '../src/scoring/model.js';
import { scoreRun } from '../src/scoring/score-run.js';
import { renderJson } from '../src/reports/json.js';
import { renderHtml } from '../src/reports/html/render-html.js';
import { record, RUN } from './scoring-fixtures.js';

const item = (gold: VerdictLabel, predicted: VerdictLabel | null): CalibrationItemRow => ({
  question: 'q1',
  variant: 0,
  turn: 0,
  gold: { verdict: gold, intentRecognized: true },
  predicted: predicted && { verdict: predicted, intentRecognized: true },
});

/** `n` gold-correct items of which `ff` judged not correct, `m` gold-other of which `fp` judged correct. */
function calibration(n: number, ff: number, m: number, fp: number, judgeVersion = 'v1'): CalibrationRow {
  const items = [
    ...Array.from({ length: n }, (_, i) => item('correct', i < ff ? 'partial' : 'correct')),
    ...Array.from({ length: m }, (_, i) => item(i % 2 ? 'incorrect' : 'no-answer', i < fp ? 'correct' : 'incorrect')),
  ];
  return { id: 1, judge: 'matcher', judgeVersion, banksHash: 'h', createdAt: '2026-01-01T00:00:00.000Z', items };
}

/** One case per question; `said(i)` is the verdict the judge gave question i. */
function target(id: string, questions: number, said: (i: number) => VerdictLabel): CaseRecord[] {
  return Array.from({ length: questions }, (_, i) => {
    const v = said(i);
    return record({ target: id, q: `q${String(i).padStart(4, '0')}`, v: [v, v !== 'no-answer', v === 'correct' ? 1 : 0, null] });
  });
}

const T = (id: string) => ({ id, name: id, region: 'east' as const });
/** Fewer replicates than the default keep the file fast; the figures tested do not need more. */
const config = { bootstrap: { iterations: 400 } };
const byId = (m: ReportModel, id: string): TargetReport => m.targets.find((t) => t.id === id)!;

describe('Rogan–Gladen', () => {
  it('matches hand-computed values: p = (q − FP) / (1 − FP − FF)', () => {
    expect(roganGladen(0.6, 0.1, 0.2).value).toBeCloseTo(0.5 / 0.7, 12);
    expect(roganGladen(0.6, 0.3, 0.1).value).toBeCloseTo(0.5, 12);
    expect(roganGladen(0.42, 0, 0).value).toBeCloseTo(0.42, 12);
  });

  it('clamps to [0, 1] where sampling pushes it out', () => {
    expect(roganGladen(0.05, 0.1, 0.2).value).toBe(0);
    expect(roganGladen(0.95, 0.1, 0.2).value).toBe(1);
  });

  it('is undefined, with the reason, when 1 − FP − FF ≤ 0', () => {
    const even = roganGladen(0.5, 0.6, 0.4);
    expect(even.value).toBeNull();
    expect(even).toMatchObject({ reason: expect.stringMatching(/false-pass \(60\.0%\) and false-fail \(40\.0%\).*say nothing about correctness/) });
    expect(roganGladen(0.5, 0.7, 0.5).value).toBeNull();
  });

  it('estimates error rates from items, leaving out those without a prediction, and says when one rate is unknown', () => {
    const items = [item('correct', 'correct'), item('correct', 'partial'), item('incorrect', 'correct'), item('no-answer', 'no-answer'), item('partial', 'incorrect'), item('correct', null)];
    const coded = codeItems(items);
    expect(coded.length).toBe(5);
    // gold correct: 2, one judged not correct → FF ½; gold other (incorrect, no-answer, partial): 3, one judged correct → FP ⅓.
    const r = errorRatesOf(countCodes(coded));
    expect(r.falsePass).toBeCloseTo(1 / 3, 12);
    expect(r.falseFail).toBeCloseTo(1 / 2, 12);
    expect(errorRatesOf(countCodes(codeItems([item('correct', 'correct')])))).toMatchObject({ falsePass: null, reason: /no gold answer that is not correct/ });
    expect(errorRatesOf(countCodes(codeItems([item('partial', 'correct')])))).toMatchObject({ falseFail: null, reason: /no gold answer that is correct/ });
  });

  it('ranks by competition: equal values share a rank, the next is skipped', () => {
    expect(competitionRanks([90, 70, 90, null, 50])).toEqual([1, 3, 1, null, 4]);
  });
});

/*
 * A synthetic run: 400 questions, truly correct on 200. The judge is biased: it calls 90% of correct
 * answers correct (FF 0.1) and 30% of the others (FP 0.3), so it sees 180 + 60 = 240 correct: q = 60%.
 * Rogan–Gladen with the calibrated rates: (0.6 − 0.3) / (1 − 0.3 − 0.1) = 0.5, the truth.
 */
const biased = target('city', 400, (i) => (i % 2 === 0 ? (i % 20 < 18 ? 'correct' : 'partial') : i % 20 < 7 ? 'correct' : 'incorrect'));

describe('judge-corrected accuracy in the report model', () => {
  const score = (cal: CalibrationRow) => scoreRun({ run: RUN, targets: [T('city')], cases: biased, calibration: { row: cal }, config });

  it('moves a biased judge’s share of correct answers to the truth, with an interval around it', () => {
    const c = byId(score(calibration(100, 10, 100, 30)), 'city').corrected!;
    expect(c.observed).toBeCloseTo(60, 9);
    expect(c.accuracy).toBeCloseTo(50, 9);
    expect(c).toMatchObject({ falsePass: 0.3, falseFail: 0.1, items: 200, reason: null });
    expect(c.low!).toBeLessThan(50);
    expect(c.high!).toBeGreaterThan(50);
    expect(c.high! - c.low!).toBeLessThan(40);
  });

  it('widens the interval as the calibration shrinks (the calibration’s own uncertainty)', () => {
    const width = (cal: CalibrationRow) => {
      const c = byId(score(cal), 'city').corrected!;
      return c.high! - c.low!;
    };
    const large = width(calibration(400, 40, 400, 120));
    const small = width(calibration(20, 2, 20, 6));
    expect(small).toBeGreaterThan(large * 1.5);
  });

  it('records which calibration applied, and says why none does', () => {
    const m = score(calibration(100, 10, 100, 30));
    expect(m.calibration).toEqual({
      applied: { id: 1, judge: 'matcher', judgeVersion: 'v1', banksHash: 'h', createdAt: '2026-01-01T00:00:00.000Z', items: 200, falsePass: 0.3, falseFail: 0.1 },
      reason: null,
    });
    const none = scoreRun({ run: RUN, targets: [T('city')], cases: biased, calibration: { row: null, reason: 'no calibration of judge matcher is on record' }, config });
    expect(none.calibration).toEqual({ applied: null, reason: 'no calibration of judge matcher is on record' });
    expect(byId(none, 'city').corrected).toBeNull();
    expect(scoreRun({ run: RUN, targets: [T('city')], cases: biased, config }).calibration).toBeNull();
  });

  it('gives no corrected value, with the reason, for a judge whose verdicts carry no information', () => {
    const m = score(calibration(10, 6, 10, 5));
    const c = byId(m, 'city').corrected!;
    expect(c).toMatchObject({ observed: 60, accuracy: null, low: null, high: null, falsePass: 0.5, falseFail: 0.6 });
    expect(c.reason).toMatch(/sum to 100% or more/);
    expect(m.calibration!.reason).toBe(c.reason);
    // Ranks fall back to the uncorrected technical support.
    expect(byId(m, 'city').rankInterval).toEqual([1, 1]);
  });

  it('writes corrected, rankInterval and gradeRange into the JSON report, and escapes the HTML table', () => {
    const m = scoreRun({ run: RUN, targets: [{ ...T('city'), name: '<b>城</b>' }], cases: biased, calibration: { row: calibration(100, 10, 100, 30) }, config });
    const json = JSON.parse(renderJson(m));
    expect(json.targets[0]).toMatchObject({ rankInterval: [1, 1], gradeRange: ['good', 'excellent'], corrected: { observed: 60, accuracy: 50, falsePass: 0.3, falseFail: 0.1, items: 200 } });
    expect(json.calibration.applied.judgeVersion).toBe('v1');
    const html = renderHtml(m, { worstAnswers: [] });
    expect(html).toContain('Rank intervals and judge-corrected accuracy');
    expect(html).toMatch(/<td>&lt;b&gt;城&lt;\/b&gt;<\/td><td class="num">1<\/td><td class="num">good–excellent<\/td><td class="num">60\.0<\/td><td class="num">50\.0<\/td>/);
    expect(html).not.toContain('<b>城</b>');
  });
});

describe('rank intervals from the joint bootstrap', () => {
  const Q = 60;
  // leader: all correct. twin-a correct on even questions, twin-b on odd ones: the same share, never the same answers.
  const cases = [
    ...target('leader', Q, () => 'correct'),
    ...target('twin-a', Q, (i) => (i % 2 === 0 ? 'correct' : 'no-answer')),
    ...target('twin-b', Q, (i) => (i % 2 === 1 ? 'correct' : 'no-answer')),
    ...target('laggard', Q, (i) => (i % 10 === 0 ? 'correct' : 'no-answer')),
  ];
  const m = scoreRun({ run: RUN, targets: ['twin-a', 'laggard', 'leader', 'twin-b'].map(T), cases });

  it('gives a clear leader [1, 1] and a clear last [n, n]', () => {
    expect(byId(m, 'leader')).toMatchObject({ rankInterval: [1, 1], rank: 1, tied: false });
    expect(byId(m, 'laggard')).toMatchObject({ rankInterval: [4, 4], rank: 4, tied: false });
  });

  it('gives two indistinguishable targets overlapping intervals and ties them', () => {
    expect(byId(m, 'twin-a')).toMatchObject({ rankInterval: [2, 3], rank: 2, tied: true });
    expect(byId(m, 'twin-b')).toMatchObject({ rankInterval: [2, 3], rank: 2, tied: true });
  });

  it('is reproducible with the seed', () => {
    const again = scoreRun({ run: RUN, targets: ['leader', 'twin-b', 'twin-a', 'laggard'].map(T), cases: [...cases].reverse() });
    expect(again.targets.map((t) => [t.id, t.rankInterval])).toEqual(m.targets.map((t) => [t.id, t.rankInterval]));
  });

  it('ranks on corrected accuracy when a calibration applies', () => {
    // partial: every answer partial at 0.9 (accuracy 90, none correct). split: 60% correct, 40% incorrect
    // (accuracy 60). Intent, availability and speed are equal. Uncorrected, partial leads; corrected
    // with FP = FF = 0.1 partial's correct share is (0 − 0.1) / 0.8 → 0 and split's (0.6 − 0.1) / 0.8 = 62.5%.
    const both = [
      ...Array.from({ length: Q }, (_, i) => record({ target: 'partial', q: `q${i}`, v: ['partial', true, 0.9, null] })),
      ...Array.from({ length: Q }, (_, i) => record({ target: 'split', q: `q${i}`, v: i % 5 < 3 ? ['correct', true, 1, null] : ['incorrect', true, 0, null] })),
    ];
    const targets = ['partial', 'split'].map(T);
    const plain = scoreRun({ run: RUN, targets, cases: both });
    expect(plain.targets.map((t) => [t.id, t.rankInterval])).toEqual([['partial', [1, 1]], ['split', [2, 2]]]);
    const corrected = scoreRun({ run: RUN, targets, cases: both, calibration: { row: calibration(100, 10, 100, 10) } });
    expect(byId(corrected, 'split').corrected!.accuracy).toBeCloseTo(62.5, 9);
    expect(byId(corrected, 'partial').corrected!.accuracy).toBe(0);
    expect(corrected.targets.map((t) => [t.id, t.rankInterval])).toEqual([['split', [1, 1]], ['partial', [2, 2]]]);
  });
});
