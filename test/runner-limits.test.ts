import { describe, expect, it, vi } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import type { Adapter, Judge, Target } from '../src/domain/types.js';
import { createHttpJsonAdapter } from '../src/adapters/http-json.js';
import { CircuitBreaker } from '../src/runner/circuit-breaker.js';
import { RateGate } from '../src/runner/rate-gate.js';
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);
const nullJudge: Judge = { name: 'none', version: '0', judge: ({ turn }) => ({ status: 'unjudged', judge: 'none', turn, reason: 'not judged in this test' }) };

const target = (url: string, limits: Partial<Target['limits']>): Target => ({
  id: 'a',
  name: 'a',
  region: 'east',
  adapter: { type: 'http-json', url, method: 'POST', headers: {}, reply: '$.answer' },
  limits: { concurrency: 4, timeoutMs: 1000, retries: 0, ...limits },
  pos: { file: 't', line: 1, column: 1 },
});

async function run(t: Target, repeat: number, extra: Partial<Parameters<typeof runBenchmark>[0]> = {}) {
  using dir = tempDir();
  const store = openStore(dir.path('g.db'));
  try {
    const r = await runBenchmark({ store, banks, targets: [t], judges: [nullJudge], judgeMode: 'matcher', repeat, ...extra });
    return { result: r, records: [...store.caseRecords(r.runId, 'none')], cases: [...store.storedCases(r.runId)] };
  } finally {
    store.close();
  }
}

describe('RateGate', () => {
  // Times are read where the gate reads them: a loaded machine can delay a test's own reading after the
  // gate let a request through, and make the next gap look short.
  it('spaces starts 60 s / perMinute apart', async () => {
    let reading = 0;
    const gate = new RateGate({ perMinute: 1200, now: () => (reading = performance.now()) });
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await gate.acquire();
      starts.push(reading);
    }
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
  });

  it('holds every request while paused', async () => {
    let reading = 0;
    const gate = new RateGate({ now: () => (reading = performance.now()) });
    gate.pause(150);
    const pausedAt = reading;
    await gate.acquire();
    expect(reading - pausedAt).toBeGreaterThanOrEqual(150);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, paces skipped cases by the failures, and closes once the probe sees the target back', async () => {
    let up = false;
    let probes = 0;
    const breaker = new CircuitBreaker({ threshold: 2, probeMinMs: 20, probeMaxMs: 40, maxPaceMs: 1000, probe: async () => (probes++, up) });
    expect(breaker.before()).toEqual({ send: true });
    breaker.after(false, 10);
    expect(breaker.before().send).toBe(true);
    breaker.after(false, 30);
    const open = breaker.before();
    expect(open).toMatchObject({ send: false, paceMs: 20 });
    // Waited for by what happened, not by how long it took on a loaded machine.
    await vi.waitFor(() => expect(probes).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 5 });
    expect(breaker.before().send).toBe(false);
    up = true;
    await vi.waitFor(() => expect(breaker.before().send).toBe(true), { timeout: 10_000, interval: 5 }); // half-open: one case goes through
    breaker.after(true, 5);
    expect(breaker.isOpen).toBe(false);
    breaker.close();
  });
});

describe('runner limits, measured at the server', () => {
  it('never exceeds perMinute: request arrivals are spaced by 60 s / perMinute', async () => {
    const arrivals: number[] = [];
    const server = await loopbackServer((_req, res) => {
      arrivals.push(performance.now());
      sendJson(res, 200, { answer: 'ok' });
    });
    try {
      await run(target(server.url, { perMinute: 600, concurrency: 4 }), 2);
      expect(arrivals.length).toBeGreaterThanOrEqual(8);
      // Any 500 ms window holds at most 500 / 100 arrivals, plus one that the first connection or a stall
      // of this (shared) event loop delays onto its successor; unpaced, all of them would arrive at once.
      const busiest = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 500).length));
      expect(busiest).toBeLessThanOrEqual(7);
      expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual((arrivals.length - 2) * 100);
    } finally {
      await server.close();
    }
  });

  it('honours 429 Retry-After for the next request of the target', async () => {
    const arrivals: number[] = [];
    const server = await loopbackServer((_req, res) => {
      arrivals.push(performance.now());
      if (arrivals.length === 1) return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
      sendJson(res, 200, { answer: 'ok' });
    });
    try {
      const one = { ...banks, questions: banks.questions.filter((q) => q.id === 'oos-chat-01') };
      const { records } = await run(target(server.url, { concurrency: 1, retries: 1 }), 2, { banks: one });
      expect(records.every((r) => r.available)).toBe(true);
      expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(950);
    } finally {
      await server.close();
    }
  });

  it('probes a dead target instead of flooding it, and records its remaining cases as unavailable', async () => {
    let chats = 0;
    let health = 0;
    const server = await loopbackServer((req, res) => {
      if (req.url === '/health') {
        health += 1;
        return sendJson(res, 503, { up: false });
      }
      chats += 1;
      sendJson(res, 503, { error: 'down' });
    });
    const t = target(`${server.url}/chat`, { concurrency: 2, retries: 1 });
    const probeAdapter = (): Adapter => {
      const inner = createHttpJsonAdapter({ config: t.adapter as never });
      return {
        ...inner,
        probe: async (signal) => (await fetch(`${server.url}/health`, { signal })).status < 500,
      };
    };
    try {
      const { records, result } = await run(t, 5, { createAdapter: probeAdapter, breaker: { threshold: 3, probeMinMs: 20, probeMaxMs: 40 } });
      expect(result.status).toBe('finished');
      expect(records).toHaveLength(20);
      expect(records.every((r) => !r.available)).toBe(true);
      const skipped = records.filter((r) => r.errorKind === 'unavailable').length;
      expect(skipped).toBeGreaterThan(12);
      // threshold cases (+ in-flight ones), each tried twice — not 20 × 2
      expect(chats).toBeLessThanOrEqual(2 * (3 + 2));
      expect(health).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
  });
});
