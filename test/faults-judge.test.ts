/**
 * Issue 7, faults of the LLM judge's endpoint during a run: down, slow, or talking nonsense. The
 * chatbot answers fine; every case must still be stored with its transcript and an `unjudged`
 * verdict that says why, never dropped and never guessed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { caseKey, type Target } from '../src/domain/types.js';
import { createLlmJudge } from '../src/judge/llm/index.js';
import { planFor } from '../src/runner/plan.js';
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';
import { startOpenAiServer, type ReplyScript } from './helpers-openai-server.js';

const banks = loadBanks(['test/fixtures/core']);
/** Generous for every fault but slowness: LangChain's own overhead must not turn garbage into a timeout. */
const TIMEOUT_MS = 5000;
const SLOW_TIMEOUT_MS = 300;
/** Turns the judge sees in one pass over the core bank: one per phrasing, two for the clarify script. */
const JUDGED_TURNS = 5;

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/v1`;
}

/** An endpoint for the judge: the scripted OpenAI-compatible server, a raw page, or nothing at all. */
type Endpoint = { script: ReplyScript } | { page: string } | { down: true };

async function startEndpoint(e: Endpoint): Promise<{ baseURL: string; requests: () => number; close(): Promise<void> }> {
  if ('down' in e) return { baseURL: await closedPortUrl(), requests: () => 0, close: async () => {} };
  if ('page' in e) {
    let n = 0;
    const page = e.page;
    const s = await loopbackServer((_req, res) => {
      n += 1;
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    });
    return { baseURL: `${s.url}/v1`, requests: () => n, close: () => s.close() };
  }
  const s = await startOpenAiServer(e.script);
  return { baseURL: s.baseURL, requests: () => s.requests.length, close: () => s.close() };
}

/**
 * `asked`: the requests the endpoint must have seen per judged turn; absent where a request may give up
 * before it gets there.
 */
const faults: { fault: string; endpoint: Endpoint; reason: RegExp; asked?: number; timeoutMs?: number }[] = [
  { fault: 'endpoint down (connection refused)', endpoint: { down: true }, reason: /request failed: .*Connection error/ },
  {
    fault: 'endpoint slower than timeoutMs',
    endpoint: { script: { json: {}, delayMs: 3000 } },
    reason: new RegExp(`no reply within ${SLOW_TIMEOUT_MS} ms`),
    timeoutMs: SLOW_TIMEOUT_MS,
  },
  { fault: 'model output that is not JSON', endpoint: { script: { text: '我觉得这个回答很好，给满分！' } }, reason: /not valid JSON/, asked: 2 },
  { fault: 'model output that breaks the schema', endpoint: { script: { json: { verdict: 'excellent', score: 11 } } }, reason: /does not match the schema/, asked: 2 },
  { fault: 'an HTML page instead of a completion', endpoint: { page: '<html><body>502 Bad Gateway</body></html>' }, reason: /request failed: \S/, asked: 2 },
];

describe('the LLM judge failing during a run', () => {
  it.each(faults)('$fault: every case is stored, answered and unjudged with the reason', async ({ endpoint, reason, asked, timeoutMs }) => {
    const bot = await loopbackServer((_req, res, body) => sendJson(res, 200, { answer: `回答：${(JSON.parse(body) as { message: string }).message}` }));
    const llm = await startEndpoint(endpoint);
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    const target: Target = {
      id: 'bot',
      name: 'bot',
      region: 'east',
      adapter: { type: 'http-json', url: `${bot.url}/chat`, method: 'POST', headers: {}, reply: '$.answer' },
      limits: { concurrency: 4, timeoutMs: 2000, retries: 0 },
      pos: { file: 't', line: 1, column: 1 },
    };
    try {
      const judge = createLlmJudge({
        banks,
        endpoint: { baseURL: llm.baseURL, model: 'judge-model' },
        cache: store.judgeCache,
        retries: 1,
        retryDelayMs: 10,
        timeoutMs: timeoutMs ?? TIMEOUT_MS,
      });
      const result = await runBenchmark({ store, banks, targets: [target], judges: [judge], judgeMode: 'llm' });
      expect(result.status).toBe('finished');
      const cases = [...store.storedCases(result.runId)];
      expect(cases.map(caseKey).sort()).toEqual([...planFor(target, banks.questions, 1)].map(caseKey).sort());
      // The transcripts are whole, so `rejudge` can finish the job once the endpoint is back.
      for (const c of cases) expect(c.turns.every((t) => t.ok && t.reply.startsWith('回答：'))).toBe(true);

      const records = [...store.caseRecords(result.runId, 'llm')];
      expect(records).toHaveLength(cases.length);
      for (const r of records) {
        expect(r.available).toBe(true);
        expect(r.verdict).toMatchObject({ status: 'unjudged', judge: 'llm' });
      }
      const verdicts = cases.flatMap((c) => store.verdictsOf(c.id));
      expect(verdicts).toHaveLength(JUDGED_TURNS);
      for (const v of verdicts) {
        expect(v.status).toBe('unjudged');
        const why = v.status === 'unjudged' ? v.reason : '';
        expect(why).toMatch(reason);
        expect(why).toContain('after 2 attempt(s)');
      }
      // Asked, retried once, given up; and nothing unjudged was cached as if it were a verdict.
      if (asked !== undefined) expect(llm.requests()).toBe(asked * JUDGED_TURNS);
      const conn = new Database(dir.path('g.db'), { readonly: true });
      expect(conn.prepare(`SELECT count(*) AS n FROM judge_cache`).get()).toEqual({ n: 0 });
      conn.close();
    } finally {
      store.close();
      await bot.close();
      await llm.close();
    }
  });
});
