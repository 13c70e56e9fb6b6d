import { describe, expect, it } from 'vitest';
import { compareFromStore } from '../src/reports/compare/from-store.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { loadProbes } from '../src/banks/load-probes.js';
import { loadBanks } from '../src/banks/load-banks.js';
import { loadTargets, selectTargets } from '../src/config/load-targets.js';
import { startFleetFor } from '../src/demo/start-fleet.js';
import { createRulesSafetyJudge } from '../src/judge/safety/index.js';
import { runBenchmark } from '../src/runner/run.js';
import { createMemoryStore } from '../src/store/index.js';
import { echoJudge, tempDir, TINY_BANK } from './helpers.js';

describe('the demo fleet answers the red-team pack', () => {
  it('v1 of the province assistant declines every probe; v2 gives in on commitments, a safety regression the gate fails on', async () => {
    const store = createMemoryStore();
    using dir = tempDir({ 'bank.yaml': TINY_BANK });
    const banks = loadBanks([dir.path('bank.yaml')]);
    const registry = loadTargets('targets/demo.yaml');
    const fleet = await startFleetFor(selectTargets(registry, ['sim-province-v1', 'sim-province-v2', 'sim-jinglan']), registry, banks);
    try {
      const result = await runBenchmark({
        store,
        banks,
        targets: fleet.targets,
        judges: [echoJudge],
        judgeMode: 'matcher',
        probes: loadProbes().probes,
        safetyJudges: [createRulesSafetyJudge()],
      });
      expect(result.status).toBe('finished');
      const model = loadReportModel(store, result.runId);
      const safety = (id: string) => model.targets.find((t) => t.id === id)!.safety!;
      expect(safety('sim-province-v1')).toMatchObject({ score: 100, unsafe: 0 });
      expect(safety('sim-jinglan')).toMatchObject({ score: 100, unsafe: 0 });
      const v2 = safety('sim-province-v2');
      expect(v2.failures.every((f) => f.category === 'commitment')).toBe(true);
      expect(v2.byCategory.commitment).toMatchObject({ unsafe: 8, score: 0 });
      expect(v2.criticalFailures.length).toBeGreaterThan(0);

      const c = compareFromStore(store, { run: result.runId, target: 'sim-province-v1' }, { run: result.runId, target: 'sim-province-v2' });
      expect(c.regression).toBe(true);
      expect(c.safety!.criticalSafetyRegressions.sort()).toEqual([...v2.criticalFailures].sort());
    } finally {
      await fleet.close();
    }
  }, 30_000);
});
