/**
 * Issue 7, faults of the chatbot under test: each against a real loopback server, through the real
 * runner, http-json adapter and SQLite file. Whatever the target does, the run finishes and every
 * planned case has exactly one stored outcome saying what went wrong.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RAW_LIMIT } from '../src/adapters/utils/adapter-error.js';
import { MAX_BODY_BYTES } from '../src/adapters/utils/read-body.js';
import { loadBanks } from '../src/banks/load-banks.js';
import { caseKey, type BankSet, type ErrorKind, type Limits, type Target } from '../src/domain/types.js';
import { planFor } from '../src/runner/plan.js';
import { runBenchmark, type RunOptions } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { echoJudge, loopbackServer, sendJson, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);
const only = (...ids: string[]): BankSet => ({ ...banks, questions: banks.questions.filter((q) => ids.includes(q.id)) });


const target = (url: string, limits: Partial<Limits>): Target => ({
  id: 'bot',
  name: 'bot',
  region: 'east',
  adapter: { type: 'http-json', url: `${url}/chat`, method: 'POST', headers: {}, reply: '$.answer' },
  limits: { concurrency: 4, timeoutMs: 300, retries: 1, ...limits },
  pos: { file: 't', line: 1, column: 1 },
});

const answer = (res: ServerResponse, body: string) => sendJson(res, 200, { answer: `回答：${(JSON.parse(body) as { message: string }).message}` });

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

/**
 * Runs the plan against a server, then reads back every stored case. The circuit breaker is out of
 * the way unless a test asks for it, so each case records the fault itself rather than `unavailable`.
 */
async function runAgainst(handler: Handler, opts: { limits?: Partial<Limits>; banks?: BankSet; repeat?: number } & Partial<RunOptions> = {}) {
  const server = await loopbackServer(handler);
  using dir = tempDir();
  const store = openStore(dir.path('g.db'));
  const { limits, ...rest } = opts;
  const runBanks = opts.banks ?? banks;
  const t = target(server.url, limits ?? {});
  const t0 = performance.now();
  try {
    const result = await runBenchmark({ store, banks: runBanks, targets: [t], judges: [echoJudge], judgeMode: 'matcher', breaker: { threshold: 1000 }, ...rest });
    const ms = performance.now() - t0;
    const records = [...store.caseRecords(result.runId, 'echo')];
    const cases = [...store.storedCases(result.runId)];
    const planned = [...planFor(t, runBanks.questions, opts.repeat ?? 1)].map(caseKey).sort();
    expect(result.status).toBe('finished');
    expect(store.getRun(result.runId).status).toBe('finished');
    // Exactly one stored outcome per planned case: none lost, none twice.
    expect(cases.map(caseKey).sort()).toEqual(planned);
    return { result, records, cases, ms };
  } finally {
    store.close();
    await server.close();
  }
}

describe('a target that fails every request', () => {
  const ENDING = '{"answer": "回答：材料是申请表';
  const PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>系统维护中，请稍后再试</h1></body></html>';
  const faults: { fault: string; handler: Handler; kind: ErrorKind; attempts: number; httpStatus?: number; raw?: string; error?: RegExp }[] = [
    { fault: 'hangs (timeout)', handler: () => undefined, kind: 'timeout', attempts: 2, error: /timed out/ },
    { fault: 'resets the connection', handler: (req) => req.socket.destroy(), kind: 'connect', attempts: 2, error: /ECONNRESET/ },
    {
      fault: 'answers 500',
      handler: (_req, res) => sendJson(res, 500, { error: 'internal error' }),
      kind: 'http-status',
      attempts: 2,
      httpStatus: 500,
      raw: '{"error":"internal error"}',
    },
    {
      fault: 'answers 503 and drips the error page past the timeout',
      handler: (_req, res) => {
        res.writeHead(503, { 'content-type': 'text/html' }).flushHeaders();
        const drip = setInterval(() => res.write('<'), 20);
        res.on('close', () => clearInterval(drip));
      },
      kind: 'timeout',
      attempts: 2,
      error: /timed out reading/,
    },
    {
      fault: 'answers malformed JSON (not retried: asking again gives the same)',
      handler: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(ENDING),
      kind: 'parse',
      attempts: 1,
      httpStatus: 200,
      raw: ENDING,
    },
    {
      fault: 'answers an HTML error page with 200',
      handler: (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
      kind: 'parse',
      attempts: 1,
      httpStatus: 200,
      raw: PAGE,
    },
    {
      fault: 'answers 200 with an empty body',
      handler: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(),
      kind: 'empty',
      attempts: 1,
      httpStatus: 200,
      raw: '',
    },
    {
      fault: 'answers 200 with a blank reply field',
      handler: (_req, res) => sendJson(res, 200, { answer: ' \n ' }),
      kind: 'empty',
      attempts: 1,
      httpStatus: 200,
      raw: '{"answer":" \\n "}',
    },
  ];

  it.each(faults)('$fault: every case stored once, unavailable, with kind $kind', async ({ handler, kind, attempts, httpStatus, raw, error }) => {
    let requests = 0;
    const { records, cases, ms } = await runAgainst((req, res, body) => {
      requests += 1;
      return handler(req, res, body);
    });
    expect(records.length).toBe(4);
    for (const r of records) expect(r).toMatchObject({ available: false, errorKind: kind, verdict: null });
    for (const c of cases) {
      // A failed turn ends the conversation: the script's second message is never sent.
      expect(c.turns).toHaveLength(1);
      expect(c.turns[0]).toMatchObject({ ok: false, errorKind: kind, reply: '', attempts, ...(httpStatus !== undefined && { httpStatus }) });
      if (raw !== undefined) expect(c.turns[0]!.raw).toBe(raw);
      if (error) expect(c.turns[0]!.error).toMatch(error);
    }
    expect(requests).toBe(4 * attempts);
    // Timeouts are 300 ms and retries one: nothing waits on the target for long.
    expect(ms).toBeLessThan(3000);
  });
});

describe('429 Too Many Requests', () => {
  it('with Retry-After: no request of the target is sent before the wait is over, and every case is answered', async () => {
    const arrivals: number[] = [];
    const { records, cases } = await runAgainst(
      async (_req, res, body) => {
        arrivals.push(performance.now());
        if (arrivals.length === 1) return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
        await new Promise((r) => setTimeout(r, 20));
        answer(res, body);
      },
      { limits: { concurrency: 2, retries: 2 } },
    );
    expect(records.every((r) => r.available)).toBe(true);
    expect(cases.map((c) => c.turns[0]!.attempts).sort()).toEqual([1, 1, 1, 2]);
    // The other worker's first request may have left before the 429 came back; every later one waited.
    const refusedAt = arrivals[0]!;
    expect(arrivals.length).toBe(6);
    for (const t of arrivals.slice(2)) expect(t - refusedAt).toBeGreaterThanOrEqual(950);
  });

  it('without Retry-After: retries back off exponentially, then the case is answered', async () => {
    const seen = new Map<string, number[]>();
    const { records, cases } = await runAgainst(
      (_req, res, body) => {
        const { message, sessionId } = JSON.parse(body) as { message: string; sessionId: string };
        const key = `${sessionId}/${message}`;
        const times = [...(seen.get(key) ?? []), performance.now()];
        seen.set(key, times);
        if (times.length <= 2) return sendJson(res, 429, { error: 'slow down' });
        answer(res, body);
      },
      { limits: { concurrency: 2, retries: 2 }, banks: only('fl-materials-01') },
    );
    expect(records.every((r) => r.available)).toBe(true);
    expect(cases.map((c) => c.turns[0]!.attempts)).toEqual([3, 3]);
    expect(seen.size).toBe(2);
    for (const times of seen.values()) {
      const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!];
      // Equal jitter over a doubling cap: 125–250 ms, then 250–500 ms. A busy machine only stretches
      // waits, so the floors are what can be checked here without flaking: no wait shorter than the
      // backoff's, the second at least double the first's floor. The exact schedule is retry.test.ts's.
      expect(first).toBeGreaterThanOrEqual(120);
      expect(second).toBeGreaterThanOrEqual(245);
    }
  });
});

