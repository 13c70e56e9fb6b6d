/**
 * The run session both the CLI and the terminal UI use: planning checks every input before anything is
 * stored, a resume parses what the run recorded, and a session runs, pauses, stops, resumes and closes
 * a run of a simulated target (its fleet started in process) against a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/runner/events.js';
import { planResume, planRun } from '../src/runner/session/plan.js';
import { openRequested, openRunSession } from '../src/runner/session/session.js';
import type { RunSpec } from '../src/runner/session/spec.js';
import { openStore } from '../src/store/index.js';
import { UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';
import { BANK_DIR } from './tui-helpers.js';

/** One simulated target answering one case at a time, 20 ms each. */
const TARGETS = `
personas:
  steady: { description: steady, keyPointRate: 1, latency: { medianMs: 20, jitterMs: 0 } }
targets:
  - { id: sim-a, name: 模拟·甲市, region: east, simulated: true, adapter: { type: simulated, persona: steady }, limits: { concurrency: 1, timeoutMs: 2000, retries: 0 } }
  - { id: city-b, name: 乙市, region: north, adapter: { type: http-json, url: "", reply: "" } }
`;

const specIn = (dir: { path(name: string): string }, target: string[]): RunSpec => ({
  banks: [BANK_DIR],
  targets: dir.path('targets.yaml'),
  target,
  judge: 'matcher',
  repeat: 1,
});

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}

describe('planning a run', () => {
  it('refuses a target without an endpoint, naming it, before any store is opened', () => {
    using dir = tempDir({ 'targets.yaml': TARGETS });
    const err = thrown(() => planRun(specIn(dir, ['sim-a', 'city-b'])));
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/targets\.yaml: no endpoint configured for city-b$/);
    expect(planRun(specIn(dir, ['sim-a']))).toMatchObject({ resume: null, perTarget: 18, planned: 18, browser: null });
  });

  it.each([
    ['banks that are no list', { banks: 'question-banks', targets: 't.yaml', judge: 'matcher' }, /run r-old: its recorded option banks is not usable: .*expected array/],
    ['an unknown judge', { banks: ['b'], targets: 't.yaml', judge: 'oracle' }, /run r-old: its recorded option judge is not usable/],
    ['no targets file', { banks: ['b'], judge: 'matcher' }, /run r-old: its recorded option targets is not usable/],
  ])('refuses to resume a run whose recorded options have %s, naming the run and the field', (_, options, message) => {
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      store.createRun({ id: 'r-old', banksHash: 'h', judge: 'matcher', options, targets: [] });
      const err = thrown(() => planResume(store, 'r-old'));
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(message);
    } finally {
      store.close();
    }
  });
});

describe('a run session', () => {
  it('runs, pauses, stops resumably, resumes to the end with every case once, and refuses to resume a finished run', async () => {
    using dir = tempDir({ 'targets.yaml': TARGETS });
    const store = openStore(dir.path('g.db'));
    try {
      const first = await openRunSession(store, planRun(specIn(dir, ['sim-a'])));
      let seen = 0;
      let atPause = { seen: -1, stored: -1 };
      const result = await first.run((e: RunEvent) => {
        if (e.type !== 'case-finished' || ++seen !== 3) return;
        // Paused once the cases in flight are saved; then stopped while paused.
        void first.hold().then(() => {
          atPause = { seen, stored: store.countCases(first.runId) };
          first.stop();
        });
      });
      await first.close();
      expect(result).toMatchObject({ runId: first.runId, status: 'interrupted' });
      expect(first.stopping).toBe(true);
      expect(atPause.stored).toBe(atPause.seen);
      expect(store.countCases(first.runId)).toBe(atPause.seen);
      expect(atPause.seen).toBeLessThan(18);
      expect(store.getRun(first.runId).options).toMatchObject({ target: ['sim-a'], judge: 'matcher', repeat: 1 });

      const second = await openRequested(store, { resume: first.runId });
      expect(second.runId).toBe(first.runId);
      const done = await second.run(() => {});
      await second.close();
      expect(done).toMatchObject({ status: 'finished', planned: 18, done: 18 });
      const keys = [...store.storedCases(first.runId)].map((c) => `${c.questionId}/${c.variant}/${c.repeat}`);
      expect(new Set(keys).size).toBe(18);
      expect(keys).toHaveLength(18);

      await expect(openRequested(store, { resume: first.runId })).rejects.toThrow(/is finished; there is nothing to resume/);
    } finally {
      store.close();
    }
  });
});
