/**
 * "The house" item 3: a bug of ours is never the city's failure. An adapter, a judge or the runner
 * throwing what it should not is saved as a case of kind `bug` with its stack, retried never, scored
 * never, and it fails the run: no case starts after it, those in flight are saved. Through the real
 * runner and a real SQLite file; the adapters are scripted, since the bug is the point.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isOwnBug } from '../src/adapters/utils/adapter-error.js';
import { loadBanks } from '../src/banks/load-banks.js';
import type { Adapter, AdapterReply, Judge, Target } from '../src/domain/types.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import { createMatcherPool } from '../src/judge/matcher-pool/index.js';
import { loadReportModel } from '../src/reports/from-store.js';
import type { RunEvent } from '../src/runner/events.js';
import { countPlan } from '../src/runner/plan.js';
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { echoJudge, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);
const singles = { ...banks, questions: banks.questions.filter((q) => !q.turns) };


const target = (id: string, concurrency: number): Target => ({
  id,
  name: id,
  region: 'east',
  adapter: { type: 'http-json', url: 'http://127.0.0.1:9/unused', method: 'POST', headers: {}, reply: '$.answer' },
  limits: { concurrency, timeoutMs: 2000, retries: 2 },
  pos: { file: 't', line: 1, column: 1 },
});

/** An adapter whose every `send` goes to `reply`, numbered from 1; it counts the calls. */
function scripted(reply: (call: number, message: string) => Promise<AdapterReply>) {
  let calls = 0;
  const adapter: Adapter = {
    name: 'http-json',
    open: () => ({ send: (message) => reply(++calls, message), close: async () => {} }),
    close: async () => {},
  };
  return { adapter, calls: () => calls };
}

const answer = async (ms: number, message: string): Promise<AdapterReply> => {
  await sleep(ms);
  return { text: `回答：${message}`, raw: '{}', firstMs: ms, totalMs: ms };
};