describe('replies that never end properly', () => {
  it('a 10 MB reply is cut at the cap and recorded as a parse failure with a truncated raw body; the rest is never read', async () => {
    const TEN_MB = 10 * 1024 * 1024;
    const prefix = '{"answer": "';
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const written: number[] = [];
    const { records, cases } = await runAgainst(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(TEN_MB) });
        let sent = Buffer.byteLength(prefix);
        res.write(prefix);
        let open = true;
        res.on('close', () => {
          open = false;
          written.push(sent);
        });
        res.on('error', () => undefined);
        // Honours backpressure: what is written is what the client took off the socket, plus buffers.
        const pump = () => {
          while (open && sent < TEN_MB) {
            const piece = chunk.subarray(0, Math.min(chunk.length, TEN_MB - sent));
            sent += piece.length;
            if (!res.write(piece)) return void res.once('drain', pump);
          }
          if (open) res.end();
        };
        pump();
      },
      { limits: { timeoutMs: 5000, retries: 1 } },
    );
    for (const r of records) expect(r).toMatchObject({ available: false, errorKind: 'parse', verdict: null });
    for (const c of cases) {
      const t = c.turns[0]!;
      expect(t).toMatchObject({ ok: false, errorKind: 'parse', httpStatus: 200, attempts: 1 });
      expect(t.error).toMatch(/larger than the cap/);
      expect(t.raw.length).toBe(RAW_LIMIT);
      expect(t.raw.startsWith(`${prefix}aaaa`)).toBe(true);
    }
    // The server sees the last connections close just after the run.
    for (let waited = 0; written.length < 4 && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(written).toHaveLength(4);
    // The client hung up at MAX_BODY_BYTES: what left the server is that plus what the sockets buffered
    // (under 2 MB here), never the whole 10 MB.
    for (const n of written) {
      expect(n).toBeGreaterThanOrEqual(MAX_BODY_BYTES);
      expect(n).toBeLessThan(TEN_MB - 1024 * 1024);
    }
  });

  it('a reply dripped a byte at a time past the timeout is a timeout at the timeout, not a hang', async () => {
    const { records, cases, ms } = await runAgainst(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        const body = `{"answer": "${'慢'.repeat(500)}"}`;
        let i = 0;
        const drip = setInterval(() => {
          if (i < body.length) res.write(body[i++]);
          else res.end();
        }, 10);
        res.on('close', () => clearInterval(drip));
      },
      { limits: { timeoutMs: 300, retries: 0 } },
    );
    for (const r of records) expect(r).toMatchObject({ available: false, errorKind: 'timeout', verdict: null });
    for (const c of cases) {
      const t = c.turns[0]!;
      expect(t).toMatchObject({ ok: false, errorKind: 'timeout', httpStatus: 200, attempts: 1 });
      // Bytes kept arriving; the clock ran from the request, not from the last byte.
      expect(t.totalMs).toBeGreaterThanOrEqual(290);
      expect(t.totalMs).toBeLessThan(1000);
    }
    expect(ms).toBeLessThan(2000);
  });
});
