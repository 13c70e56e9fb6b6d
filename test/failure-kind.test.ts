/**
 * The failure taxonomy (issue 15): every answer that is not correct gets one primary kind. Real
 * replies are judged by the real matcher on the fixture banks and classified as a run does
 * (`judgeTurns`); LLM-style verdicts and reviewers' decisions are classified from their fields.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import {
  caseFailure,
  FAILURE_KINDS,
  failureOfError,
  type BankSet,
  type ErrorKind,
  type JudgedVerdict,
  type Question,
  type ReviewItem,
  type Turn,
} from '../src/domain/types.js';
import { answerFailure } from '../src/judge/failure-kind.js';
import { judgeTurns } from '../src/judge/judge-turns.js';
import { createMatcherJudge, type MatcherJudge } from '../src/judge/matcher/index.js';
import { recordReview } from '../src/judge/review-decision.js';
import { rejudgeRun } from '../src/runner/rejudge.js';
import { createMemoryStore } from '../src/store/index.js';

let banks: BankSet;
let matcher: MatcherJudge;

beforeAll(() => {
  banks = loadBanks(['test/fixtures/demo-bank', 'test/fixtures/matcher-claims']);
  matcher = createMatcherJudge(banks);
});

const question = (id: string): Question => banks.questions.find((q) => q.id === id)!;
const referenceOf = (id: string): string => question(id).reference.answer;

const turn = (index: number, reply: string, extra: Partial<Turn> = {}): Turn => ({
  index,
  user: `问${index}`,
  reply,
  raw: reply,
  ok: true,
  firstMs: 10,
  totalMs: 10,
  attempts: 1,
  ...extra,
});

/** The matcher's verdict on the last judged turn, with the kind a run stores with it. */
async function judged(questionId: string, ...replies: (string | Turn)[]): Promise<JudgedVerdict> {
  const turns = replies.map((r, i) => (typeof r === 'string' ? turn(i, r) : r));
  const verdicts = await judgeTurns([matcher], question(questionId), turns);
  const v = verdicts.at(-1)!.verdict;
  if (v.status !== 'judged') throw new Error(v.reason);
  return v;
}

const kindOf = async (questionId: string, ...replies: (string | Turn)[]) => {
  const v = await judged(questionId, ...replies);
  return caseFailure(null, v);
};

describe('answers judged by the matcher, classified as a run stores them', () => {
  it('gives a correct answer no kind', async () => {
    const v = await judged('drl-materials-01', referenceOf('drl-materials-01'));
    expect(v.verdict).toBe('correct');
    expect(v.failure).toBeUndefined();
  });

  it('fallback: "I did not understand", and one that also offers a key point is still a fallback', async () => {
    expect(await kindOf('drl-materials-01', '抱歉，我没有理解您的问题，请换个说法再试试。')).toBe('fallback');
    expect(await kindOf('rp-materials-01', '您好，我还在学习中，暂时无法回答。')).toBe('fallback');
    const v = await judged('drl-materials-01', '抱歉，没有理解您的问题。您可以准备申请表。');
    expect(v.verdict).not.toBe('no-answer');
    expect(caseFailure(null, v)).toBe('fallback');
  });

  it('handoff: a reply handing over to a human agent, though its words are also a fallback phrase', async () => {
    expect(await kindOf('drl-materials-01', '正在为您转接人工客服，请稍候。')).toBe('handoff');
  });

  it('declined-in-scope: only a hotline or the hall for a question the service is there for', async () => {
    expect(await kindOf('drl-materials-01', '建议您拨打12345政务服务便民热线咨询。')).toBe('declined-in-scope');
    expect(await kindOf('rp-time-limit-01', '具体请咨询当地政务服务大厅窗口，或拨打12345热线。')).toBe('declined-in-scope');
  });

  it('suggestions-only: the conversation ended at a list of suggested questions, or the reply is only such a list', async () => {
    const left = turn(0, '您可以点击下列问题：', { suggestions: ['居住证怎么办', '居住证多久'], suggestionsOnly: true });
    expect(await kindOf('rp-materials-01', left)).toBe('suggestions-only');
    expect(await kindOf('drl-materials-01', '您是不是想问：1.药店怎么开 2.药品经营许可证多久能办好')).toBe('suggestions-only');
  });

  it('wrong-matter: a fluent, complete answer about another matter', async () => {
    const v = await judged('drl-materials-01', referenceOf('rp-materials-01'));
    expect(v.verdict).toBe('incorrect');
    expect(v.failure).toBe('wrong-matter');
  });

  it('wrong-aspect: the asked matter, another of its aspects', async () => {
    expect(await kindOf('drl-materials-01', referenceOf('drl-time-limit-01'))).toBe('wrong-aspect');
  });

  it('missing-key-points: the right intent with too few key points', async () => {
    const v = await judged('drl-materials-01', '需要提交药品经营许可证申请表和营业执照。');
    expect(v.verdict).toBe('partial');
    expect(v.failure).toBe('missing-key-points');
  });

  it('wrong-fact: a fluent answer with one number changed', async () => {
    const v = await judged('drl-time-limit-01', '药品监督管理部门自受理申请之日起30个工作日内作出决定，其中现场检查时间不超过15个工作日；许可证有效期为5年。');
    expect(v.factErrors).toEqual(['days']);
    expect(v.failure).toBe('wrong-fact');
  });

  it('contradiction: a statement the reference rules out', async () => {
    expect(await kindOf('rp-time-limit-01', '居住证材料齐全的当场发证，不用等待，可以在网上查询进度。')).toBe('contradiction');
  });

  it('outdated: a superseded rule repeated, before the wrong value it also is', async () => {
    const v = await judged('tp-validity-01', '临时号牌有效期30日，到期前可以续领。');
    expect(v.outdated).toEqual(['old-plate-rule']);
    expect(v.failure).toBe('outdated');
  });

  it('answered-out-of-scope: an invented answer where the service should decline; a bare fallback there is a fallback', async () => {
    const invented = '可以的，这项业务可以在本平台直接办理：登录后进入“我要办”栏目，按提示填写信息并提交，审核通过后即可办结，结果会通过短信通知您。';
    expect(await kindOf('oos-loan-01', invented)).toBe('answered-out-of-scope');
    expect(await kindOf('oos-loan-01', '抱歉，我没有理解您的问题，请换个说法再试试。')).toBe('fallback');
    expect(await kindOf('oos-loan-01', referenceOf('oos-loan-01'))).toBeNull();
  });

  it('a turn that expects a clarifying question and gets a guessed answer is the wrong matter', async () => {
    const verdicts = await judgeTurns([matcher], question('rp-clarify-01'), [turn(0, referenceOf('drl-materials-01')), turn(1, referenceOf('rp-materials-01'))]);
    const first = verdicts.find((v) => v.verdict.turn === 0)!.verdict as JudgedVerdict;
    expect(first.verdict).not.toBe('correct');
    expect(first.failure).toBe('wrong-matter');
  });
});

