import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { recordUsageIn } from '../src/runner/judges.js';
import type { Target } from '../src/domain/types.js';
import { createLlmJudge } from '../src/judge/llm/index.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { newRunId, runBenchmark } from '../src/runner/run.js';
import { recordReview } from '../src/judge/review-decision.js';
import { openStore } from '../src/store/index.js';
import { startOpenAiServer } from './helpers-openai-server.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);

describe('--judge both', () => {
  it('queues every disagreement for review; a decision overrides both judges in reports; usage is counted', async () => {
    // The chatbot only ever falls back; the matcher calls that no-answer, the scripted LLM "incorrect".
    const bot = await loopbackServer((_req, res) => sendJson(res, 200, { answer: '抱歉，我没有理解您的问题，请换个说法。' }));
    const llmServer = await startOpenAiServer({
      json: {
        intentReasoning: 'the reply does not address the question',
        predictedIntent: 'none',
        intentRecognized: false,
        clarifyingQuestion: false,
        keyPointsFound: [],
        factErrors: [],
        contradictionsFound: [],
        reasoning: 'it gives no information',
        verdict: 'incorrect',
      },
    });
    using dir = tempDir();
    const db = dir.path('g.db');
    const store = openStore(db);
    try {
      const runId = newRunId();
      const llm = createLlmJudge({ banks, endpoint: { baseURL: llmServer.baseURL, model: 'judge-test' }, cache: store.judgeCache, onUsage: (u, cached, failed) => recordUsageIn(store, runId)('llm', u, cached, failed) });
      const target: Target = {
        id: 'a',
        name: '甲市',
        region: 'east',
        adapter: { type: 'http-json', url: bot.url, method: 'POST', headers: {}, reply: '$.answer' },
        limits: { concurrency: 2, timeoutMs: 2000, retries: 0 },
        pos: { file: 't', line: 1, column: 1 },
      };
      const result = await runBenchmark({ store, banks, targets: [target], judges: [llm, createMatcherJudge(banks)], judgeMode: 'both', runId });
      expect(result.status).toBe('finished');

      const queue = store.reviewQueue(runId);
      // Every case's last turn, plus the script's clarify turn, was judged differently.
      expect(queue.length).toBe(result.done + 1);
      expect(queue.every((q) => q.matcher.verdict === 'no-answer' && q.llm?.verdict === 'incorrect')).toBe(true);
      const usage = store.judgeUsage(runId);
      expect(usage).toEqual([expect.objectContaining({ judge: 'llm', calls: queue.length, failures: 0 })]);
      expect(usage[0]!.promptTokens).toBeGreaterThan(0);

      // The LLM's verdict counts until a reviewer decides.
      const before = loadReportModel(store, runId).targets[0]!.verdicts;
      expect(before.incorrect).toBe(result.done);
      const first = queue.find((q) => q.questionId === 'fl-materials-01')!;
      recordReview(store, first, { accept: 'matcher', note: 'a fallback is no answer' }, 'tester');
      expect(store.reviewQueue(runId)).toHaveLength(queue.length - 1);
      const after = loadReportModel(store, runId).targets[0]!.verdicts;
      expect(after).toMatchObject({ incorrect: result.done - 1, 'no-answer': 1 });
    } finally {
      store.close();
      await bot.close();
      await llmServer.close();
    }

    // The CLI lists what is left and records a decision by hand.
    const cli = (args: string[]) => spawnSync(process.execPath, [resolve('bin/govbench.js'), 'review', 'latest', '--db', db, ...args], { encoding: 'utf8' });
    const listed = cli([]);
    expect(listed.status).toBe(0);
    const caseId = Number(/case (\d+) turn/.exec(listed.stdout)![1]);
    const decided = cli(['--case', String(caseId), '--verdict', 'no-answer', '--reviewer', 'tester']);
    expect(decided.status).toBe(0);
    expect(decided.stdout).toMatch(new RegExp(`recorded: case ${caseId} turn \\d is no-answer`));
    expect(cli(['--case', String(caseId), '--accept', 'llm']).status).toBe(2);
  });
});
