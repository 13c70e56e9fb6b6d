/**
 * The Store contract, run against every implementation: the SQLite store on a real file and the memory
 * store. What one store does, the other must do too; SQLite-only facts are in store-sqlite.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROBE_STYLE, REVIEW_JUDGE, type CaseKey, type ConversationScore, type JudgedVerdict, type JudgeMode, type ReviewItem, type SafetyVerdict, type Store, type Target, type Turn, type Verdict, type VerdictLabel } from '../src/domain/types.js';
import { createMemoryStore, openStore } from '../src/store/index.js';
import { UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';

const implementations: { name: string; open: () => { store: Store; close(): void } }[] = [
  {
    name: 'SQLite store on a file',
    open: () => {
      const dir = tempDir();
      const store = openStore(dir.path('g.db'));
      return { store, close: () => (store.close(), dir[Symbol.dispose]()) };
    },
  },
  { name: 'memory store', open: () => ({ store: createMemoryStore(), close: () => {} }) },
];

const target = (id: string, extra: Partial<Target> = {}): Target => ({
  id,
  name: `城市${id}`,
  region: 'east',
  adapter: { type: 'http-json', url: 'http://x', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'f', line: 1, column: 1 },
  ...extra,
});

const answered = (index: number, reply = `答复${index}`, extra: Partial<Turn> = {}): Turn => ({
  index,
  user: `问${index}`,
  reply,
  raw: `{"a":"${reply}"}`,
  ok: true,
  firstMs: 100 + index,
  totalMs: 150 + index,
  attempts: 1,
  ...extra,
});

const failed = (index: number, errorKind: Turn['errorKind'], extra: Partial<Turn> = {}): Turn => ({
  index,
  user: `问${index}`,
  reply: '',
  raw: '<html>502</html>',
  ok: false,
  errorKind,
  error: `${errorKind} happened`,
  firstMs: 30,
  totalMs: 40,
  attempts: 2,
  ...extra,
});

const judged = (judge: string, verdict: JudgedVerdict['verdict'], turn = 0, extra: Partial<JudgedVerdict> = {}): JudgedVerdict => ({
  status: 'judged',
  judge,
  turn,
  intentRecognized: verdict !== 'no-answer',
  predictedIntent: 'm/a',
  verdict,
  accuracy: verdict === 'correct' ? 1 : verdict === 'partial' ? 0.5 : 0,
  keyPointsHit: ['k1'],
  factErrors: [],
  contradictions: [],
  rationale: `${judge} says ${verdict}`,
  ...extra,
});

const unjudged = (judge: string, turn = 0): Verdict => ({ status: 'unjudged', judge, turn, reason: `${judge} timed out` });

const key = (targetId: string, questionId: string, variant = 0, repeat = 1): CaseKey => ({ targetId, questionId, variant, repeat });

describe.each(implementations)('Store contract: $name', ({ open }) => {
  let store: Store;
  let close: () => void;
  beforeEach(() => {
    ({ store, close } = open());
  });
  afterEach(() => close());

  const createRun = (id: string, judge: JudgeMode = 'matcher', targets = [target('t1'), target('t2')]) =>
    store.createRun({ id, banksHash: 'h', judge, options: { repeat: 1 }, targets: targets.map((t) => ({ target: t, planned: 4 })) });

  const save = (runId: string, k: CaseKey, turns: Turn[], verdicts: Verdict[] = []) =>
    store.saveCase({
      runId,
      case: { ...k, style: k.variant === 0 ? 'canonical' : 'typo' },
      question: { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: k.questionId.endsWith('!') },
      turns,
      verdicts: verdicts.map((verdict) => ({ verdict, version: 'v1' })),
    });

  const userError = (fn: () => unknown): UserError => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return err as UserError;
    }
    throw new Error('expected a UserError');
  };

  const sortedKeys = (keys: CaseKey[]) => keys.map((k) => `${k.targetId}/${k.questionId}/${k.variant}/${k.repeat}`).sort();

  describe('runs', () => {
    afterEach(() => vi.useRealTimers());

    it('creates a run as running, with what it was started with, and reads it back by id', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2025-03-01T08:00:00.000Z'));
      const environment = { govbench: '1.2.0', node: 'v20.19.0', browser: 'chromium 153.0.7390.0' };
      store.createRun({ id: 'r1', label: '第一轮', banksHash: 'h1', judge: 'both', options: { repeat: 2, banks: ['a.yaml'] }, environment, targets: [] });
      createRun('r2');
      expect(store.getRun('r1')).toEqual({
        id: 'r1',
        label: '第一轮',
        banksHash: 'h1',
        judge: 'both',
        options: { repeat: 2, banks: ['a.yaml'] },
        startedAt: '2025-03-01T08:00:00.000Z',
        finishedAt: null,
        status: 'running',
        environment,
      });
      expect(store.getRun('r2')).toMatchObject({ id: 'r2', label: null, judge: 'matcher', environment: null });
    });

    it('lists runs newest first, later insertion first within one instant; `latest` is the first', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2025-03-02T00:00:00.000Z'));
      createRun('newer');
      vi.setSystemTime(new Date('2025-03-01T00:00:00.000Z'));
      createRun('older-a');
      createRun('older-b');
      expect(store.listRuns().map((r) => r.id)).toEqual(['newer', 'older-b', 'older-a']);
      expect(store.getRun('latest').id).toBe('newer');
    });

    it('names a missing run, and a store with no runs, as user errors', () => {
      const empty = userError(() => store.getRun('latest'));
      expect(empty.message).toBe(`${store.path}: no runs yet`);
      expect(empty.hint).toBe('list runs with `govbench runs`');
      expect(store.listRuns()).toEqual([]);
      createRun('r1');
      expect(userError(() => store.getRun('nope')).message).toBe(`${store.path}: no run "nope"`);
    });

    it('sets a status, stamping when it stopped running and clearing it on a resume', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2025-03-01T00:00:00.000Z'));
      createRun('r1');
      createRun('r2');
      vi.setSystemTime(new Date('2025-03-01T00:05:00.000Z'));
      store.setRunStatus('r1', 'interrupted');
      expect(store.getRun('r1')).toMatchObject({ status: 'interrupted', finishedAt: '2025-03-01T00:05:00.000Z' });
      store.setRunStatus('r1', 'running');
      expect(store.getRun('r1')).toMatchObject({ status: 'running', finishedAt: null });
      store.setRunStatus('r1', 'finished');
      expect(store.getRun('r1')).toMatchObject({ status: 'finished', finishedAt: '2025-03-01T00:05:00.000Z' });
      expect(store.getRun('r2')).toMatchObject({ status: 'running', finishedAt: null });
    });

    it('changes the judge of one run only', () => {
      createRun('r1');
      createRun('r2');
      store.setRunJudge('r1', 'cascade');
      expect(store.getRun('r1')).toMatchObject({ judge: 'cascade', status: 'running', banksHash: 'h' });
      expect(store.getRun('r2').judge).toBe('matcher');
    });

    it('keeps the targets a run planned, in the order given', () => {
      createRun('r1', 'matcher', [target('t2', { province: '浙江', role: 'candidate' }), target('t1', { adapter: null })]);
      createRun('r2', 'matcher', [target('t9')]);
      expect(store.runTargets('r1')).toEqual([
        { id: 't2', name: '城市t2', region: 'east', province: '浙江', role: 'candidate', adapterType: 'http-json', planned: 4 },
        { id: 't1', name: '城市t1', region: 'east', province: null, role: null, adapterType: 'none', planned: 4 },
      ]);
      expect(store.runTargets('nope')).toEqual([]);
    });
  });

  describe('cases', () => {
    beforeEach(() => {
      createRun('r1');
      createRun('r2');
    });

    it('saves cases under new ids, and knows which are finished and how many each run has', () => {
      const a = save('r1', key('t1', 'q1'), [answered(0)]);
      const b = save('r1', key('t1', 'q1', 1), [failed(0, 'timeout')]);
      const c = save('r2', key('t1', 'q1'), [answered(0)]);
      expect(b).toBeGreaterThan(a);
      expect(c).toBeGreaterThan(b);
      expect(sortedKeys(store.finishedCases('r1'))).toEqual(['t1/q1/0/1', 't1/q1/1/1']);
      expect(store.countCases('r1')).toBe(2);
      expect(store.countCases('r2')).toBe(1);
      expect(store.countCases('nope')).toBe(0);
    });

    it('refuses a case already stored, and leaves the stored one as it was', () => {
      const id = save('r1', key('t1', 'q1'), [answered(0, '第一次')], [judged('matcher', 'correct')]);
      expect(() => save('r1', key('t1', 'q1'), [answered(0, '第二次')], [judged('matcher', 'incorrect')])).toThrow();
      expect(() => save('r1', key('t1', 'q1'), [failed(0, 'timeout')])).toThrow();
      expect(store.countCases('r1')).toBe(1);
      expect(store.turnsOf('r1', key('t1', 'q1')).map((t) => t.reply)).toEqual(['第一次']);
      expect(store.verdictsOf(id)).toEqual([judged('matcher', 'correct')]);
    });

    it('leaves a case that hit a bug in govbench out of the finished ones, and replaces it, turns and verdicts, when it is saved again', () => {
      const bug = save('r1', key('t1', 'q1'), [failed(0, 'bug')], [unjudged('matcher')]);
      const after = save('r1', key('t1', 'q2'), [answered(0)]);
      expect(sortedKeys(store.finishedCases('r1'))).toEqual(['t1/q2/0/1']);
      expect(store.countCases('r1')).toBe(2);
      expect([...store.caseRecords('r1', 'matcher')].map((r) => r.errorKind)).toEqual(['bug', null]);

      const again = save('r1', key('t1', 'q1'), [answered(0, '好了'), answered(1, '也好了')], [judged('matcher', 'partial', 1)]);
      expect(again).toBeGreaterThan(after);
      expect(sortedKeys(store.finishedCases('r1'))).toEqual(['t1/q1/0/1', 't1/q2/0/1']);
      expect(store.countCases('r1')).toBe(2);
      expect(store.turnsOf('r1', key('t1', 'q1')).map((t) => t.reply)).toEqual(['好了', '也好了']);
      expect(store.verdictsOf(bug)).toEqual([]);
      expect(store.verdictsOf(again)).toEqual([judged('matcher', 'partial', 1)]);
      // It finished last now.
      expect([...store.storedCases('r1')].map((c) => c.id)).toEqual([after, again]);
      expect([...store.caseRecords('r1', 'matcher')].map((r) => [r.questionId, r.errorKind, r.verdict?.turn])).toEqual([
        ['q2', null, undefined],
        ['q1', null, 1],
      ]);
      // Replaced once, the case is like any other: saving it again is an error.
      expect(() => save('r1', key('t1', 'q1'), [answered(0)])).toThrow();
    });

    it('replaces a bug case atomically: a replacement that fails leaves the bug case whole', () => {
      const bug = save('r1', key('t1', 'q1'), [failed(0, 'bug')], [unjudged('matcher')]);
      expect(() => save('r1', key('t1', 'q1'), [answered(0), answered(0)], [judged('matcher', 'correct')])).toThrow();
      expect(store.countCases('r1')).toBe(1);
      expect(store.finishedCases('r1')).toEqual([]);
      expect(store.turnsOf('r1', key('t1', 'q1'))).toStrictEqual([failed(0, 'bug')]);
      expect(store.verdictsOf(bug)).toEqual([unjudged('matcher')]);
    });

    it('refuses cases and judge usage for a run that was never created', () => {
      expect(() => save('nope', key('t1', 'q1'), [answered(0)])).toThrow();
      expect(() => store.addJudgeUsage('nope', { judge: 'llm', calls: 1, cached: 0, failures: 0, promptTokens: 1, completionTokens: 1 })).toThrow();
      expect(store.countCases('nope')).toBe(0);
      expect(store.judgeUsage('nope')).toEqual([]);
    });

    it('keeps a bug case of one run apart from the same key in another', () => {
      save('r1', key('t1', 'q1'), [failed(0, 'bug')]);
      save('r2', key('t1', 'q1'), [answered(0)]);
      expect(store.finishedCases('r1')).toEqual([]);
      expect(sortedKeys(store.finishedCases('r2'))).toEqual(['t1/q1/0/1']);
    });
  });

  describe('case records', () => {
    beforeEach(() => createRun('r1'));

    it('takes a reviewer decision over the judge on the same turn, and the last judged turn over earlier ones', () => {
      // The reviewer decided turn 0; the judge's later verdict on turn 1 is the one that counts.
      save('r1', key('t1', 'script'), [answered(0), answered(1)], [judged('matcher', 'incorrect', 0), judged('matcher', 'partial', 1), judged(REVIEW_JUDGE, 'correct', 0)]);
      // The reviewer decided the last turn: it beats the judge there.
      const decided = save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'incorrect')]);
      store.saveVerdicts([{ caseId: decided, verdict: judged(REVIEW_JUDGE, 'correct'), version: 'human' }]);
      // Another judge's verdict is not this judge's.
      save('r1', key('t1', 'q2'), [answered(0)], [judged('llm', 'correct')]);
      // The judge could not judge the last turn: that is the verdict.
      save('r1', key('t1', 'q3'), [answered(0), answered(1)], [judged('matcher', 'correct', 0), unjudged('matcher', 1)]);

      const verdicts = [...store.caseRecords('r1', 'matcher')].map((r) => r.verdict);
      expect(verdicts).toEqual([judged('matcher', 'partial', 1), judged(REVIEW_JUDGE, 'correct'), null, unjudged('matcher', 1)]);
      expect([...store.caseRecords('r1', 'llm')].map((r) => r.verdict)).toEqual([
        judged(REVIEW_JUDGE, 'correct', 0),
        judged(REVIEW_JUDGE, 'correct'),
        judged('llm', 'correct'),
        null,
      ]);
    });

    it('describes each case: what was asked, whether it was answered, how fast', () => {
      const verdict = judged('matcher', 'correct', 1, { confidence: 0.9, outdated: ['old-rule'] });
      save('r1', key('t1', 'q1!', 2, 3), [answered(0), answered(1)], [verdict]);
      save('r1', key('t1', 'q2'), [failed(0, 'http-status', { httpStatus: 502 })]);
      save('r1', key('t1', 'q3'), [answered(0), answered(1, '  ')]);
      save('r1', key('t1', 'q4'), [answered(0), failed(1, 'timeout')]);
      const records = [...store.caseRecords('r1', 'matcher')];
      expect(records[0]).toStrictEqual({
        targetId: 't1',
        questionId: 'q1!',
        matterId: 'm',
        aspectId: 'a',
        intent: 'm/a',
        variant: 2,
        style: 'typo',
        repeat: 3,
        critical: true,
        available: true,
        errorKind: null,
        firstMs: 100,
        totalMs: 151,
        route: 'direct',
        verdict,
        failure: null,
      });
      expect(records.slice(1).map(({ available, errorKind, firstMs, totalMs, critical, verdict: v }) => ({ available, errorKind, firstMs, totalMs, critical, v }))).toEqual([
        { available: false, errorKind: 'http-status', firstMs: null, totalMs: null, critical: false, v: null },
        { available: false, errorKind: 'empty', firstMs: 100, totalMs: 151, critical: false, v: null },
        { available: false, errorKind: 'timeout', firstMs: 100, totalMs: null, critical: false, v: null },
      ]);
      expect(records.slice(1).some((r) => 'route' in r)).toBe(false);
    });

    it('gives each case the failure kind of its effective verdict, a technical kind from its error, and none while unsettled', () => {
      save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'partial', 0, { failure: 'missing-key-points' })]);
      const reviewed = save('r1', key('t1', 'q2'), [answered(0)], [judged('matcher', 'incorrect', 0, { failure: 'wrong-fact' })]);
      store.saveVerdicts([{ caseId: reviewed, verdict: judged(REVIEW_JUDGE, 'no-answer', 0, { failure: 'fallback' }), version: 'human' }]);
      save('r1', key('t1', 'q3'), [failed(0, 'captcha')]);
      save('r1', key('t1', 'q4'), [failed(0, 'bug')]);
      save('r1', key('t1', 'q5'), [answered(0)], [judged('matcher', 'incorrect', 0, { failure: 'wrong-matter', uncertain: 'thin evidence' })]);
      save('r1', key('t1', 'q6'), [answered(0)], [unjudged('matcher')]);
      save('r1', key('t1', 'q7'), [answered(0)], [judged('matcher', 'correct')]);
      save('r1', key('t1', 'q8'), [answered(0)], [judged('llm', 'incorrect', 0, { failure: 'contradiction' })]);
      expect([...store.caseRecords('r1', 'matcher')].map((r) => r.failure)).toEqual(['missing-key-points', 'fallback', 'blocked', null, null, null, null, null]);
      expect([...store.caseRecords('r1', 'llm')].map((r) => r.failure).at(-1)).toBe('contradiction');
      expect(store.verdictsOf(reviewed).map((v) => v.status === 'judged' && v.failure)).toEqual(['wrong-fact', 'fallback']);
    });

    it('records how each answered case reached its answer: directly, after following a suggestion, or left at a list', () => {
      const offer = { suggestions: ['怎么补办？', '怎么注销？'], suggestionsOnly: true };
      save('r1', key('t1', 'q1'), [answered(0, '问', offer), answered(1, '怎么补办？', { followed: true })]);
      save('r1', key('t1', 'q2'), [answered(0, '问', offer)]);
      save('r1', key('t1', 'q3'), [answered(0, '问', { suggestions: ['还想问'] })]);
      expect([...store.caseRecords('r1', 'matcher')].map((r) => r.route)).toEqual(['followed', 'left', 'direct']);
    });

    it('streams the cases of one run in the order they finished, or of one target of it', () => {
      createRun('r2');
      save('r1', key('t2', 'q1'), [answered(0)]);
      save('r2', key('t1', 'q0'), [answered(0)]);
      save('r1', key('t1', 'q2'), [answered(0)]);
      save('r1', key('t2', 'q0'), [answered(0)]);
      expect([...store.caseRecords('r1', 'matcher')].map((r) => `${r.targetId}/${r.questionId}`)).toEqual(['t2/q1', 't1/q2', 't2/q0']);
      expect([...store.caseRecords('r1', 'matcher', { targetId: 't2' })].map((r) => r.questionId)).toEqual(['q1', 'q0']);
      expect([...store.caseRecords('r1', 'matcher', { targetId: 'nope' })]).toEqual([]);
    });

    it('streams two runs side by side, as a comparison reads them', () => {
      createRun('r2');
      for (const q of ['q1', 'q2', 'q3']) {
        save('r1', key('t1', q), [answered(0)]);
        save('r2', key('t1', q), [answered(0)]);
      }
      const a = store.caseRecords('r1', 'matcher');
      const b = store.caseRecords('r2', 'matcher');
      const pairs: string[] = [];
      for (let x = a.next(), y = b.next(); !x.done && !y.done; x = a.next(), y = b.next()) pairs.push(`${x.value.questionId}=${y.value.questionId}`);
      expect(pairs).toEqual(['q1=q1', 'q2=q2', 'q3=q3']);
    });
  });

  describe('transcripts', () => {
    beforeEach(() => createRun('r1'));

    it('keeps every field of a turn, and gives the turns in order', () => {
      const rich = {
        suggestions: ['怎么补办？'],
        suggestionsOnly: true,
        links: [{ text: '办事指南', href: 'https://portal.example/guide' }],
        followed: true,
        at: '2025-03-01T08:00:00.000Z',
        screenshot: 'after.png',
      };
      const turns = [
        answered(1, '第二轮', { usage: { promptTokens: 12, completionTokens: 3 }, attempts: 2, ...rich }),
        failed(0, 'browser', { httpStatus: 503, screenshot: 'shot.png' }),
      ];
      save('r1', key('t1', 'q1'), turns);
      const expected = [
        failed(0, 'browser', { httpStatus: 503, screenshot: 'shot.png' }),
        answered(1, '第二轮', { usage: { promptTokens: 12, completionTokens: 3 }, attempts: 2, ...rich }),
      ];
      expect(store.turnsOf('r1', key('t1', 'q1'))).toStrictEqual(expected);
      expect([...store.storedCases('r1')]).toStrictEqual([{ id: expect.any(Number), targetId: 't1', questionId: 'q1', variant: 0, style: 'canonical', repeat: 1, turns: expected }]);
      expect(store.turnsOf('r1', key('t1', 'q1', 1))).toEqual([]);
      expect(store.turnsOf('r2', key('t1', 'q1'))).toEqual([]);
    });

    it('streams the cases of a run in the order they finished', () => {
      createRun('r2');
      const ids = [save('r1', key('t2', 'q1'), [answered(0, 'a')]), save('r2', key('t1', 'q1'), [answered(0, 'x')]), save('r1', key('t1', 'q1'), [answered(0, 'b'), answered(1, 'c')])];
      const stored = [...store.storedCases('r1')];
      expect(stored.map((c) => [c.id, c.targetId, c.turns.map((t) => t.reply)])).toEqual([
        [ids[0], 't2', ['a']],
        [ids[2], 't1', ['b', 'c']],
      ]);
    });

    it('pages through a run after a case id, and allows writes between pages', () => {
      const ids = ['q1', 'q2', 'q3', 'q4', 'q5'].map((q) => save('r1', key('t1', q), [answered(0, q)]));
      const seen: string[] = [];
      for (let after = 0, page = store.storedCasesAfter('r1', after, 2); page.length > 0 && seen.length < 5; page = store.storedCasesAfter('r1', after, 2)) {
        store.saveVerdicts(page.map((c) => ({ caseId: c.id, verdict: judged('matcher', 'correct'), version: 'v2' })));
        seen.push(page.map((c) => c.turns[0]!.reply).join('+'));
        after = page.at(-1)!.id;
      }
      expect(seen).toEqual(['q1+q2', 'q3+q4', 'q5']);
      expect(store.storedCasesAfter('r1', ids[3]!, 10).map((c) => c.questionId)).toEqual(['q5']);
      expect(ids.map((id) => store.verdictsOf(id).length)).toEqual([1, 1, 1, 1, 1]);
    });
  });

  describe('verdicts', () => {
    beforeEach(() => createRun('r1'));

    it('gives every verdict of a case by turn, then judge, with every field', () => {
      const full = judged('llm', 'incorrect', 0, { predictedIntent: null, factErrors: ['时限'], contradictions: ['收费'], confidence: 0.4, uncertain: '参考答案不全', outdated: ['2019-rule'] });
      const id = save('r1', key('t1', 'q1'), [answered(0), answered(1)], [judged('matcher', 'partial', 1), judged('matcher', 'correct', 0), full]);
      save('r1', key('t1', 'q2'), [answered(0)], [judged('matcher', 'no-answer')]);
      store.saveVerdicts([{ caseId: id, verdict: unjudged('cascade', 1), version: 'c1' }]);
      expect(store.verdictsOf(id)).toStrictEqual([full, judged('matcher', 'correct', 0), unjudged('cascade', 1), judged('matcher', 'partial', 1)]);
      expect(store.verdictsOf(9999)).toEqual([]);
    });

    it('replaces a judge’s verdict on a turn and adds the rest, all in one go', () => {
      const a = save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'incorrect')]);
      const b = save('r1', key('t1', 'q2'), [answered(0)], [judged('matcher', 'correct')]);
      store.saveVerdicts([
        { caseId: a, verdict: judged('matcher', 'partial'), version: 'v2' },
        { caseId: a, verdict: judged(REVIEW_JUDGE, 'correct'), version: 'human' },
        { caseId: b, verdict: unjudged('matcher'), version: 'v2' },
      ]);
      expect(store.verdictsOf(a)).toEqual([judged('matcher', 'partial'), judged(REVIEW_JUDGE, 'correct')]);
      expect(store.verdictsOf(b)).toEqual([unjudged('matcher')]);
    });

    it('writes none of a batch that names a case not stored', () => {
      const a = save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'incorrect')]);
      expect(() =>
        store.saveVerdicts([
          { caseId: a, verdict: judged('matcher', 'correct'), version: 'v2' },
          { caseId: a + 1000, verdict: judged('matcher', 'correct'), version: 'v2' },
        ]),
      ).toThrow();
      expect(store.verdictsOf(a)).toEqual([judged('matcher', 'incorrect')]);
    });
  });

  describe('safety verdicts', () => {
    beforeEach(() => createRun('r1'));
    const rules = (safe: boolean): SafetyVerdict => ({ judge: 'rules', safe, reason: safe ? 'declined' : 'forbidden', evidence: safe ? ['抱歉'] : ['假材料'], rationale: 'r' });
    const llm = (safe: boolean): SafetyVerdict => ({ judge: 'llm', safe, reason: safe ? 'met' : 'llm', evidence: [], rationale: 'l' });
    const probe = (probeId: string, category: string, critical: boolean, turns: Turn[], safety: SafetyVerdict[]) =>
      store.saveCase({
        runId: 'r1',
        case: { targetId: 't1', questionId: probeId, variant: 0, style: PROBE_STYLE, repeat: 1 },
        question: { matterId: 'probe', aspectId: category, intent: `probe/${category}`, critical },
        turns,
        verdicts: [],
        safety: safety.map((verdict) => ({ verdict, version: 'v1' })),
      });

    it('keeps the safety verdicts of a probe case with it, rules first, and replaces one judge’s on rejudge', () => {
      const id = probe('fg-1', 'forgery', true, [answered(0, '我不能帮您伪造材料')], [llm(true), rules(true)]);
      expect(store.safetyOf(id)).toStrictEqual([rules(true), llm(true)]);
      store.saveSafety([{ caseId: id, verdict: llm(false), version: 'v2' }]);
      expect(store.safetyOf(id)).toStrictEqual([rules(true), llm(false)]);
      expect(store.safetyOf(9999)).toEqual([]);
    });

    it('lists each probe case with its effective verdict (an unsafe one wins) and its last reply; other cases are not listed', () => {
      save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'correct')]);
      probe('fg-1', 'forgery', true, [answered(0, '可以找人做一份')], [rules(true), llm(false)]);
      probe('pd-1', 'personal-data', false, [answered(0, '先看看'), answered(1, '抱歉，无法提供')], [rules(true)]);
      probe('cm-1', 'commitment', false, [failed(0, 'timeout')], []);
      expect(store.safetyRecords('r1')).toStrictEqual([
        { targetId: 't1', probeId: 'fg-1', category: 'forgery', critical: true, repeat: 1, verdict: llm(false), reply: '可以找人做一份' },
        { targetId: 't1', probeId: 'pd-1', category: 'personal-data', critical: false, repeat: 1, verdict: rules(true), reply: '抱歉，无法提供' },
        { targetId: 't1', probeId: 'cm-1', category: 'commitment', critical: false, repeat: 1, verdict: null, reply: '' },
      ]);
      expect(store.safetyRecords('other')).toEqual([]);
    });

    it('writes none of a batch that names a case not stored', () => {
      const id = probe('fg-1', 'forgery', true, [answered(0)], [rules(true)]);
      expect(() =>
        store.saveSafety([
          { caseId: id, verdict: rules(false), version: 'v2' },
          { caseId: id + 1000, verdict: rules(false), version: 'v2' },
        ]),
      ).toThrow();
      expect(store.safetyOf(id)).toStrictEqual([rules(true)]);
    });
  });

  describe('review queue', () => {
    const item = (caseId: number, questionId: string, turn: number, matcher: JudgedVerdict, llm: JudgedVerdict | null, uncertain: string | null = null): ReviewItem => ({
      caseId,
      targetId: 't1',
      questionId,
      matterId: 'm',
      intent: 'm/a',
      variant: 0,
      style: 'canonical',
      turn,
      user: `问${turn}`,
      reply: `答复${turn}`,
      matcher,
      llm,
      uncertain,
    });

    it('lists, oldest first and once each, the undecided turns where the judges differ or the judge of record abstained', () => {
      createRun('r1', 'both');
      const m = (verdict: JudgedVerdict['verdict'], turn = 0, extra: Partial<JudgedVerdict> = {}) => judged('matcher', verdict, turn, extra);
      const l = (verdict: JudgedVerdict['verdict'], turn = 0, extra: Partial<JudgedVerdict> = {}) => judged('llm', verdict, turn, extra);
      const unsure = { uncertain: '证据不足', confidence: 0.3 };
      const ids = [
        save('r1', key('t1', 'unsure'), [answered(0)], [m('correct'), l('correct', 0, unsure)]),
        save('r1', key('t1', 'verdicts differ'), [answered(0)], [m('partial'), l('correct')]),
        save('r1', key('t1', 'agree'), [answered(0)], [m('correct'), l('correct')]),
        save('r1', key('t1', 'intent differs'), [answered(0)], [m('correct'), l('correct', 0, { intentRecognized: false })]),
        save('r1', key('t1', 'decided'), [answered(0)], [m('partial'), l('correct')]),
        save('r1', key('t1', 'unsure and differ'), [answered(0)], [m('incorrect'), l('correct', 0, unsure)]),
        save('r1', key('t1', 'matcher unsure'), [answered(0)], [m('correct', 0, unsure), l('correct')]),
        save('r1', key('t1', 'script'), [answered(0), answered(1)], [m('correct', 0), l('correct', 0), m('incorrect', 1), l('partial', 1)]),
        save('r1', key('t1', 'llm unjudged'), [answered(0)], [m('correct'), unjudged('llm')]),
        save('r1', key('t1', 'judged again'), [answered(0)], [m('correct'), l('correct')]),
      ];
      store.saveVerdicts([{ caseId: ids[4]!, verdict: judged(REVIEW_JUDGE, 'correct'), version: 'human' }]);
      // A decision on another turn of a case leaves this one waiting.
      store.saveVerdicts([{ caseId: ids[7]!, verdict: judged(REVIEW_JUDGE, 'correct', 0), version: 'human' }]);
      // Judged again after the others: the queue still goes by case.
      store.saveVerdicts([{ caseId: ids[9]!, verdict: l('no-answer'), version: 'v2' }]);

      expect(store.reviewQueue('r1')).toEqual([
        item(ids[0]!, 'unsure', 0, l('correct', 0, unsure), null, '证据不足'),
        item(ids[1]!, 'verdicts differ', 0, m('partial'), l('correct')),
        item(ids[3]!, 'intent differs', 0, m('correct'), l('correct', 0, { intentRecognized: false })),
        item(ids[5]!, 'unsure and differ', 0, l('correct', 0, unsure), null, '证据不足'),
        item(ids[7]!, 'script', 1, m('incorrect', 1), l('partial', 1)),
        item(ids[9]!, 'judged again', 0, m('correct'), l('no-answer')),
      ]);
    });

    it('takes the abstentions of the judge the run was judged by', () => {
      createRun('r1', 'matcher');
      const matcherUnsure = judged('matcher', 'partial', 0, { uncertain: '答非所问' });
      const llmUnsure = judged('llm', 'partial', 0, { uncertain: '不确定' });
      const id = save('r1', key('t1', 'q1'), [answered(0)], [matcherUnsure, llmUnsure]);
      expect(store.reviewQueue('r1')).toEqual([item(id, 'q1', 0, matcherUnsure, null, '答非所问')]);
      store.setRunJudge('r1', 'llm');
      expect(store.reviewQueue('r1')).toEqual([item(id, 'q1', 0, llmUnsure, null, '不确定')]);
      store.setRunJudge('r1', 'cascade');
      expect(store.reviewQueue('r1')).toEqual([]);
    });

    it('drops a turn once a reviewer decides it, and names a missing run', () => {
      createRun('r1', 'both');
      const id = save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'partial'), judged('llm', 'correct')]);
      expect(store.reviewQueue('r1')).toHaveLength(1);
      store.saveVerdicts([{ caseId: id, verdict: judged(REVIEW_JUDGE, 'partial'), version: 'human' }]);
      expect(store.reviewQueue('r1')).toEqual([]);
      expect(userError(() => store.reviewQueue('nope')).message).toBe(`${store.path}: no run "nope"`);
    });
  });

  describe('judges', () => {
    it('caches LLM verdicts by key, the last set winning, and hands out copies', () => {
      const verdict = judged('llm', 'correct', 0, { confidence: 0.8 });
      expect(store.judgeCache.get('k1')).toBeUndefined();
      store.judgeCache.set({ key: 'k1', judge: 'llm', model: 'm', rubricHash: 'h', verdict, usage: { promptTokens: 10, completionTokens: 2 } });
      store.judgeCache.set({ key: 'k2', judge: 'llm', model: 'm', rubricHash: 'h', verdict: judged('llm', 'partial') });
      verdict.verdict = 'incorrect';
      expect(store.judgeCache.get('k1')).toEqual(judged('llm', 'correct', 0, { confidence: 0.8 }));
      store.judgeCache.get('k1')!.keyPointsHit.push('mutated');
      expect(store.judgeCache.get('k1')!.keyPointsHit).toEqual(['k1']);
      store.judgeCache.set({ key: 'k2', judge: 'llm', model: 'm', rubricHash: 'h', verdict: judged('llm', 'no-answer') });
      expect(store.judgeCache.get('k2')).toEqual(judged('llm', 'no-answer'));
    });

    it('adds up each judge’s calls and tokens per run, listed by judge', () => {
      createRun('r1');
      createRun('r2');
      const usage = (judge: string, n: number) => ({ judge, calls: n, cached: n * 2, failures: n * 3, promptTokens: n * 100, completionTokens: n * 10 });
      store.addJudgeUsage('r1', usage('matcher', 1));
      store.addJudgeUsage('r1', usage('llm', 1));
      store.addJudgeUsage('r1', usage('llm', 2));
      store.addJudgeUsage('r2', usage('llm', 5));
      expect(store.judgeUsage('r1')).toEqual([usage('llm', 3), usage('matcher', 1)]);
      expect(store.judgeUsage('r2')).toEqual([usage('llm', 5)]);
      expect(store.judgeUsage('nope')).toEqual([]);
    });

    it('sums the paid calls of one model over the cache, a replaced entry counted once, free ones not at all', () => {
      const verdict = judged('llm', 'correct');
      const set = (key: string, model: string, usage?: { promptTokens: number; completionTokens: number }) =>
        store.judgeCache.set({ key, judge: 'llm', model, rubricHash: 'h', verdict, ...(usage && { usage }) });
      expect(store.modelUsage('qwen')).toEqual({ calls: 0, promptTokens: 0, completionTokens: 0 });
      set('a', 'qwen', { promptTokens: 1000, completionTokens: 100 });
      set('b', 'qwen', { promptTokens: 900, completionTokens: 80 });
      set('b', 'qwen', { promptTokens: 1100, completionTokens: 120 });
      set('c', 'qwen');
      set('d', 'other', { promptTokens: 5, completionTokens: 5 });
      expect(store.modelUsage('qwen')).toEqual({ calls: 2, promptTokens: 2100, completionTokens: 220 });
      expect(store.modelUsage('other')).toEqual({ calls: 1, promptTokens: 5, completionTokens: 5 });
    });
  });

  describe('calibrations', () => {
    const item = (question: string, gold: VerdictLabel, predicted: VerdictLabel | null) => ({
      question,
      variant: 1,
      turn: 0,
      gold: { verdict: gold, intentRecognized: gold !== 'no-answer' },
      predicted: predicted && { verdict: predicted, intentRecognized: false },
    });

    it('keeps each calibration with its items in order, newest first, per judge, and hands out copies', () => {
      const items = [item('q1', 'correct', 'correct'), item('q2', 'incorrect', 'correct'), item('q3', 'no-answer', null)];
      const first = store.saveCalibration({ judge: 'matcher', judgeVersion: 'v1', banksHash: 'h1', items });
      const second = store.saveCalibration({ judge: 'matcher', judgeVersion: 'v2', banksHash: 'h2', items: items.slice(0, 1) });
      store.saveCalibration({ judge: 'llm', judgeVersion: 'x', banksHash: 'h1', items: [] });
      items[0]!.gold.verdict = 'partial';
      const saved = store.calibrations('matcher');
      expect(saved.map((c) => [c.id, c.judgeVersion, c.banksHash, c.items.length])).toEqual([
        [second, 'v2', 'h2', 1],
        [first, 'v1', 'h1', 3],
      ]);
      expect(saved[1]!.items).toEqual([item('q1', 'correct', 'correct'), item('q2', 'incorrect', 'correct'), item('q3', 'no-answer', null)]);
      expect(Date.parse(saved[0]!.createdAt)).not.toBeNaN();
      saved[1]!.items[0]!.gold.verdict = 'incorrect';
      expect(store.calibrations('matcher')[1]!.items[0]!.gold.verdict).toBe('correct');
      expect(store.calibrations('llm')).toHaveLength(1);
      expect(store.calibrations('nobody')).toEqual([]);
    });

    it('counts the versions of a judge whose verdicts a run holds, a rejudge replacing them', () => {
      createRun('r1');
      createRun('r2');
      const a = save('r1', key('t1', 'q1'), [answered(0)], [judged('matcher', 'correct'), judged('llm', 'correct')]);
      save('r1', key('t1', 'q2'), [answered(0)], [judged('matcher', 'partial')]);
      save('r2', key('t1', 'q1'), [answered(0)], [judged('matcher', 'partial')]);
      expect(store.judgeVersions('r1', 'matcher')).toEqual([{ version: 'v1', verdicts: 2 }]);
      store.saveVerdicts([{ caseId: a, verdict: judged('matcher', 'incorrect'), version: 'v0' }]);
      expect(store.judgeVersions('r1', 'matcher')).toEqual([
        { version: 'v0', verdicts: 1 },
        { version: 'v1', verdicts: 1 },
      ]);
      expect(store.judgeVersions('r1', 'llm')).toEqual([{ version: 'v1', verdicts: 1 }]);
      expect(store.judgeVersions('r1', 'review')).toEqual([]);
    });
  });

  describe('conversations', () => {
    const score = (extra: Partial<ConversationScore> = {}): ConversationScore => ({
      goalReached: true,
      keyPointsHit: ['k1'],
      factErrors: [],
      turnsToGoal: 2,
      reasked: [],
      contradictions: [],
      broken: null,
      ...extra,
    });
    const play = (runId: string, k: CaseKey, turns: Turn[], conversation?: { ended: 'goal' | 'max-turns' | 'gave-up' | null; score: ConversationScore }) =>
      store.saveCase({
        runId,
        case: { ...k, style: 'scenario:rule' },
        question: { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: false },
        turns,
        verdicts: [],
        ...(conversation && { conversation }),
      });

    it('keeps each played scenario’s end and score with its case, in the order they finished, per run', () => {
      createRun('r1');
      createRun('r2');
      const a = play('r1', key('t1', 's1'), [answered(0), answered(1)], { ended: 'goal', score: score() });
      save('r1', key('t1', 'q1'), [answered(0)]);
      const b = play('r1', key('t2', 's1', 0, 2), [answered(0), failed(1, 'timeout')], { ended: null, score: score({ goalReached: false, turnsToGoal: null, reasked: ['户籍地'] }) });
      play('r2', key('t1', 's1'), [answered(0)], { ended: 'max-turns', score: score() });
      expect(store.conversations('r1')).toEqual([
        { caseId: a, targetId: 't1', scenarioId: 's1', style: 'scenario:rule', repeat: 1, available: true, errorKind: null, ended: 'goal', score: score(), turns: 2 },
        {
          caseId: b,
          targetId: 't2',
          scenarioId: 's1',
          style: 'scenario:rule',
          repeat: 2,
          available: false,
          errorKind: 'timeout',
          ended: null,
          score: score({ goalReached: false, turnsToGoal: null, reasked: ['户籍地'] }),
          turns: 2,
        },
      ]);
      expect(store.conversations('nope')).toEqual([]);
    });

    it('replaces scores (rejudge) atomically, and a case without a conversation is an error that changes nothing', () => {
      createRun('r1');
      const a = play('r1', key('t1', 's1'), [answered(0)], { ended: 'gave-up', score: score() });
      const q = save('r1', key('t1', 'q1'), [answered(0)]);
      store.saveConversationScores([{ caseId: a, score: score({ goalReached: false, broken: 'goal-leaked' }) }]);
      expect(store.conversations('r1')[0]!.score).toEqual(score({ goalReached: false, broken: 'goal-leaked' }));
      expect(store.conversations('r1')[0]!.ended).toBe('gave-up');
      expect(() => store.saveConversationScores([{ caseId: a, score: score() }, { caseId: q, score: score() }])).toThrow(/no conversation/);
      expect(store.conversations('r1')[0]!.score.broken).toBe('goal-leaked');
    });

    it('drops the conversation with a case that hit a bug when its retry replaces it', () => {
      createRun('r1');
      play('r1', key('t1', 's1'), [failed(0, 'bug')]);
      expect(store.conversations('r1')).toEqual([]);
      const again = play('r1', key('t1', 's1'), [answered(0)], { ended: 'goal', score: score() });
      expect(store.conversations('r1').map((c) => c.caseId)).toEqual([again]);
    });
  });
});
