import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import type { Judge, Target } from '../src/domain/types.js';
import type { RunEvent } from '../src/runner/events.js';
import { countPlan } from '../src/runner/plan.js';
import { runBenchmark } from '../src/runner/run.js';
import { RunHold } from '../src/runner/run-hold.js';
import { openStore } from '../src/store/index.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);

/** Echo judge: correct when the reply repeats the question, so verdicts trace back to transcripts. */
const echoJudge: Judge = {
  name: 'echo',
  version: 'e1',
  judge: ({ question, turn, answer }) =>
    answer.includes('boom')
      ? Promise.reject(new Error('judge exploded'))
      : {
          status: 'judged',
          judge: 'echo',
          turn,
          intentRecognized: true,
          predictedIntent: question.intent,
          verdict: answer.startsWith('回答') ? 'correct' : 'incorrect',
          accuracy: 1,
          keyPointsHit: [],
          factErrors: [],
          contradictions: [],
          rationale: 'echo',
        },
};

const target = (id: string, url: string, concurrency: number, extra: Partial<Target['limits']> = {}): Target => ({
  id,
  name: id,
  region: 'east',
  adapter: { type: 'http-json', url, method: 'POST', headers: {}, reply: '$.answer', session: '$.sid' },
  limits: { concurrency, timeoutMs: 2000, retries: 2, ...extra },
  pos: { file: 't', line: 1, column: 1 },
});

/** A chatbot that counts requests in flight per path and can be told to fail. */
async function countingBot(opts: { delayMs?: number; failFirst?: number; status?: number } = {}) {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let requests = 0;
  const server = await loopbackServer(async (req, res, body) => {
    const path = req.url ?? '';
    requests += 1;
    inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
    peak.set(path, Math.max(peak.get(path) ?? 0, inFlight.get(path)!));
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    inFlight.set(path, inFlight.get(path)! - 1);
    if (requests <= (opts.failFirst ?? 0)) return sendJson(res, opts.status ?? 503, { error: 'busy' });
    const { message, sessionId } = JSON.parse(body) as { message: string; sessionId: string };
    sendJson(res, 200, { answer: `回答：${message}`, sid: sessionId });
  });
  return { server, peak, requests: () => requests };
}

