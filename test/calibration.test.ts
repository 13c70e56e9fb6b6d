import { beforeAll, describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { VERDICTS, type Judge, type Verdict, type VerdictLabel } from '../src/domain/types.js';
import {
  agreement,
  calibrationHalf,
  cohensKappa,
  confusionMatrix,
  loadCalibrationSets,
  runCalibration,
  summarizeCalibration,
  type CalibrationItem,
  type CalibrationOutcome,
} from '../src/judge/calibration.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import { InputErrors, UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';

const BANK = 'test/fixtures/matcher';
const SET = 'test/fixtures/matcher-calibration';

describe("Cohen's kappa", () => {
  it('matches a hand computation on three labels', () => {
    // pₒ = 4/6; pₑ = (3·2 + 2·2 + 1·2)/36 = 1/3; κ = (2/3 − 1/3)/(1 − 1/3) = 0.5
    const gold = ['a', 'a', 'a', 'b', 'b', 'c'];
    const pred = ['a', 'a', 'b', 'b', 'c', 'c'];
    expect(agreement(gold, pred)).toBeCloseTo(4 / 6, 12);
    expect(cohensKappa(gold, pred)).toBeCloseTo(0.5, 12);
  });

  it('matches the textbook yes/no example (κ = 0.4)', () => {
    // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: pₒ = 0.7, pₑ = 0.5·0.6 + 0.5·0.4 = 0.5
    const gold = [...Array(25).fill('yes'), ...Array(25).fill('no')] as string[];
    const pred = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')] as string[];
    expect(agreement(gold, pred)).toBeCloseTo(0.7, 12);
    expect(cohensKappa(gold, pred)).toBeCloseTo(0.4, 12);
  });

  it.each([
    { name: 'perfect agreement', gold: ['a', 'b', 'a'], pred: ['a', 'b', 'a'], kappa: 1 },
    { name: 'agreement no better than chance', gold: ['a', 'a', 'b', 'b'], pred: ['a', 'b', 'a', 'b'], kappa: 0 },
    { name: 'systematic disagreement', gold: ['a', 'b'], pred: ['b', 'a'], kappa: -1 },
    { name: 'one label throughout, agreeing', gold: ['a', 'a'], pred: ['a', 'a'], kappa: 1 },
    { name: 'no items', gold: [], pred: [], kappa: 0 },
  ])('$name → $kappa', ({ gold, pred, kappa }) => {
    expect(cohensKappa(gold, pred)).toBeCloseTo(kappa, 12);
  });

  it('rejects label lists of different lengths', () => {
    expect(() => cohensKappa(['a'], [])).toThrow(TypeError);
  });
});

describe('confusionMatrix', () => {
  it('counts gold → predicted with zeros for every pair', () => {
    const m = confusionMatrix(['correct', 'correct', 'partial'], ['correct', 'partial', 'partial'], VERDICTS);
    expect(m.correct).toEqual({ correct: 1, partial: 1, incorrect: 0, 'no-answer': 0 });
    expect(m.partial).toEqual({ correct: 0, partial: 1, incorrect: 0, 'no-answer': 0 });
    expect(m['no-answer']).toEqual({ correct: 0, partial: 0, incorrect: 0, 'no-answer': 0 });
  });
});

describe('loadCalibrationSets', () => {
  const banks = loadBanks([BANK]);

  it('resolves items against the banks: variant and turn 1-based in the file, 0-based in memory', () => {
    const items = loadCalibrationSets([SET], banks);
    expect(items.length).toBeGreaterThan(20);
    const variant = items.find((i) => i.question.id === 'dlr-materials-01' && i.variant === 1)!;
    expect(variant.turn).toBe(0);
    const clarify = items.filter((i) => i.question.id === 'dlr-clarify-01');
    expect(clarify.map((i) => i.turn).sort()).toEqual([0, 1]);
    expect(variant.pos.file).toMatch(/driving-licence-renewal\.yaml$/);
  });

  it('accepts an empty answer and a bare number as answer text', () => {
    using dir = tempDir({
      's.yaml': 'items:\n  - { question: dlr-fees-01, answer: "", gold: { intentRecognized: false, verdict: no-answer } }\n  - { question: dlr-fees-01, answer: 12345, gold: { intentRecognized: false, verdict: no-answer } }\n',
    });
    const items = loadCalibrationSets([dir.path('s.yaml')], banks);
    expect(items.map((i) => i.answer)).toEqual(['', '12345']);
  });

  function problems(text: string): string[] {
    using dir = tempDir({ 'bad.yaml': text });
    try {
      loadCalibrationSets([dir.path('bad.yaml')], banks);
    } catch (err) {
      expect(err).toBeInstanceOf(InputErrors);
      return (err as InputErrors).message.split('\n').map((l) => l.replace(/^.*bad\.yaml:/, 'bad.yaml:'));
    }
    throw new Error('expected the set to be rejected');
  }

  it('reports unknown questions and out-of-range variants and turns with their positions', () => {
    const lines = problems(
      [
        'items:',
        '  - { question: no-such-question, answer: x, gold: { intentRecognized: true, verdict: correct } }',
        '  - { question: dlr-materials-01, variant: 2, answer: x, gold: { intentRecognized: true, verdict: correct } }',
        '  - { question: dlr-clarify-01, turn: 3, answer: x, gold: { intentRecognized: true, verdict: correct } }',
        '  - { question: dlr-fees-01, turn: 2, answer: x, gold: { intentRecognized: true, verdict: correct } }',
        '',
      ].join('\n'),
    );
    expect(lines).toEqual([
      expect.stringMatching(/^bad\.yaml:2:17: items\[0\]\.question: unknown question "no-such-question"/),
      expect.stringMatching(/^bad\.yaml:3:44: items\[1\]\.variant: variant 2 is out of range; question "dlr-materials-01" has 1 variant/),
      expect.stringMatching(/^bad\.yaml:4:39: items\[2\]\.turn: turn 3 is out of range; question "dlr-clarify-01" has 2 user turn/),
      expect.stringMatching(/^bad\.yaml:5:36: items\[3\]\.turn: turn 2 is out of range; question "dlr-fees-01" has 1 user turn/),
    ]);
  });

  it('reports schema problems (unknown verdict, unknown key, variant 0) with positions', () => {
    const lines = problems(
      [
        'items:',
        '  - question: dlr-fees-01',
        '    answer: x',
        '    gold: { intentRecognized: true, verdict: right }',
        '  - question: dlr-fees-01',
        '    answer: x',
        '    gold: { intentRecognized: true, verdict: correct }',
        '    reviewer: me',
        '  - { question: dlr-fees-01, variant: 0, answer: x, gold: { intentRecognized: true, verdict: correct } }',
        '',
      ].join('\n'),
    );
    expect(lines[0]).toMatch(/^bad\.yaml:4:46: items\[0\]\.gold\.verdict: /);
    expect(lines[1]).toMatch(/^bad\.yaml:8:5: items\[1\]\.reviewer: /);
    expect(lines[2]).toMatch(/^bad\.yaml:9:39: items\[2\]\.variant: expected a 1-based variant number/);
  });

  it('names a missing path', () => {
    expect(() => loadCalibrationSets(['test/fixtures/no-such-set'], banks)).toThrow(UserError);
    expect(() => loadCalibrationSets(['test/fixtures/no-such-set'], banks)).toThrow(/no such calibration file or folder/);
  });
});

describe('runCalibration and summarizeCalibration', () => {
  const banks = loadBanks([BANK]);
  const items = loadCalibrationSets([SET], banks);

  it('asks the judge about the answer to the item’s turn and counts unjudged items as disagreements', async () => {
    const seen: Array<[string, number]> = [];
    const scripted: Judge = {
      name: 'scripted',
      version: '1',
      judge({ question, turn, answer }): Verdict {
        seen.push([question.id, turn]);
        if (answer.includes('系统繁忙')) return { status: 'unjudged', judge: 'scripted', turn, reason: 'scripted failure' };
        return {
          status: 'judged',
          judge: 'scripted',
          turn,
          intentRecognized: true,
          predictedIntent: question.intent,
          verdict: 'correct',
          accuracy: 1,
          keyPointsHit: [],
          factErrors: [],
          contradictions: [],
          rationale: 'always correct',
        };
      },
    };
    const outcomes = await runCalibration(scripted, items);
    expect(seen).toHaveLength(items.length);
    expect(seen).toContainEqual(['dlr-clarify-01', 0]);
    const report = summarizeCalibration('scripted', outcomes);
    const correctGold = items.filter((i) => i.gold.verdict === 'correct').length;
    expect(report.items).toBe(items.length);
    expect(report.unjudged).toBe(1);
    expect(report.verdict.agreement).toBeCloseTo(correctGold / items.length, 12);
    expect(report.verdict.confusion['no-answer']?.unjudged).toBe(1);
    expect(report.verdict.confusion.correct?.correct).toBe(correctGold);
    expect(report.disagreements.length).toBe(items.length - items.filter((i) => i.gold.verdict === 'correct' && i.gold.intentRecognized).length);
  });

  it('the matcher agrees with the fixture set’s gold labels', async () => {
    const judge = createMatcherJudge(banks);
    const report = summarizeCalibration(judge.name, await runCalibration(judge, items));
    expect(report.disagreements).toEqual([]);
    expect(report.intent.kappa).toBe(1);
    expect(report.verdict.kappa).toBe(1);
  });
});

describe('false passes, false fails and coverage', () => {
  const item = (verdict: VerdictLabel, kind?: string): CalibrationItem => ({
    question: { id: 'q' } as CalibrationItem['question'],
    variant: 0,
    turn: 0,
    answer: verdict,
    gold: { intentRecognized: verdict !== 'no-answer', verdict },
    ...(kind && { kind }),
    pos: { file: 'f', line: 1, column: 1 },
  });
  const said = (verdict: VerdictLabel, uncertain?: string): Verdict => ({
    status: 'judged',
    judge: 'j',
    turn: 0,
    intentRecognized: verdict !== 'no-answer',
    predictedIntent: null,
    verdict,
    accuracy: 0,
    keyPointsHit: [],
    factErrors: [],
    contradictions: [],
    ...(uncertain && { uncertain }),
    rationale: '',
  });

  it('counts a wrong answer judged to pass as a false pass, with or without abstention, and leaves abstentions out of coverage', () => {
    const outcomes: CalibrationOutcome[] = [
      { item: item('incorrect', 'hard-negative/negated'), verdict: said('correct') },
      { item: item('incorrect', 'hard-negative/negated'), verdict: said('partial', 'thin') },
      { item: item('no-answer', 'hard-negative/non-answer'), verdict: said('no-answer') },
      { item: item('incorrect'), verdict: said('incorrect') },
      { item: item('correct', 'realistic/correct'), verdict: said('incorrect') },
      { item: item('partial', 'realistic/partial'), verdict: said('partial') },
    ];
    const r = summarizeCalibration('j', outcomes);
    expect(r.falsePass).toBeCloseTo(2 / 4, 12);
    expect(r.falseFail).toBeCloseTo(1 / 2, 12);
    expect(r.coverage).toBeCloseTo(5 / 6, 12);
    expect(r.covered.items).toBe(5);
    expect(r.covered.falsePass).toBeCloseTo(1 / 3, 12);
    expect(r.covered.verdict.agreement).toBeCloseTo(3 / 5, 12);
    expect(r.kinds['hard-negative/negated']).toEqual({ items: 2, agreement: 0, falsePass: 1, coverage: 0.5 });
    expect(r.kinds.unlabelled).toEqual({ items: 1, agreement: 1, falsePass: 0, coverage: 1 });
  });

  it('splits items into two fixed halves', () => {
    const halves = ['一', '二', '三', '四', '五', '六', '七', '八'].map((answer) => calibrationHalf({ question: { id: 'q' } as CalibrationItem['question'], turn: 0, answer }));
    expect(new Set(halves)).toEqual(new Set(['tune', 'check']));
    expect(calibrationHalf({ question: { id: 'q' } as CalibrationItem['question'], turn: 0, answer: '一' })).toBe(halves[0]);
  });
});

describe('the matcher on the shipped calibration set', () => {
  const hard = (o: CalibrationOutcome) => o.item.kind?.startsWith('hard-negative/') === true;
  let outcomes: CalibrationOutcome[];
  beforeAll(async () => {
    const banks = loadBanks(['question-banks/matters']);
    const items: CalibrationItem[] = loadCalibrationSets(['question-banks/calibration'], banks);
    outcomes = await runCalibration(createMatcherJudge(banks), items);
  });

  it('judges every item and agrees with most gold verdicts', () => {
    const report = summarizeCalibration('matcher', outcomes);
    expect(report.items).toBeGreaterThanOrEqual(250);
    expect(outcomes.filter(hard).length).toBeGreaterThanOrEqual(80);
    expect(report.unjudged).toBe(0);
    expect(report.verdict.agreement).toBeGreaterThanOrEqual(0.85);
  });

  // Floors under the figures measured on the held-out half when the rules were written (see the
  // closing note of issue 12), so a change that loses ground on answers no rule was written from fails.
  it('keeps its held-out figures on realistic answers: covered, right and never passing a wrong one', () => {
    const held = summarizeCalibration('matcher', outcomes.filter((o) => calibrationHalf(o.item) === 'check' && !hard(o)));
    expect(held.items).toBeGreaterThan(80);
    expect(held.coverage).toBeGreaterThanOrEqual(0.85);
    expect(held.covered.verdict.agreement).toBeGreaterThanOrEqual(0.95);
    expect(held.covered.falsePass).toBeLessThanOrEqual(0.03);
  });

  it('keeps its held-out figures on hard negatives: abstains on some, right on the rest', () => {
    const held = summarizeCalibration('matcher', outcomes.filter((o) => calibrationHalf(o.item) === 'check' && hard(o)));
    expect(held.items).toBeGreaterThan(50);
    expect(held.coverage).toBeGreaterThanOrEqual(0.6);
    expect(held.covered.verdict.agreement).toBeGreaterThanOrEqual(0.8);
    expect(held.covered.falsePass).toBeLessThanOrEqual(0.15);
  });
});
