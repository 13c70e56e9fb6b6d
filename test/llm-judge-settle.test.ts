import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { buildMessages, createPromptContext } from '../src/judge/llm/prompt.js';
import { settleVerdict } from '../src/judge/llm/settle.js';
import { loadLlmTemplates } from '../src/judge/llm/templates.js';
import type { JudgeOutput } from '../src/judge/llm/schema.js';
import { loadTestBanks, modelOutput, questionOf } from './llm-judge-fixtures.js';

const banks = loadTestBanks();

interface Row {
  name: string;
  question?: string;
  turn?: number;
  out: Partial<JudgeOutput>;
  expect: { verdict: string; accuracy: number; intentRecognized: boolean; predictedIntent: string | null };
  factErrors?: string[];
  contradictions?: string[];
  note?: string;
}

const ASKED = 'dog-registration/materials';

const rows: Row[] = [
  { name: 'all required key points', out: {}, expect: { verdict: 'correct', accuracy: 1, intentRecognized: true, predictedIntent: ASKED } },
  {
    name: 'more key points than required still scores 1',
    out: { keyPointsFound: ['form', 'vaccine', 'housing'] },
    expect: { verdict: 'correct', accuracy: 1, intentRecognized: true, predictedIntent: ASKED },
  },
  {
    name: 'one of two required',
    out: { keyPointsFound: ['vaccine'], verdict: 'partial' },
    expect: { verdict: 'partial', accuracy: 0.5, intentRecognized: true, predictedIntent: ASKED },
  },
  {
    name: 'a fact error zeroes accuracy even with every key point',
    out: { factErrors: ['days'], verdict: 'correct' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: true, predictedIntent: ASKED },
    factErrors: ['days'],
    note: 'the model said correct; the rubric gives incorrect',
  },
  {
    name: 'a contradiction is reported by its bank text',
    out: { contradictionsFound: ['c2'], verdict: 'incorrect' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: true, predictedIntent: ASKED },
    contradictions: ['/不用(办|登记)/'],
  },
  {
    name: 'another aspect is the wrong intent',
    out: { intentRecognized: false, predictedIntent: 'dog-registration/time-limit', keyPointsFound: [], verdict: 'incorrect' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: false, predictedIntent: 'dog-registration/time-limit' },
  },
  {
    name: 'a wrong intent the model still called partial is incorrect',
    out: { intentRecognized: false, predictedIntent: 'none', keyPointsFound: ['form'], verdict: 'partial' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: false, predictedIntent: null },
  },
  {
    name: 'no-answer never recognises the intent',
    out: { intentRecognized: true, keyPointsFound: [], verdict: 'no-answer' },
    expect: { verdict: 'no-answer', accuracy: 0, intentRecognized: false, predictedIntent: null },
  },
  {
    name: 'on topic without any key point is incorrect, not correct',
    out: { keyPointsFound: [], verdict: 'correct' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: true, predictedIntent: ASKED },
  },
  {
    name: 'asking back on a turn that expects no question is no answer',
    out: { clarifyingQuestion: true, keyPointsFound: [], verdict: 'correct' },
    expect: { verdict: 'no-answer', accuracy: 0, intentRecognized: false, predictedIntent: null },
  },
  {
    name: 'the model may find an answer incorrect for a reason outside the lists',
    out: { verdict: 'incorrect' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: true, predictedIntent: ASKED },
  },
  {
    name: 'a clarifying question where the script expects one',
    question: 'dog-clarify-01',
    turn: 0,
    out: { clarifyingQuestion: true, keyPointsFound: [], predictedIntent: 'none', verdict: 'correct' },
    expect: { verdict: 'correct', accuracy: 1, intentRecognized: true, predictedIntent: ASKED },
  },
  {
    name: 'after the clarification the answer must carry the key points',
    question: 'dog-clarify-01',
    turn: 1,
    out: { clarifyingQuestion: true, keyPointsFound: [], verdict: 'correct' },
    expect: { verdict: 'no-answer', accuracy: 0, intentRecognized: false, predictedIntent: null },
  },
  {
    name: 'out of scope: a polite redirect',
    question: 'oos-weather-01',
    out: { predictedIntent: 'out-of-scope/chit-chat', keyPointsFound: ['decline'], verdict: 'correct' },
    expect: { verdict: 'correct', accuracy: 1, intentRecognized: true, predictedIntent: 'out-of-scope/chit-chat' },
  },
  {
    name: 'out of scope: an invented answer',
    question: 'oos-weather-01',
    out: { intentRecognized: false, predictedIntent: 'none', keyPointsFound: [], verdict: 'incorrect' },
    expect: { verdict: 'incorrect', accuracy: 0, intentRecognized: false, predictedIntent: null },
  },
];

