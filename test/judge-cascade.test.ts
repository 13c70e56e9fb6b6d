/**
 * Abstention end to end: `--judge cascade` asks a local OpenAI-compatible LLM judge only where the
 * matcher is unsure; `--judge matcher` keeps unsure cases out of the scores and in the review queue
 * until a reviewer decides.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import type { JudgeInput, Target } from '../src/domain/types.js';
import { createCascadeJudge } from '../src/judge/cascade.js';
import { createLlmJudge } from '../src/judge/llm/index.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { renderHtml } from '../src/reports/html/index.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { newRunId, runBenchmark } from '../src/runner/run.js';
import { recordReview } from '../src/judge/review-decision.js';
import { openStore } from '../src/store/index.js';
import { startOpenAiServer, type OpenAiTestServer } from './helpers-openai-server.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';
import { modelOutput } from './llm-judge-fixtures.js';

const banks = loadBanks(['test/fixtures/matcher-claims']);
const question = banks.questions.find((q) => q.id === 'tp-materials-01')!;
const SURE = '请携带身份证和购车发票，并提供交强险保险凭证。';
// Names a neighbouring thing (机动车号牌) and never the asked matter: the matcher abstains.
const UNSURE = '申领机动车号牌需要提交机动车登记证书、行驶证和车主身份证，还要提供购车发票。号牌由车管所当场核发，安装后即可上路。';
const LLM_SAYS_WRONG_MATTER = modelOutput({
  intentReasoning: 'it describes the permanent plate, not the temporary one',
  predictedIntent: 'none',
  intentRecognized: false,
  keyPointsFound: [],
  reasoning: 'about another matter',
  verdict: 'incorrect',
});

let llmServer: OpenAiTestServer;
beforeAll(async () => {
  llmServer = await startOpenAiServer();
});
afterAll(() => llmServer.close());
beforeEach(() => {
  llmServer.requests.length = 0;
});

function cascade() {
  const llm = createLlmJudge({ banks, endpoint: { baseURL: llmServer.baseURL, model: 'judge-test' }, retries: 0, retryDelayMs: 0, timeoutMs: 5000 });
  return createCascadeJudge(createMatcherJudge(banks), llm);
}
const input = (answer: string): JudgeInput => ({ question, turn: 0, answer });

describe('--judge cascade', () => {
  it('keeps the matcher’s verdict where it is sure, without asking the LLM', async () => {
    const judge = cascade();
    const v = await judge.judge(input(SURE));
    expect(v).toMatchObject({ status: 'judged', judge: 'cascade', verdict: 'correct' });
    expect(llmServer.requests).toHaveLength(0);
    expect(judge.escalated).toBe(0);
  });

  it('asks the LLM where the matcher abstains, and its verdict counts', async () => {
    llmServer.push({ json: LLM_SAYS_WRONG_MATTER });
    const judge = cascade();
    const v = await judge.judge(input(UNSURE));
    expect(llmServer.requests).toHaveLength(1);
    expect(judge.escalated).toBe(1);
    expect(v).toMatchObject({ status: 'judged', judge: 'cascade', verdict: 'incorrect', intentRecognized: false });
    if (v.status !== 'judged') throw new Error('unjudged');
    expect(v.uncertain).toBeUndefined();
    expect(v.rationale).toMatch(/^llm, as the matcher was unsure \(names .*机动车号牌/);
  });

  it('leaves the matcher’s abstention standing when the LLM fails: the case waits for a reviewer', async () => {
    llmServer.push({ status: 500, message: 'overloaded' });
    const v = await cascade().judge(input(UNSURE));
    expect(v.status).toBe('judged');
    if (v.status !== 'judged') throw new Error('unjudged');
    expect(v.uncertain).toBeDefined();
    expect(v.rationale).toMatch(/the LLM judge failed/);
  });
});

describe('--judge matcher with abstentions', () => {
  it('keeps unsure cases out of the scores and in the review queue until a reviewer decides', async () => {
    const bot = await loopbackServer((_req, res, body) => {
      const message = String((JSON.parse(body) as { q: string }).q);
      // The validity question gets an old rule's figure: outdated, counted per city.
      sendJson(res, 200, { a: message.includes('材料') || message.includes('啥') ? UNSURE : '有效期30日。' });
    });
    using dir = tempDir();
    const store = openStore(dir.path('a.db'));
    try {
      const target: Target = {
        id: 'city',
        name: '甲市',
        region: 'east',
        adapter: { type: 'http-json', url: bot.url, method: 'POST', headers: {}, body: { q: '{{message}}' }, reply: '$.a' },
        limits: { concurrency: 2, timeoutMs: 2000, retries: 0 },
        pos: { file: 't', line: 1, column: 1 },
      };
      const runId = newRunId();
      const only = { ...banks, questions: banks.questions.filter((q) => q.id === 'tp-materials-01' || q.id === 'tp-validity-01') };
      const result = await runBenchmark({ store, banks: only, targets: [target], judges: [createMatcherJudge(banks)], judgeMode: 'matcher', runId });
      expect(result.status).toBe('finished');

      const before = loadReportModel(store, runId).targets[0]!;
      // tp-materials-01 is asked twice (its text and one variant), both answered UNSURE.
      expect(before.pending).toBe(2);
      expect(before.unjudged).toBe(2);
      expect(before.verdicts).toMatchObject({ correct: 0, incorrect: 1 });
      expect(before.outdated).toBe(1);
      expect(before.scores.accuracy).toBe(0);
      const md = renderMarkdown(loadReportModel(store, runId));
      expect(md).toContain('**2 cases wait for review**');
      expect(md).toContain('**Outdated answers** (a rule no longer in force stated as current): 甲市 1.');
      const html = renderHtml(loadReportModel(store, runId), { worstAnswers: [] });
      expect(html).toContain('<strong>2 cases wait for review</strong>');
      expect(html).toContain(`<code>govbench review ${runId}</code>`);

      const queue = store.reviewQueue(runId);
      expect(queue).toHaveLength(2);
      expect(queue.every((q) => q.llm === null && q.uncertain !== null && q.matcher.judge === 'matcher')).toBe(true);
      expect(() => recordReview(store, queue[0]!, { accept: 'llm' })).toThrow(/no LLM verdict/);
      recordReview(store, queue[0]!, { verdict: 'incorrect', intentRecognized: false, note: 'the permanent plate' }, 'tester');
      recordReview(store, queue[1]!, { accept: 'matcher' }, 'tester');

      const after = loadReportModel(store, runId).targets[0]!;
      expect(after.pending).toBe(0);
      expect(after.unjudged).toBe(0);
      expect(after.verdicts).toMatchObject({ correct: 1, incorrect: 2 });
      expect(store.reviewQueue(runId)).toEqual([]);
      const accepted = store.verdictsOf(queue[1]!.caseId).find((v) => v.judge === 'review');
      // An accepted abstention is a decision: the stored review verdict is no longer unsure.
      expect(accepted).toMatchObject({ status: 'judged', verdict: 'correct' });
      expect(accepted && 'uncertain' in accepted).toBe(false);
    } finally {
      store.close();
      await bot.close();
    }
  });
});
