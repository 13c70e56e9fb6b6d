import { describe, expect, it } from 'vitest';
import type { StoredConversation } from '../src/domain/types.js';
import { rejudgeRun } from '../src/runner/rejudge.js';
import { runBenchmark } from '../src/runner/run.js';
import { createMemoryStore, openStore } from '../src/store/index.js';
import { echoJudge, tempDir } from './helpers.js';
import { bankWithScenarios, botTarget, clarifyingBot, scriptedCitizen } from './helpers-scenarios.js';

const byTarget = (cs: StoredConversation[], id: string) => cs.filter((c) => c.targetId === id);

describe('scenarios played in a run', () => {
  it('plays each scenario as one conversation per target and citizen, one session across turns, scored apart from questions', async () => {
    using dir = tempDir();
    const banks = bankWithScenarios(dir.dir, 3);
    const [good, forgetful] = [await clarifyingBot('rememberer'), await clarifyingBot('re-asker')];
    const store = openStore(dir.path('g.db'));
    try {
      const result = await runBenchmark({
        store,
        banks,
        targets: [botTarget('good', `${good.server.url}/chat`, 3), botTarget('reasker', `${forgetful.server.url}/chat`, 3)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        citizens: [scriptedCitizen('rule'), scriptedCitizen('llm')],
      });
      // 1 question + 3 scenarios × 2 citizens, per target.
      expect(result).toMatchObject({ status: 'finished', planned: 14, done: 14 });
      const played = store.conversations(result.runId);
      expect(played).toHaveLength(12);
      for (const c of byTarget(played, 'good')) {
        expect(c).toMatchObject({ ended: 'goal', available: true, turns: 2 });
        expect(c.score).toMatchObject({ goalReached: true, turnsToGoal: 2, reasked: [], broken: null });
      }
      for (const c of byTarget(played, 'reasker')) {
        expect(c).toMatchObject({ ended: 'goal', available: true, turns: 3 });
        expect(c.score).toMatchObject({ goalReached: true, turnsToGoal: 3, reasked: ['船只长度'], broken: null });
      }
      // One session per conversation: the bot saw each conversation's turns under one id.
      expect([...good.sessions.values()].filter((s) => s.turns === 2)).toHaveLength(6);
      expect(new Set(played.map((c) => `${c.targetId} ${c.scenarioId} ${c.style}`)).size).toBe(12);
      expect(played.map((c) => c.style).sort()).toEqual([...Array(6).fill('scenario:llm'), ...Array(6).fill('scenario:rule')]);
      const turns = store.turnsOf(result.runId, { targetId: 'reasker', questionId: 'bp-scn-2', variant: 0, repeat: 1 });
      expect(turns.map((t) => t.user)).toEqual(['我想办船只许可', '船只长度是6米', '船只长度是6米']);
      expect(turns.at(-1)!.reply).toBe('6米的船只办理许可不收费。');
      // Conversations carry no verdict and stay out of the headline.
      const records = [...store.caseRecords(result.runId, 'echo')];
      expect(records.filter((r) => r.style.startsWith('scenario:')).every((r) => r.verdict === null)).toBe(true);
      expect(records.filter((r) => r.style === 'canonical').every((r) => r.verdict?.status === 'judged')).toBe(true);
    } finally {
      store.close();
      await good.server.close();
      await forgetful.server.close();
    }
  });

  it('holds a target to its concurrency: with 1, never two conversations at once; with 3, side by side', async () => {
    using dir = tempDir();
    const banks = bankWithScenarios(dir.dir, 4);
    const [one, three] = [await clarifyingBot('re-asker', { delayMs: 15 }), await clarifyingBot('re-asker', { delayMs: 15 })];
    try {
      const result = await runBenchmark({
        store: createMemoryStore(),
        banks: { ...banks, questions: [] },
        targets: [botTarget('one', `${one.server.url}/chat`, 1), botTarget('three', `${three.server.url}/chat`, 3)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        citizens: [scriptedCitizen()],
      });
      expect(result.done).toBe(8);
      const overlaps = (sessions: typeof one.sessions) => {
        const spans = [...sessions.values()].sort((a, b) => a.from - b.from);
        return spans.slice(1).filter((s, i) => s.from < spans[i]!.to).length;
      };
      expect(one.sessions.size).toBe(4);
      expect(overlaps(one.sessions)).toBe(0);
      expect(overlaps(three.sessions)).toBeGreaterThan(0);
    } finally {
      await one.server.close();
      await three.server.close();
    }
  });

  it('fails the run on a citizen that throws, keeping the turns so far, and a resume plays that conversation again', async () => {
    using dir = tempDir();
    const banks = { ...bankWithScenarios(dir.dir, 1), questions: [] };
    const bot = await clarifyingBot('rememberer');
    const store = createMemoryStore();
    try {
      const targets = [botTarget('good', `${bot.server.url}/chat`, 1)];
      const failing = runBenchmark({ store, banks, targets, judges: [echoJudge], judgeMode: 'matcher', citizens: [scriptedCitizen('rule', { failOn: '船只长度' })], runId: 'r1' });
      await expect(failing).rejects.toThrow('citizen exploded');
      const turns = store.turnsOf('r1', { targetId: 'good', questionId: 'bp-scn-1', variant: 0, repeat: 1 });
      expect(turns.map((t) => [t.user, t.ok, t.errorKind ?? null])).toEqual([['我想办船只许可', true, null], ['', false, 'bug']]);
      expect(store.conversations('r1')).toEqual([]);
      const resumed = await runBenchmark({ store, banks, targets, judges: [echoJudge], judgeMode: 'matcher', citizens: [scriptedCitizen()], resume: 'r1' });
      expect(resumed.status).toBe('finished');
      expect(store.conversations('r1').map((c) => c.ended)).toEqual(['goal']);
    } finally {
      await bot.server.close();
    }
  });

  it('rejudge recomputes conversation scores from the stored turns and the current scenario', async () => {
    using dir = tempDir();
    const banks = bankWithScenarios(dir.dir, 2);
    const bot = await clarifyingBot('rememberer');
    const store = createMemoryStore();
    try {
      const { runId } = await runBenchmark({ store, banks, targets: [botTarget('good', `${bot.server.url}/chat`, 2)], judges: [echoJudge], judgeMode: 'matcher', citizens: [scriptedCitizen()] });
      expect(store.conversations(runId).every((c) => c.score.goalReached)).toBe(true);
      // The reference now wants a key point the bot never said: the stored conversations no longer reach the goal.
      const reference = { ...banks.scenarios[0]!.reference, keyPoints: [{ id: 'office', text: '到渔政站办理', match: ['渔政站'] }], minKeyPoints: 1 };
      const changed = { ...banks, scenarios: banks.scenarios.map((s) => ({ ...s, reference })) };
      const before = bot.sessions.size;
      const result = await rejudgeRun({ store, runId, banks: changed, judges: [echoJudge], judgeMode: 'matcher' });
      expect(result).toEqual({ cases: 3, missing: [] });
      expect(bot.sessions.size).toBe(before);
      expect(store.conversations(runId).map((c) => c.score)).toEqual(
        Array(2).fill(expect.objectContaining({ goalReached: false, turnsToGoal: null, keyPointsHit: [] })),
      );
      expect(store.conversations(runId).map((c) => c.ended)).toEqual(['goal', 'goal']);
    } finally {
      await bot.server.close();
    }
  });
});
