/**
 * Issue 7: the target is down for the first part of a run and comes back on the same port. The
 * circuit breaker must stop asking it, record the cases it skips, notice the return through its probe
 * and let the rest of the run through.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { caseKey, type Judge, type Target } from '../src/domain/types.js';
import { countPlan, planFor } from '../src/runner/plan.js';
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { sendJson, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);
const REPEAT = 6;
const DOWN_FOR_CASES = 10;

const nullJudge: Judge = { name: 'none', version: '0', judge: ({ turn }) => ({ status: 'unjudged', judge: 'none', turn, reason: 'not judged here' }) };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The chatbot, on a fixed port; it logs what reaches it (chat questions and availability probes). */
async function startBot(port: number, log: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url !== '/chat') return void res.writeHead(200).end();
      sendJson(res, 200, { answer: `回答：${(JSON.parse(body) as { message: string }).message}` });
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

describe('a target down for the first part of the run', () => {
  it('records the outage as failed and unavailable cases, recovers through the probe, and answers the rest', async () => {
    const port = await freePort();
    const log: string[] = [];
    let bot: Server | undefined;
    let restartedAt = '';
    let starting: Promise<Server> | undefined;
    const target: Target = {
      id: 'bot',
      name: 'bot',
      region: 'east',
      adapter: { type: 'http-json', url: `http://127.0.0.1:${port}/chat`, method: 'POST', headers: {}, reply: '$.answer' },
      limits: { concurrency: 2, timeoutMs: 300, retries: 1 },
      pos: { file: 't', line: 1, column: 1 },
    };
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    let seen = 0;
    try {
      const result = await runBenchmark({
        store,
        banks,
        targets: [target],
        judges: [nullJudge],
        judgeMode: 'matcher',
        repeat: REPEAT,
        breaker: { threshold: 3, probeMinMs: 50, probeMaxMs: 200 },
        onEvent: (e) => {
          if (e.type !== 'case-finished' || ++seen !== DOWN_FOR_CASES) return;
          restartedAt = new Date().toISOString();
          starting = startBot(port, log);
        },
      });
      bot = await starting;
      expect(result.status).toBe('finished');
      const planned = countPlan(banks.questions, REPEAT);
      expect(result.done).toBe(planned);
      const keys = [...store.storedCases(result.runId)].map(caseKey).sort();
      expect(keys).toEqual([...planFor(target, banks.questions, REPEAT)].map(caseKey).sort());

      const dump = () => JSON.stringify({ restartedAt, log: log.slice(0, 5), rows });
      // When each case finished is in the file, not in the Store contract.
      const conn = new Database(dir.path('g.db'), { readonly: true });
      const rows = conn
        .prepare(
          `SELECT c.available, c.error_kind AS kind, c.finished_at AS at, t.attempts
           FROM cases c JOIN turns t ON t.case_id = c.id AND t.idx = 0 WHERE c.run_id = ? ORDER BY c.id`,
        )
        .all(result.runId) as { available: number; kind: string | null; at: string; attempts: number }[];
      conn.close();
      const during = rows.filter((r) => r.at <= restartedAt);
      expect(during.length).toBeGreaterThanOrEqual(DOWN_FOR_CASES);
      expect(during.every((r) => r.available === 0), dump()).toBe(true);
      // Refused connections until the breaker opened (each tried twice), then skipped without asking.
      const refused = during.filter((r) => r.kind === 'connect');
      const skipped = during.filter((r) => r.kind === 'unavailable');
      expect(refused.length + skipped.length).toBe(during.length);
      expect(refused.length).toBeGreaterThanOrEqual(3);
      expect(refused.length).toBeLessThanOrEqual(3 + 1);
      expect(refused.every((r) => r.attempts === 2), dump()).toBe(true);
      expect(skipped.length).toBeGreaterThanOrEqual(DOWN_FOR_CASES - 5);
      expect(skipped.every((r) => r.attempts === 0), dump()).toBe(true);

      // Back up: the probe saw it first; only then were questions sent again.
      expect(log[0]).toBe('HEAD /');
      expect(log.filter((l) => l === 'POST /chat').length).toBeGreaterThan(0);
      const firstUp = rows.findIndex((r) => r.available === 1);
      expect(firstUp).toBeGreaterThanOrEqual(DOWN_FOR_CASES - 1);
      // A worker that saw the circuit open just before the probe succeeded still records its case as
      // skipped (one per other worker at most); no other case fails once it is back.
      const after = rows.slice(firstUp);
      const late = after.filter((r) => r.available === 0);
      expect(late.length, dump()).toBeLessThanOrEqual(target.limits.concurrency - 1);
      for (const r of late) expect(r.kind, dump()).toBe('unavailable');
      expect(after.length - late.length).toBeGreaterThan(planned / 3);
      expect(after.filter((r) => r.available === 1).every((r) => r.kind === null && r.attempts === 1)).toBe(true);
    } finally {
      store.close();
      bot?.closeAllConnections();
      await new Promise((r) => (bot ? bot.close(r) : r(undefined)));
    }
  });
});