describe('runBenchmark', () => {
  it('asks every phrasing of every question of every target once, within per-target concurrency, and stores each case', async () => {
    const bot = await countingBot({ delayMs: 15 });
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    const events: RunEvent[] = [];
    try {
      const result = await runBenchmark({
        store,
        banks,
        targets: [target('a', `${bot.server.url}/a`, 2), target('b', `${bot.server.url}/b`, 3)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        repeat: 2,
        onEvent: (e) => events.push(e),
      });
      const perTarget = countPlan(banks.questions, 2);
      expect(perTarget).toBe(2 * (2 + 1 + 1));
      expect(result).toMatchObject({ status: 'finished', planned: perTarget * 2, done: perTarget * 2 });
      expect(store.countCases(result.runId)).toBe(perTarget * 2);
      expect(bot.peak.get('/a')).toBe(2);
      expect(bot.peak.get('/b')).toBe(3);
      // the multi-turn script sends two messages per case
      expect(bot.requests()).toBe(2 * 2 * (2 + 1 + 2));
      const records = [...store.caseRecords(result.runId, 'echo')];
      expect(records.every((r) => r.available && r.verdict?.status === 'judged')).toBe(true);
      const script = [...store.storedCases(result.runId)].find((c) => c.questionId === 'fl-clarify-01')!;
      expect(script.turns.map((t) => t.reply)).toEqual(['回答：我想办个证', '回答：钓鱼用的那个']);
      expect(events[0]).toMatchObject({ type: 'run-started', targets: [{ id: 'a', planned: perTarget, done: 0 }, { id: 'b' }] });
      expect(events.filter((e) => e.type === 'case-finished')).toHaveLength(perTarget * 2);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'finished' });
      expect(store.getRun(result.runId).status).toBe('finished');
    } finally {
      store.close();
      await bot.server.close();
    }
  });

  it('retries a 503 and records the attempts; a case that keeps failing counts as unavailable, not judged', async () => {
    const bot = await countingBot({ failFirst: 2 });
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const one = { ...banks, questions: banks.questions.filter((q) => q.id === 'oos-chat-01') };
      const ok = await runBenchmark({ store, banks: one, targets: [target('a', bot.server.url, 1)], judges: [echoJudge], judgeMode: 'matcher' });
      const [stored] = [...store.storedCases(ok.runId)];
      expect(stored!.turns[0]).toMatchObject({ ok: true, attempts: 3 });

      const dead = await countingBot({ failFirst: 1000, status: 502 });
      const failed = await runBenchmark({ store, banks: one, targets: [target('a', dead.server.url, 1, { retries: 1 })], judges: [echoJudge], judgeMode: 'matcher' });
      const [rec] = [...store.caseRecords(failed.runId, 'echo')];
      expect(rec).toMatchObject({ available: false, errorKind: 'http-status', verdict: null });
      expect(dead.requests()).toBe(2);
      await dead.server.close();
    } finally {
      store.close();
      await bot.server.close();
    }
  });

  it('takes a judge that throws for a bug of ours: the case is saved with the stack, the run fails and takes no new case', async () => {
    const server = await loopbackServer((_req, res) => sendJson(res, 200, { answer: 'boom' }));
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const events: RunEvent[] = [];
      const run = runBenchmark({ store, banks, targets: [target('a', server.url, 1)], judges: [echoJudge], judgeMode: 'matcher', onEvent: (e) => events.push(e) });
      await expect(run).rejects.toThrow('judge exploded');
      const runId = events[0]!.runId;
      expect(store.getRun(runId).status).toBe('failed');
      // One worker, which asks the next case while the last is judged: that one was in flight when the
      // bug surfaced and is saved too; of the 4 planned, none started after.
      const stored = [...store.storedCases(runId)];
      expect(stored.length).toBeGreaterThanOrEqual(1);
      expect(stored.length).toBeLessThanOrEqual(2);
      for (const c of stored) {
        const last = c.turns.at(-1)!;
        expect(last).toMatchObject({ ok: false, errorKind: 'bug', reply: 'boom' });
        expect(last.error).toMatch(/^Error: judge exploded\n\s+at /);
      }
      for (const r of store.caseRecords(runId, 'echo')) expect(r).toMatchObject({ available: false, errorKind: 'bug', verdict: null });
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed' });
    } finally {
      store.close();
      await server.close();
    }
  });

  it('stops starting cases when aborted, and a resume finishes the plan without repeating one', async () => {
    const bot = await countingBot({ delayMs: 10 });
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const controller = new AbortController();
      let seen = 0;
      const targets = [target('a', bot.server.url, 1)];
      const first = await runBenchmark({
        store,
        banks,
        targets,
        judges: [echoJudge],
        judgeMode: 'matcher',
        repeat: 3,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'case-finished' && ++seen === 4) controller.abort();
        },
      });
      expect(first.status).toBe('interrupted');
      expect(store.getRun(first.runId).status).toBe('interrupted');
      // The cases in flight when it stopped finish and are kept; nothing new starts.
      const stored = store.countCases(first.runId);
      expect(stored).toBeGreaterThanOrEqual(4);
      expect(stored).toBeLessThanOrEqual(4 + 2);

      const second = await runBenchmark({ store, banks, targets, judges: [echoJudge], judgeMode: 'matcher', repeat: 3, resume: first.runId });
      expect(second).toMatchObject({ runId: first.runId, status: 'finished', done: countPlan(banks.questions, 3) });
      const keys = [...store.storedCases(first.runId)].map((c) => `${c.questionId}/${c.variant}/${c.repeat}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(countPlan(banks.questions, 3));

      const changed = { ...banks, hash: 'other' };
      await expect(runBenchmark({ store, banks: changed, targets, judges: [echoJudge], judgeMode: 'matcher', resume: first.runId })).rejects.toThrow(/other banks/);
    } finally {
      store.close();
      await bot.server.close();
    }
  });

  it('holds: no chatbot is asked while held, the run stays running, and it finishes every case once', async () => {
    const bot = await countingBot({ delayMs: 10 });
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const hold = new RunHold();
      let seen = 0;
      let runId = '';
      let atIdle = -1;
      const run = runBenchmark({
        store,
        banks,
        targets: [target('a', bot.server.url, 2)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        repeat: 2,
        hold,
        onEvent: (e) => {
          if (e.type === 'run-started') runId = e.runId;
          if (e.type === 'case-finished' && ++seen === 3) {
            hold.hold();
            void hold.idle().then(() => (atIdle = bot.requests()));
          }
        },
      });
      while (atIdle < 0) await new Promise((r) => setTimeout(r, 5));
      // Idle means every case that had started is saved; then nothing is asked for a while.
      expect(store.countCases(runId)).toBe(seen);
      await new Promise((r) => setTimeout(r, 100));
      expect(bot.requests()).toBe(atIdle);
      expect(store.getRun(runId).status).toBe('running');
      hold.release();
      const result = await run;
      expect(result).toMatchObject({ status: 'finished', done: countPlan(banks.questions, 2) });
      const keys = [...store.storedCases(runId)].map((c) => `${c.questionId}/${c.variant}/${c.repeat}`);
      expect(new Set(keys).size).toBe(countPlan(banks.questions, 2));
      expect(keys).toHaveLength(countPlan(banks.questions, 2));
    } finally {
      store.close();
      await bot.server.close();
    }
  });
});