describe('a bug of ours during a run', () => {
  it("an adapter's TypeError: saved as a bug with its stack, never retried, out of availability; the run fails and starts nothing after it", async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'answer')");
    // Target a: the first call throws after 20 ms while the second (the other worker's) is in flight until 300 ms.
    const a = scripted(async (call, message) => {
      if (call === 1) {
        await sleep(20);
        throw bug;
      }
      return answer(300, message);
    });
    // Target b: one worker, its first case in flight when the bug comes; a second would be due at 300 ms.
    const b = scripted((_call, message) => answer(300, message));
    const adapters = new Map([
      ['a', a.adapter],
      ['b', b.adapter],
    ]);
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const events: RunEvent[] = [];
      const run = runBenchmark({
        store,
        banks: singles,
        targets: [target('a', 2), target('b', 1)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        createAdapter: (t) => adapters.get(t.id)!,
        onEvent: (e) => events.push(e),
      });
      await expect(run).rejects.toBe(bug);
      const runId = events[0]!.runId;
      expect(store.getRun(runId).status).toBe('failed');
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed' });
      // Retries: 2, yet the bug was sent once; the other call is the case that was in flight.
      expect(a.calls()).toBe(2);
      expect(b.calls()).toBe(1);
      const cases = [...store.storedCases(runId)];
      expect(cases).toHaveLength(3);
      expect(countPlan(singles.questions, 1) * 2).toBeGreaterThan(3);
      const buggy = cases.filter((c) => c.turns.some((t) => t.errorKind === 'bug'));
      expect(buggy).toHaveLength(1);
      expect(buggy[0]!.targetId).toBe('a');
      expect(buggy[0]!.turns).toEqual([expect.objectContaining({ ok: false, errorKind: 'bug', attempts: 1, reply: '' })]);
      expect(buggy[0]!.turns[0]!.error).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'answer'\)\n\s+at .*runner-bugs\.test\.ts/);
      expect(events).toContainEqual(expect.objectContaining({ type: 'case-finished', targetId: 'a', available: false, errorKind: 'bug' }));

      // Scored, target a has one case, answered: the bug counts in no score, only among its failure kinds.
      const model = loadReportModel(store, runId);
      const scored = model.targets.find((t) => t.id === 'a')!;
      expect(scored).toMatchObject({ cases: 1, errors: 0, errorKinds: { bug: 1 } });
      expect(scored.scores.availability).toBe(100);
    } finally {
      store.close();
    }
  });

  it("masks the adapter's secrets in a bug's stack, as stored and as thrown", async () => {
    const secret = 'tok-7f3a9c';
    const bot = scripted(async () => {
      throw new TypeError(`bad header Authorization: Bearer ${secret}`);
    });
    const adapter: Adapter = { ...bot.adapter, redact: (text) => text.split(secret).join('***') };
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const events: RunEvent[] = [];
      const run = runBenchmark({
        store,
        banks: singles,
        targets: [target('a', 1)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        createAdapter: () => adapter,
        onEvent: (e) => events.push(e),
      });
      const thrown = await run.then(
        () => expect.unreachable('the run should fail'),
        (err: unknown) => err as Error,
      );
      expect(thrown).toBeInstanceOf(TypeError);
      expect(thrown.message).toBe('bad header Authorization: Bearer ***');
      expect(thrown.stack).not.toContain(secret);
      const [stored] = [...store.storedCases(events[0]!.runId)];
      expect(stored!.turns[0]!.error).toMatch(/^TypeError: bad header Authorization: Bearer \*\*\*\n/);
      expect(stored!.turns[0]!.error).not.toContain(secret);
    } finally {
      store.close();
    }
  });

  it('a judge that throws (the matcher, say) fails the run; the case keeps its reply and the stack', async () => {
    const matcher = createMatcherJudge(banks);
    const buggy: Judge = {
      ...matcher,
      judge: (input) => {
        if (input.question.id === 'oos-chat-01') throw new RangeError('matcher: index out of range');
        return matcher.judge(input);
      },
    };
    const bot = scripted((_call, message) => answer(1, message));
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const only = { ...banks, questions: banks.questions.filter((q) => q.id === 'oos-chat-01') };
      let runId = '';
      await expect(
        runBenchmark({
          store,
          banks: only,
          targets: [target('a', 1)],
          judges: [buggy],
          judgeMode: 'matcher',
          createAdapter: () => bot.adapter,
          onEvent: (e) => (runId = e.runId),
        }),
      ).rejects.toThrow(RangeError);
      expect(store.getRun(runId).status).toBe('failed');
      const [stored] = [...store.storedCases(runId)];
      expect(stored!.turns[0]).toMatchObject({ ok: false, errorKind: 'bug', reply: expect.stringMatching(/^回答：/) });
      expect(stored!.turns[0]!.error).toMatch(/^RangeError: matcher: index out of range\n\s+at /);
      expect(store.verdictsOf(stored!.id)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('the matcher does not hide its own exceptions as unjudged verdicts, in process or on its worker threads', async () => {
    const question = banks.questions[0]!;
    // An answer that is no string is beyond anything the runner sends: the matcher's code throws on it.
    const input = { question, turn: 0, answer: undefined as unknown as string };
    expect(() => createMatcherJudge(banks).judge(input)).toThrow(TypeError);
    const pool = await createMatcherPool({ banks, size: 1 });
    try {
      const err = await (pool.judge(input) as Promise<unknown>).then(
        () => null,
        (e: unknown) => e as Error,
      );
      // The stack is the worker's, pointing into the matcher, not the pool's message handler.
      expect(err?.stack).toMatch(/src\/judge\/matcher\/[\w-]+\.ts/);
    } finally {
      await pool.close();
    }
  });

  it('a resume after the fix asks the bug case again, and the run finishes with every case once (needs the store to leave bug cases out of finishedCases)', async () => {
    let broken = true;
    const bot = scripted(async (_call, message) => {
      if (broken && message === singles.questions[0]!.text) throw new TypeError('adapter bug');
      return answer(1, message);
    });
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const opts = { store, banks: singles, targets: [target('a', 1)], judges: [echoJudge], judgeMode: 'matcher' as const, createAdapter: () => bot.adapter };
      let runId = '';
      await expect(runBenchmark({ ...opts, onEvent: (e) => (runId = e.runId) })).rejects.toThrow('adapter bug');
      broken = false;
      const asked = bot.calls();
      const resumed = await runBenchmark({ ...opts, resume: runId });
      const planned = countPlan(singles.questions, 1);
      expect(resumed).toMatchObject({ status: 'finished', done: planned });
      const cases = [...store.storedCases(runId)];
      expect(cases).toHaveLength(planned);
      expect(cases.every((c) => c.turns.every((t) => t.ok))).toBe(true);
      // Every case the failed run did not finish well was asked, the bug case among them.
      expect(bot.calls() - asked).toBe(planned - (asked - 1));
    } finally {
      store.close();
    }
  });
});

describe('isOwnBug: what adapters hand on to the runner as ours', () => {
  it.each<[string, unknown, boolean]>([
    ['a TypeError of our code', new TypeError("Cannot read properties of undefined (reading 'x')"), true],
    ['a RangeError', new RangeError('Invalid array length'), true],
    ['a ReferenceError', new ReferenceError('x is not defined'), true],
    ['a SyntaxError (JSON.parse of our own making)', new SyntaxError('Unexpected token'), true],
    ["fetch's TypeError for a refused connection", new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }), false],
    ['a system error with a code', Object.assign(new TypeError('socket hang up'), { code: 'ECONNRESET' }), false],
    ["a page's own script error, as Playwright reports it", new Error('page.evaluate: TypeError: x is undefined'), false],
    ['a thrown string', 'oops', false],
  ])('%s → %s', (_, err, ours) => {
    expect(isOwnBug(err)).toBe(ours);
  });
});