describe('runs stored before failure kinds', () => {
  it('get the kinds of their answers from rejudge; technical kinds are read from the error at once', async () => {
    const store = createMemoryStore();
    store.createRun({ id: 'old', banksHash: 'h', judge: 'matcher', options: {}, targets: [] });
    const q = question('drl-time-limit-01');
    const meta = { matterId: q.matterId, aspectId: q.aspectId, intent: q.intent, critical: q.critical };
    const wrong = turn(0, '药品监督管理部门自受理申请之日起30个工作日内作出决定，其中现场检查时间不超过15个工作日；许可证有效期为5年。');
    const { failure: _none, ...old } = await judged(q.id, wrong);
    store.saveCase({ runId: 'old', case: { targetId: 't', questionId: q.id, variant: 0, style: 'canonical', repeat: 1 }, question: meta, turns: [wrong], verdicts: [{ verdict: old, version: 'v0' }] });
    const timedOut = { ...turn(0, ''), ok: false, errorKind: 'timeout' as const };
    store.saveCase({ runId: 'old', case: { targetId: 't', questionId: q.id, variant: 1, style: 'colloquial', repeat: 1 }, question: meta, turns: [timedOut], verdicts: [] });
    expect([...store.caseRecords('old', 'matcher')].map((r) => r.failure)).toEqual([null, 'timeout']);

    await rejudgeRun({ store, runId: 'old', banks, judges: [matcher], judgeMode: 'matcher' });
    expect([...store.caseRecords('old', 'matcher')].map((r) => r.failure)).toEqual(['wrong-fact', 'timeout']);
  });
});

