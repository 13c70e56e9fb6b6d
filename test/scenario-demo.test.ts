import { describe, expect, it } from 'vitest';
import { loadTargets, selectTargets } from '../src/config/load-targets.js';
import { startFleetFor } from '../src/demo/start-fleet.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { runBenchmark } from '../src/runner/run.js';
import { createMemoryStore } from '../src/store/index.js';
import { echoJudge, tempDir } from './helpers.js';
import { bankWithScenarios, scriptedCitizen } from './helpers-scenarios.js';

describe('the demo fleet in scenario conversations', () => {
  it('separates the province assistant v2, which clarifies and remembers, from v1, which guesses and asks again', async () => {
    using dir = tempDir();
    const base = bankWithScenarios(dir.dir, 12, 6);
    const reference = {
      ...base.scenarios[0]!.reference,
      answer: '不收费，带身份证到渔政站办理。',
      keyPoints: [
        { id: 'free', text: '不收费', match: ['不收费'] },
        { id: 'id', text: '带身份证', match: ['身份证'] },
        { id: 'office', text: '到渔政站办理', match: ['渔政站'] },
      ],
      minKeyPoints: 3,
    };
    // The fleet knows a scenario by its opening: each has its own.
    const banks = { ...base, questions: [], scenarios: base.scenarios.map((s, i) => ({ ...s, opening: `${s.opening}，第${i + 1}条船`, reference })) };
    const registry = loadTargets('targets/demo.yaml', { env: {} });
    const fleet = await startFleetFor(selectTargets(registry, ['sim-province-v1', 'sim-province-v2']), registry, banks);
    try {
      const store = createMemoryStore();
      const { runId } = await runBenchmark({ store, banks, targets: fleet.targets, judges: [echoJudge], judgeMode: 'matcher', citizens: [scriptedCitizen()] });
      const model = loadReportModel(store, runId);
      const [v1, v2] = ['sim-province-v1', 'sim-province-v2'].map((id) => model.targets.find((t) => t.id === id)!.conversations!.summary);
      expect(v1!.scored).toBe(12);
      expect(v2!.scored).toBe(12);
      expect(v2!.goalShare).toBe(1);
      expect(v2!.reasked).toBeLessThanOrEqual(1);
      expect(v1!.reasked).toBeGreaterThanOrEqual(6);
      expect(v2!.meanTurnsToGoal!).toBeLessThan(v1!.meanTurnsToGoal!);
      // v2 mostly opens with a clarifying question that names the fact it needs; v1 mostly guesses.
      const clarified = (targetId: string) =>
        banks.scenarios.filter((s) => store.turnsOf(runId, { targetId, questionId: s.id, variant: 0, repeat: 1 })[0]!.reply.includes('船只长度')).length;
      expect(clarified('sim-province-v2')).toBeGreaterThanOrEqual(8);
      expect(clarified('sim-province-v1')).toBeLessThanOrEqual(5);
    } finally {
      await fleet.close();
    }
  });
});
