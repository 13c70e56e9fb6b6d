/**
 * What a run will spend and the caps that stop it: `run --plan`'s estimate (pure, then from a real
 * run's history) and `--max-calls` stopping a run whose LLM judge is a local OpenAI-compatible server,
 * resumably.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeUsageRow, Question } from '../src/domain/types.js';
import { budgetReached, costOf } from '../src/runner/budget.js';
import { estimateCostPlan, roughTokens } from '../src/runner/cost-plan.js';
import { planCost } from '../src/runner/session/cost-history.js';
import { planRun } from '../src/runner/session/plan.js';
import { openRequested, openRunSession } from '../src/runner/session/session.js';
import type { RunSpec } from '../src/runner/session/spec.js';
import { openStore } from '../src/store/index.js';
import { existsSync } from 'node:fs';
import { runCli, tempDir } from './helpers.js';
import { startOpenAiServer, type OpenAiTestServer } from './helpers-openai-server.js';
import { modelOutput } from './llm-judge-fixtures.js';
import { BANK_DIR } from './tui-helpers.js';

const usage = (judge: string, calls: number, promptTokens: number, completionTokens: number): JudgeUsageRow => ({ judge, calls, cached: 0, failures: 0, promptTokens, completionTokens });

describe('budget caps', () => {
  const pricing = { inputPerMillion: 2, outputPerMillion: 6, currency: 'CNY' };

  it('counts paid calls over every judge and the simulated citizen, and cost from the prices', () => {
    const spent = [usage('llm', 7, 700_000, 50_000), usage('citizen:llm', 3, 300_000, 50_000)];
    expect(costOf(1_000_000, 100_000, pricing)).toBeCloseTo(2.6);
    expect(budgetReached(spent, { maxCalls: 11 }, pricing)).toBeNull();
    expect(budgetReached(spent, { maxCalls: 10 }, pricing)).toBe('--max-calls 10 reached (10 paid model calls)');
    expect(budgetReached(spent, { maxCost: 2.61 }, pricing)).toBeNull();
    expect(budgetReached(spent, { maxCost: 2.6 }, pricing)).toBe('--max-cost 2.6 reached (2.6000 CNY spent)');
    expect(budgetReached([], { maxCalls: 1, maxCost: 0.01 }, pricing)).toBeNull();
  });
});

describe('the cost plan', () => {
  const q = (id: string, variants: number, turns?: { user: string; expect?: 'clarify' }[]): Question =>
    ({ id, variants: Array.from({ length: variants }, (_, i) => ({ style: 'colloquial', text: `${id}-${i}` })), ...(turns && { turns }) }) as unknown as Question;
  const questions = [q('a', 1), q('b', 0), q('s', 0, [{ user: '办证', expect: 'clarify' }, { user: '临时的' }, { user: '多久' }])];
  const targets = [
    { id: 'fast', name: 'F', limits: { concurrency: 2, timeoutMs: 1000, retries: 0 } },
    { id: 'limited', name: 'L', limits: { concurrency: 4, perMinute: 30, timeoutMs: 1000, retries: 0 } },
  ];
  const scenario = { maxTurns: 4 } as never;

  it('counts cases, messages, judge and simulator calls, tokens, cost and each target’s time by hand', () => {
    const plan = estimateCostPlan({
      questions,
      targets,
      repeat: 2,
      scenarios: [scenario],
      citizens: ['rule', 'llm'],
      probes: 0,
      llmJudge: 'every',
      promptTokens: (x) => (x.id === 's' ? 2000 : 1000),
      history: { model: null, replyMs: new Map([['fast', 500]]) },
      pricing: { inputPerMillion: 2, outputPerMillion: 6 },
    });
    // Per target: a (2 phrasings) + b (1) + s (1 script) = 4 cases × 2 repeats, plus 2 citizens × 2 repeats of the scenario.
    expect(plan.cases).toBe((8 + 4) * 2);
    expect(plan.conversations).toBe((2 + 4) * 2);
    // Messages: 3 singles + 3 script turns = 6, × 2 repeats = 12; scenarios 4 × 4 = 16; per target 28.
    expect(plan.messages).toBe(28 * 2);
    // Judged turns: 3 singles + the script's clarify and last turn = 5, × 2 repeats; scenarios are scored offline.
    expect(plan.judgeCalls).toBe(10 * 2);
    expect(plan.simulatorCalls).toBe(3 * 2 * 2);
    expect(plan.tokens).toEqual({ prompt: (3 * 1000 + 2 * 2000) * 2 * 2, completion: 150 * 20, basis: 'estimate' });
    expect(plan.cost!.value).toBeCloseTo((28_000 * 2 + 3000 * 6) / 1e6);
    const [fast, limited] = plan.targets;
    expect(fast).toMatchObject({ replyMs: 500, replyBasis: 'history', seconds: (28 * 0.5) / 2 });
    // 28 messages at 30 a minute take 56 s, longer than 28 × 3 s over 4 at once (21 s).
    expect(limited).toMatchObject({ replyMs: 3000, replyBasis: 'assumed', seconds: 56 });
    expect(plan.seconds).toBe(56);
  });

  it('takes tokens per call from the model’s history once it has enough, and asks nothing of an offline judge', () => {
    const base = { questions, targets, repeat: 1, scenarios: [], citizens: [], probes: 0, promptTokens: () => 1000 };
    const history = { model: { calls: 40, promptTokens: 40 * 3000, completionTokens: 40 * 200 }, replyMs: new Map() };
    const plan = estimateCostPlan({ ...base, llmJudge: 'abstentions', history });
    expect(plan).toMatchObject({ judgeCalls: 10, judgeCallsBound: 'at most', tokens: { prompt: 30_000, completion: 2000, basis: 'history' }, cost: null });
    const few = estimateCostPlan({ ...base, llmJudge: 'every', history: { ...history, model: { calls: 5, promptTokens: 5, completionTokens: 5 } } });
    expect(few.tokens?.basis).toBe('estimate');
    expect(estimateCostPlan({ ...base, llmJudge: 'none', history })).toMatchObject({ judgeCalls: 0, tokens: null, cost: null });
    // Probes: one message each; the LLM reads at most every reply.
    const probed = estimateCostPlan({ ...base, probes: 6, llmJudge: 'every', history });
    expect(probed).toMatchObject({ cases: (4 + 6) * 2, messages: (6 + 6) * 2, judgeCalls: (5 + 6) * 2, judgeCallsBound: 'at most' });
  });

  it('counts a CJK character as a token and four others as one', () => {
    expect(roughTokens('临时居民身份证')).toBe(7);
    expect(roughTokens('abcdefgh')).toBe(2);
    expect(roughTokens('办理，ok?')).toBe(3 + 1);
  });
});

const TARGETS = `
personas:
  steady: { description: steady, keyPointRate: 1, latency: { medianMs: 5, jitterMs: 0 } }
targets:
  - { id: sim-a, name: 模拟·甲市, region: east, simulated: true, adapter: { type: simulated, persona: steady }, limits: { concurrency: 1, timeoutMs: 2000, retries: 0 } }
`;

describe('--max-calls on a run judged by an LLM', () => {
  let llm: OpenAiTestServer;
  beforeAll(async () => {
    llm = await startOpenAiServer({ json: modelOutput({ predictedIntent: 'none', intentRecognized: false, keyPointsFound: [], verdict: 'no-answer' }) });
  });
  afterAll(() => llm.close());

  it('stops resumably at the cap, stops again at once when resumed under it, and finishes without it', async () => {
    using dir = tempDir({ 'targets.yaml': TARGETS });
    const spec: RunSpec = { banks: [BANK_DIR], targets: dir.path('targets.yaml'), target: ['sim-a'], judge: 'llm', repeat: 1 };
    const settings = { llm: { baseURL: llm.baseURL, model: 'plan-model' }, env: {} };
    const store = openStore(dir.path('g.db'));
    try {
      const plan = planRun(spec, settings);
      const before = planCost(plan, store, settings);
      expect(before.targets[0]).toMatchObject({ replyBasis: 'assumed' });
      expect(before.judgeCalls).toBeGreaterThan(5);

      const first = await openRunSession(store, plan, { ...settings, budget: { maxCalls: 5 } });
      const stopped = await first.run(() => {});
      await first.close();
      expect(stopped.status).toBe('interrupted');
      expect(first.stoppedBy).toMatch(/^--max-calls 5 reached/);
      const spent = store.judgeUsage(first.runId).reduce((n, u) => n + u.calls, 0);
      // One case in flight (concurrency 1) may finish after the cap is seen.
      expect(spent).toBeGreaterThanOrEqual(5);
      expect(spent).toBeLessThanOrEqual(6);
      const stored = store.countCases(first.runId);
      expect(stored).toBeLessThan(plan.planned);

      const again = await openRequested(store, { resume: first.runId }, { ...settings, budget: { maxCalls: 5 } });
      expect((await again.run(() => {})).status).toBe('interrupted');
      await again.close();
      expect(again.stoppedBy).toMatch(/^--max-calls 5 reached/);
      expect(store.countCases(first.runId)).toBe(stored);

      const last = await openRequested(store, { resume: first.runId }, settings);
      expect(await last.run(() => {})).toMatchObject({ status: 'finished', done: plan.planned });
      await last.close();
      expect(last.stoppedBy).toBeNull();

      // The run is history now: the plan reads the target's reply time from it.
      const after = planCost(plan, store, settings);
      expect(after.targets[0]!.replyBasis).toBe('history');
      expect(after.targets[0]!.replyMs).toBeLessThan(1000);
    } finally {
      store.close();
    }
  });
});

describe('govbench run --plan', () => {
  it('prints the plan as JSON, asks nothing and writes no database; --max-cost without prices is refused', async () => {
    using dir = tempDir({ 'targets.yaml': TARGETS, 'c.yaml': `llm: { baseURL: "http://127.0.0.1:9/v1", model: m }\n` });
    const db = dir.path('g.db');
    const common = ['--bank', BANK_DIR, '--targets', dir.path('targets.yaml'), '--db', db];
    const planned = await runCli(['run', '--plan', '--json', '--judge', 'llm', '--config', dir.path('c.yaml'), '--repeat', '2', ...common]);
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as { cases: number; judgeCalls: number; tokens: { basis: string }; targets: { id: string }[] };
    expect(plan.targets.map((t) => t.id)).toEqual(['sim-a']);
    expect(plan.cases).toBe(planRun({ banks: [BANK_DIR], targets: dir.path('targets.yaml'), target: [], judge: 'llm', repeat: 2 }).planned);
    expect(plan.judgeCalls).toBeGreaterThan(0);
    expect(plan.tokens.basis).toBe('estimate');
    expect(existsSync(db)).toBe(false);

    const text = await runCli(['run', '--plan', ...common]);
    expect(text.stdout).toMatch(/^cases: \d+/);
    expect(text.stdout).toContain('judge calls: 0 (the matcher judges offline)');
    expect(text.stdout).toMatch(/sim-a\s+\d+\s+1\s+—\s+3\.0 s\*/);

    const refused = await runCli(['run', '--max-cost', '5', '--judge', 'llm', '--config', dir.path('c.yaml'), ...common]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--max-cost needs the model’s prices');
    expect(existsSync(db)).toBe(false);
  });
});
