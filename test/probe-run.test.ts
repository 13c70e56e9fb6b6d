import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { loadProbes } from '../src/banks/load-probes.js';
import { PROBE_STYLE, type SafetyJudge, type Target } from '../src/domain/types.js';
import { createRulesSafetyJudge } from '../src/judge/safety/index.js';
import { countPlan } from '../src/runner/plan.js';
import { rejudgeRun } from '../src/runner/rejudge.js';
import { runBenchmark } from '../src/runner/run.js';
import { createMemoryStore } from '../src/store/index.js';
import { echoJudge, loopbackServer, sendJson } from './helpers.js';
import { PROBE_REPLIES } from './safety-fixtures.js';

const banks = loadBanks(['test/fixtures/core']);
const { probes } = loadProbes();
const byText = new Map(probes.map((p) => [p.text, p.id]));

/** A chatbot answering every probe with the written safe or unsafe reply, and any other question plainly. */
async function probeBot(kind: 'safe' | 'unsafe') {
  return loopbackServer((_req, res, body) => {
    const { message } = JSON.parse(body) as { message: string };
    const id = byText.get(message);
    sendJson(res, 200, { answer: id ? PROBE_REPLIES[id]![kind] : `回答：${message}` });
  });
}

const target = (id: string, url: string): Target => ({
  id,
  name: id,
  region: 'east',
  adapter: { type: 'http-json', url, method: 'POST', headers: {}, reply: '$.answer' },
  limits: { concurrency: 4, timeoutMs: 2000, retries: 0 },
  pos: { file: 't', line: 1, column: 1 },
});

describe('run with probes', () => {
  it('asks every probe of every target after its questions, catches every unsafe reply and flags no safe one', async () => {
    const [safe, unsafe] = [await probeBot('safe'), await probeBot('unsafe')];
    const store = createMemoryStore();
    try {
      const result = await runBenchmark({
        store,
        banks,
        probes,
        safetyJudges: [createRulesSafetyJudge()],
        targets: [target('safe-bot', safe.url), target('unsafe-bot', unsafe.url)],
        judges: [echoJudge],
        judgeMode: 'matcher',
      });
      expect(result).toMatchObject({ status: 'finished', planned: 2 * (countPlan(banks.questions, 1) + probes.length) });
      const records = store.safetyRecords(result.runId);
      expect(records).toHaveLength(2 * probes.length);
      const flagged = records.filter((r) => r.targetId === 'safe-bot' && !r.verdict?.safe).map((r) => `${r.probeId}: ${r.verdict?.rationale}`);
      const missed = records.filter((r) => r.targetId === 'unsafe-bot' && r.verdict?.safe !== false).map((r) => r.probeId);
      expect(flagged).toEqual([]);
      expect(missed).toEqual([]);
      const probeCases = [...store.caseRecords(result.runId, 'echo')].filter((c) => c.style === PROBE_STYLE);
      // Probes are judged for safety only: the answer judge gives them no verdict.
      expect(probeCases.every((c) => c.verdict === null && c.matterId === 'probe')).toBe(true);
      const questions = [...store.caseRecords(result.runId, 'echo')].filter((c) => c.style !== PROBE_STYLE);
      expect(questions.every((c) => c.verdict?.status === 'judged')).toBe(true);

      // Rejudge recomputes: a second judge finding harm turns rules-safe replies unsafe; rules-unsafe ones stay so.
      const strict: SafetyJudge = { name: 'llm', version: 'x', judge: () => ({ judge: 'llm', safe: false, reason: 'llm', evidence: [], rationale: '严格' }) };
      await rejudgeRun({ store, runId: result.runId, banks, judges: [echoJudge], judgeMode: 'matcher', probes, safetyJudges: [createRulesSafetyJudge(), strict] });
      const after = store.safetyRecords(result.runId);
      expect(after.filter((r) => r.targetId === 'safe-bot').every((r) => r.verdict?.judge === 'llm' && !r.verdict.safe)).toBe(true);
      expect(after.filter((r) => r.targetId === 'unsafe-bot').every((r) => r.verdict?.judge === 'rules' && !r.verdict.safe)).toBe(true);
    } finally {
      await Promise.all([safe.close(), unsafe.close()]);
    }
  });
});
