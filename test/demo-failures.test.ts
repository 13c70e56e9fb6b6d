/**
 * The demo's personas fail in designed ways (issue 15): the pain-point catalogue of a small demo run
 * must name each persona's designed failure as its top kind. The fleet answers as `npm start`'s does
 * (targets/demo.yaml, same seed), without its latencies, over the fixture banks; each persona serves
 * several targets, whose draws differ, so the counts rest on fifty cases or more each.
 */
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { loadTargets, type TargetRegistry } from '../src/config/load-targets.js';
import { startFleetFor } from '../src/demo/start-fleet.js';
import type { FailureKind, Target } from '../src/domain/types.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import { runBenchmark } from '../src/runner/run.js';
import { scoreRun } from '../src/scoring/score-run.js';
import { createMemoryStore } from '../src/store/index.js';

/** Each persona's designed failure, as its description in targets/demo.yaml says. */
const DESIGNED: Record<string, FailureKind> = {
  'keyword-bot': 'fallback',
  terse: 'missing-key-points',
  confused: 'wrong-matter',
  outdated: 'wrong-fact',
  deflector: 'declined-in-scope',
  flaky: 'http-status',
};
/** Targets per persona; the flaky one's faults are rarer than the others' designed failures, so it gets more. */
const copiesOf = (persona: string): number => (persona === 'flaky' ? 8 : 3);

const demo = loadTargets('targets/demo.yaml', { env: {} });
const personaOf = (t: Target): string => (t.adapter?.type === 'simulated' ? t.adapter.persona : '');

function fleetRegistry(): TargetRegistry {
  const firsts = Object.keys(DESIGNED).map((p) => demo.targets.find((t) => personaOf(t) === p)!);
  return {
    ...demo,
    personas: Object.fromEntries(Object.entries(demo.personas).map(([id, p]) => [id, { ...p, latency: { medianMs: 0, jitterMs: 0 } }])),
    targets: firsts.flatMap(({ role: _role, ...t }) =>
      Array.from({ length: copiesOf(personaOf(t)) }, (_, i): Target => ({
        ...t,
        id: `${t.id}-${i}`,
        // A stall lasts until the client gives up: short for a stalling persona, and room for a busy machine elsewhere.
        limits: { ...t.limits, timeoutMs: (demo.personas[personaOf(t)]?.faults.timeout ?? 0) > 0 ? 500 : 20_000 },
      })),
    ),
  };
}

describe('the demo personas’ designed failures', () => {
  it('are each persona’s top failure kind in the catalogue', async () => {
    const banks = loadBanks(['test/fixtures/demo-bank']);
    const registry = fleetRegistry();
    const fleet = await startFleetFor(registry.targets, registry, banks);
    const store = createMemoryStore();
    try {
      const { runId } = await runBenchmark({ store, banks, targets: fleet.targets, judges: [createMatcherJudge(banks)], judgeMode: 'matcher', concurrency: 32 });
      const run = { id: runId, label: null, banksHash: '', judge: 'matcher' as const, startedAt: '', finishedAt: null, status: 'finished' as const };
      const model = scoreRun({ run, targets: registry.targets, cases: store.caseRecords(runId, 'matcher'), config: { bootstrap: { iterations: 0 } } });
      const byPersona: Record<string, Partial<Record<FailureKind, number>>> = {};
      for (const t of model.targets) {
        const counts = (byPersona[personaOf(registry.targets.find((x) => x.id === t.id)!)] ??= {});
        for (const [kind, n] of Object.entries(t.failures) as [FailureKind, number][]) counts[kind] = (counts[kind] ?? 0) + n;
      }
      const top = Object.fromEntries(
        Object.entries(byPersona).map(([persona, counts]) => [persona, Object.entries(counts).sort((a, b) => b[1] - a[1])[0]?.[0]]),
      );
      expect(top, JSON.stringify(byPersona)).toEqual(DESIGNED);
    } finally {
      await fleet.close();
    }
  }, 60_000);
});
