import { describe, expect, it } from 'vitest';
import type { Store, Target, Turn, Verdict, VerdictLabel } from '../src/domain/types.js';
import { answerOf, compareFromStore, compareTargetsInRun, parseCompareSelector } from '../src/reports/compare/from-store.js';
import { renderCompareJson } from '../src/reports/compare/json.js';
import { renderCompareMarkdown } from '../src/reports/compare/markdown.js';
import { renderCompareJunit } from '../src/reports/junit.js';
import { openStore } from '../src/store/index.js';
import { UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';

const target = (id: string, role?: string): Target => ({
  id,
  name: `名 ${id}`,
  region: 'east',
  ...(role && { role }),
  adapter: { type: 'http-json', url: 'http://127.0.0.1:9/chat', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'targets.yaml', line: 1, column: 1 },
});

const QUESTIONS: Record<string, { text: string; critical: boolean; matterId: string }> = {
  'fee-01': { text: '办证要钱吗？', critical: true, matterId: 'card' },
  'time-01': { text: '多久能办好？', critical: false, matterId: 'card' },
  'where-01': { text: '在哪里办？', critical: false, matterId: 'card' },
  'docs-01': { text: '要带什么材料？', critical: false, matterId: 'licence' },
};

const verdict = (label: VerdictLabel): Verdict => ({
  status: 'judged',
  judge: 'matcher',
  turn: 0,
  intentRecognized: label !== 'no-answer',
  predictedIntent: null,
  verdict: label,
  accuracy: label === 'correct' ? 1 : label === 'partial' ? 0.5 : 0,
  keyPointsHit: [],
  factErrors: [],
  contradictions: [],
  rationale: `judged ${label}`,
});

/** One case: a reply (or a timeout when `reply` is null) and its verdict. */
function save(store: Store, runId: string, targetId: string, questionId: string, reply: string | null, label: VerdictLabel | null, variant = 0): void {
  const q = QUESTIONS[questionId]!;
  const user = variant === 0 ? q.text : `${q.text}（换个说法 ${variant}）`;
  const turn: Turn = {
    index: 0,
    user,
    reply: reply ?? '',
    raw: '',
    ok: reply !== null,
    ...(reply === null && { errorKind: 'timeout' as const, error: 'no reply within 1000 ms' }),
    firstMs: 800,
    totalMs: 900,
    attempts: 1,
  };
  store.saveCase({
    runId,
    case: { targetId, questionId, variant, style: variant === 0 ? 'canonical' : 'colloquial', repeat: 0 },
    question: { matterId: q.matterId, aspectId: 'a', intent: `${q.matterId}/a`, critical: q.critical },
    turns: [turn],
    verdicts: label === null ? [] : [{ verdict: verdict(label), version: 'v1' }],
  });
}

function createRun(store: Store, id: string, targets: Target[], banksHash = 'bank-1'): void {
  store.createRun({ id, label: `发布 ${id}`, banksHash, judge: 'matcher', options: {}, targets: targets.map((t) => ({ target: t, planned: 4 })) });
}

describe('compareFromStore (SQLite file, end to end)', () => {
  it('pairs two runs by role, reads both answers of every regression and names the critical one', () => {
    using dir = tempDir();
    const store = openStore(dir.path('govbench.db'));
    try {
      createRun(store, 'r-base', [target('prov-v1', 'prov'), target('city')]);
      save(store, 'r-base', 'prov-v1', 'fee-01', '免费办理，不收取任何费用。', 'correct');
      save(store, 'r-base', 'prov-v1', 'time-01', '请咨询 12345。', 'no-answer');
      save(store, 'r-base', 'prov-v1', 'where-01', '到政务服务中心办理。', 'correct');
      save(store, 'r-base', 'prov-v1', 'where-01', '去大厅 | 窗口办理。', 'correct', 1);
      save(store, 'r-base', 'city', 'fee-01', '免费。', 'correct');
      store.setRunStatus('r-base', 'finished');

      createRun(store, 'r-cand', [target('prov-v2', 'prov'), target('city')]);
      save(store, 'r-cand', 'prov-v2', 'fee-01', '需缴纳工本费 <b>20 元</b>。', 'incorrect');
      save(store, 'r-cand', 'prov-v2', 'time-01', '7 个工作日内办结。', 'correct');
      save(store, 'r-cand', 'prov-v2', 'where-01', '到政务服务中心办理。', 'correct');
      save(store, 'r-cand', 'prov-v2', 'where-01', null, null, 1);
      save(store, 'r-cand', 'city', 'fee-01', '免费。', 'correct');
      store.setRunStatus('r-cand', 'finished');

      const c = compareFromStore(store, 'r-base', 'latest', { scoring: { bootstrap: { iterations: 200, seed: 1 } } });
      expect(c.baseline).toMatchObject({ id: 'r-base', label: '发布 r-base', status: 'finished' });
      expect(c.candidate.id).toBe('r-cand');
      expect(c.units.map((u) => [u.id, u.pairedBy])).toEqual([
        ['city', 'target'],
        ['prov-v1→prov-v2', 'role'],
      ]);
      expect(c).toMatchObject({ pairs: 5, fixed: 1, regressed: 2, unchanged: 2, excluded: 0, criticalRegressions: ['fee-01'], regression: true });

      const [fee, where] = c.regressedPairs;
      expect(fee).toMatchObject({
        questionId: 'fee-01',
        critical: true,
        asked: '办证要钱吗？',
        baselineAnswer: { text: '免费办理，不收取任何费用。', error: null },
        candidateAnswer: { text: '需缴纳工本费 <b>20 元</b>。', error: null },
        rationale: 'judged incorrect',
      });
      expect(where).toMatchObject({
        questionId: 'where-01',
        variant: 1,
        candidate: 'unavailable',
        asked: '在哪里办？（换个说法 1）',
        baselineAnswer: { text: '去大厅 | 窗口办理。' },
        candidateAnswer: { text: '', error: 'timeout: no reply within 1000 ms' },
      });
      expect(c.fixedPairs[0]).toMatchObject({ questionId: 'time-01', asked: '多久能办好？', baselineAnswer: null });
      expect(c.questions.find((q) => q.questionId === 'where-01')).toMatchObject({ asked: '在哪里办？', status: 'regressed' });

      const json = JSON.parse(renderCompareJson(c)) as { regression: boolean; criticalRegressions: string[]; scoreDelta: { value: number; low: number; high: number } };
      expect(json).toMatchObject({ regression: true, criticalRegressions: ['fee-01'] });
      expect(json.scoreDelta.low).toBeLessThanOrEqual(json.scoreDelta.value);
      expect(json.scoreDelta.high).toBeGreaterThanOrEqual(json.scoreDelta.value);
      const md = renderCompareMarkdown(c);
      expect(md).toContain('需缴纳工本费 &lt;b&gt;20 元&lt;/b&gt;。');
      expect(md).toContain('去大厅 \\| 窗口办理。');
      expect(md).toContain('(timeout: no reply within 1000 ms)');
      const xml = renderCompareJunit(c);
      expect(xml.match(/<testcase /g)).toHaveLength(c.questions.length + 1);
      expect(xml).toContain('需缴纳工本费 &lt;b&gt;20 元&lt;/b&gt;。');
    } finally {
      store.close();
    }
  });

  it('compares two targets of one run, and only the shared questions of runs whose banks differ', () => {
    using dir = tempDir();
    const store = openStore(dir.path('govbench.db'));
    try {
      createRun(store, 'one', [target('v1', 'prov'), target('v2', 'prov')]);
      save(store, 'one', 'v1', 'fee-01', '免费。', 'correct');
      save(store, 'one', 'v2', 'fee-01', '免费。', 'correct');
      save(store, 'one', 'v1', 'time-01', '不知道。', 'no-answer');
      save(store, 'one', 'v2', 'time-01', '7 个工作日。', 'correct');
      const inRun = compareTargetsInRun(store, 'one', 'v1', 'v2');
      expect(inRun).toMatchObject({ pairs: 2, fixed: 1, regressed: 0, regression: false, sharedQuestionsOnly: false });
      expect(inRun.units[0]).toMatchObject({ baselineTarget: 'v1', candidateTarget: 'v2', pairedBy: 'selected' });
      expect(inRun.fixedPairs[0]!.asked).toBe('多久能办好？');
      expect(renderCompareMarkdown(inRun)).toContain('# govbench compare — 名 v1 → 名 v2 (发布 one)');

      createRun(store, 'new-bank', [target('v2', 'prov')], 'bank-2');
      save(store, 'new-bank', 'v2', 'fee-01', '免费。', 'correct');
      save(store, 'new-bank', 'v2', 'docs-01', '身份证。', 'correct');
      const banks = compareFromStore(store, parseCompareSelector('one:v2'), parseCompareSelector('new-bank:v2'));
      expect(banks).toMatchObject({ sharedQuestionsOnly: true, sharedQuestions: 1, pairs: 1, unchanged: 1 });
      expect(banks.unpaired).toMatchObject({ baselineOnlyQuestions: 1, candidateOnlyQuestions: 1, baselineOnlyCases: 1, candidateOnlyCases: 1 });
    } finally {
      store.close();
    }
  });

  it('reports bad selectors and unknown runs as user errors', () => {
    using dir = tempDir();
    const store = openStore(dir.path('govbench.db'));
    try {
      createRun(store, 'one', [target('v1')]);
      save(store, 'one', 'v1', 'fee-01', '免费。', 'correct');
      expect(() => compareFromStore(store, 'one', 'missing')).toThrow(UserError);
      expect(() => compareFromStore(store, { run: 'one', target: 'v1' }, 'one')).toThrow(/on both sides or on neither/);
      expect(() => compareTargetsInRun(store, 'one', 'v1', 'v9')).toThrow(/no target "v9"/);
      expect(() => parseCompareSelector('one:')).toThrow(UserError);
      expect(parseCompareSelector('latest')).toEqual({ run: 'latest' });
    } finally {
      store.close();
    }
  });
});

describe('answerOf', () => {
  const turn = (over: Partial<Turn>): Turn => ({ index: 0, user: '问', reply: '答', raw: '', ok: true, firstMs: 1, totalMs: 2, attempts: 1, ...over });
  it('shows a multi-turn script turn by turn and an empty reply as an error', () => {
    expect(answerOf([turn({}), turn({ index: 1, user: '办证', reply: '好的' })])).toEqual({ text: '[1] 问 → 答\n[2] 办证 → 好的', error: null });
    expect(answerOf([turn({ reply: '  ' })]).error).toMatch(/^empty/);
    expect(answerOf([]).error).toBe('no turns recorded');
  });
});