describe('settling a model reply into a verdict', () => {
  it.each(rows)('$name', (row) => {
    const q = questionOf(banks, row.question ?? 'dog-materials-01');
    const v = settleVerdict(modelOutput(row.out), q, row.turn ?? 0);
    expect({ verdict: v.verdict, accuracy: v.accuracy, intentRecognized: v.intentRecognized, predictedIntent: v.predictedIntent }).toEqual(row.expect);
    expect(v.factErrors).toEqual(row.factErrors ?? []);
    expect(v.contradictions).toEqual(row.contradictions ?? []);
    expect(v.rationale.startsWith(`${v.verdict}: `)).toBe(true);
    if (row.note) expect(v.rationale).toContain(row.note);
  });

  it('counts a key point named twice once', () => {
    const v = settleVerdict(modelOutput({ keyPointsFound: ['form', 'form'], verdict: 'correct' }), questionOf(banks, 'dog-materials-01'), 0);
    expect(v).toMatchObject({ verdict: 'partial', keyPointsHit: ['form'] });
    expect(v.accuracy).toBeCloseTo(0.5);
  });

  it('keeps the rationale short', () => {
    const v = settleVerdict(modelOutput({ reasoning: '很长的理由。'.repeat(400) }), questionOf(banks, 'dog-materials-01'), 0);
    expect(v.rationale.length).toBeLessThan(700);
  });
});

describe('outdated rules shown to the model', () => {
  const rule = { id: 'old-rule', rule: '旧办法第三条', facts: [], statements: ['/先交押金/'] };

  it('makes an answer the model finds repeating one incorrect, naming the rule', () => {
    const v = settleVerdict(modelOutput({ contradictionsFound: ['o1'], verdict: 'correct' }), questionOf(banks, 'dog-materials-01'), 0, [rule]);
    expect(v.verdict).toBe('incorrect');
    expect(v.outdated).toEqual(['old-rule']);
    expect(v.contradictions).toEqual([]);
  });

  it('ignores an outdated id the prompt did not show', () => {
    const v = settleVerdict(modelOutput({ contradictionsFound: ['o1'] }), questionOf(banks, 'dog-materials-01'), 0, []);
    expect(v.verdict).toBe('correct');
    expect(v.outdated).toBeUndefined();
    expect(v.rationale).toMatch(/ignored contradiction ids not in the reference: o1/);
  });
});

describe('what the model is shown of lawful alternatives and old rules', () => {
  it('lists a fact’s lawful alternatives and, among the contradictions, the old rules of the aspect', () => {
    const claims = loadBanks(['test/fixtures/matcher-claims']);
    const ctx = createPromptContext(loadLlmTemplates(), claims);
    const validity = claims.questions.find((q) => q.id === 'tp-validity-01')!;
    const { user } = buildMessages(ctx, { question: validity, turn: 0, answer: '有效期15日' }, 'abc');
    expect(user).toContain('- days: 有效期15日; 15 日; also lawful: 90 日 where 科研 / 定型试验 (示例规定第四十五条)');
    expect(user).toContain('- o1: outdated — 旧机动车登记规定（示例）第四十五条, no longer in force since 2022-05-01: 有效期30日; /可以无限次(申领|续领)/');
    const materials = claims.questions.find((q) => q.id === 'tp-materials-01')!;
    expect(buildMessages(ctx, { question: materials, turn: 0, answer: 'x' }, 'abc').user).not.toContain('outdated —');
  });
});