describe('verdicts from their fields (an LLM judge, a reviewer)', () => {
  const base = { intentRecognized: true, predictedIntent: 'm/a', keyPointsHit: ['k1'], factErrors: [], contradictions: [] };
  const q = { matterId: 'm', intent: 'm/a' };
  const classify = (verdict: Partial<JudgedVerdict> & Pick<JudgedVerdict, 'verdict'>, reply = '这是一个有内容的回答。') =>
    answerFailure({ verdict: { ...base, ...verdict }, reply, question: q });

  it('orders the evidence: intent before errors, outdated before contradiction before a wrong value', () => {
    const all = { factErrors: ['days'], contradictions: ['免费'], outdated: ['old'] };
    expect(classify({ verdict: 'incorrect', intentRecognized: false, predictedIntent: 'other/a', ...all })).toBe('wrong-matter');
    expect(classify({ verdict: 'incorrect', intentRecognized: false, predictedIntent: 'm/b', ...all })).toBe('wrong-aspect');
    expect(classify({ verdict: 'incorrect', intentRecognized: false, predictedIntent: null })).toBe('wrong-matter');
    expect(classify({ verdict: 'incorrect', ...all })).toBe('outdated');
    expect(classify({ verdict: 'incorrect', factErrors: ['days'], contradictions: ['免费'] })).toBe('contradiction');
    expect(classify({ verdict: 'incorrect', factErrors: ['days'] })).toBe('wrong-fact');
  });

  it('reads an incorrect verdict on the right intent without named errors by its key points', () => {
    expect(classify({ verdict: 'incorrect', keyPointsHit: [] })).toBe('missing-key-points');
    expect(classify({ verdict: 'incorrect' })).toBe('wrong-fact');
    expect(classify({ verdict: 'partial' })).toBe('missing-key-points');
  });

  it('takes a fallback phrase in a long answer for an answer, judged on what it says', () => {
    const long = `抱歉没有理解您的意思。${'办理需要携带身份证原件和复印件，并填写申请表。'.repeat(4)}`;
    expect(classify({ verdict: 'partial' }, long)).toBe('missing-key-points');
    expect(classify({ verdict: 'no-answer', intentRecognized: false }, long)).toBe('fallback');
  });

  it('classifies a reviewer’s own verdict from the reply, and keeps the kind of a judge the reviewer agrees with', () => {
    // Only what is decided matters here, not where it is saved.
    const recording = { ...createMemoryStore(), saveVerdicts: () => {} };
    const llm: JudgedVerdict = { status: 'judged', judge: 'llm', turn: 0, ...base, verdict: 'incorrect', accuracy: 0, factErrors: ['days'], failure: 'wrong-fact', rationale: '' };
    const matcherSays: JudgedVerdict = { ...llm, judge: 'matcher', verdict: 'partial', factErrors: [], failure: 'missing-key-points' };
    const item: ReviewItem = { caseId: 1, targetId: 't', questionId: 'q', matterId: 'm', intent: 'm/a', variant: 0, style: 'canonical', turn: 0, user: '问', reply: '建议您拨打12345热线咨询。', matcher: matcherSays, llm, uncertain: null };
    expect(recordReview(recording, item, { verdict: 'incorrect', intentRecognized: true }).failure).toBe('wrong-fact');
    expect(recordReview(recording, item, { verdict: 'no-answer', intentRecognized: false }).failure).toBe('declined-in-scope');
    expect(recordReview(recording, item, { accept: 'matcher' }).failure).toBe('missing-key-points');
    expect(recordReview(recording, item, { verdict: 'correct', intentRecognized: true }).failure).toBeUndefined();
  });
});

describe('technical failures and unsettled cases', () => {
  it('maps every city-side error to a kind of the taxonomy, walls to blocked, and ours to none', () => {
    const expected: Record<ErrorKind, string | null> = {
      timeout: 'timeout',
      connect: 'connect',
      'http-status': 'http-status',
      parse: 'parse',
      empty: 'empty',
      blocked: 'blocked',
      captcha: 'blocked',
      login: 'blocked',
      expired: 'blocked',
      'page-load': 'blocked',
      browser: 'blocked',
      handoff: 'handoff',
      unavailable: 'unavailable',
      bug: null,
      config: null,
    };
    for (const [kind, failure] of Object.entries(expected)) {
      expect(failureOfError(kind as ErrorKind), kind).toBe(failure);
      if (failure !== null) expect(FAILURE_KINDS).toContain(failure);
    }
  });

  it('puts a technical failure before any verdict, and gives none to correct, unjudged, pending or missing verdicts', () => {
    const wrong: JudgedVerdict = { status: 'judged', judge: 'matcher', turn: 0, intentRecognized: true, predictedIntent: 'm/a', verdict: 'partial', accuracy: 0.5, keyPointsHit: [], factErrors: [], contradictions: [], failure: 'missing-key-points', rationale: '' };
    expect(caseFailure('timeout', wrong)).toBe('timeout');
    expect(caseFailure('bug', wrong)).toBeNull();
    expect(caseFailure(null, wrong)).toBe('missing-key-points');
    expect(caseFailure(null, { ...wrong, uncertain: 'thin evidence' })).toBeNull();
    expect(caseFailure(null, { ...wrong, verdict: 'correct' })).toBeNull();
    expect(caseFailure(null, { status: 'unjudged', judge: 'llm', turn: 0, reason: 'timed out' })).toBeNull();
    expect(caseFailure(null, null)).toBeNull();
  });
});
