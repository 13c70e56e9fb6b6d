import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Target, Turn, Verdict } from '../src/domain/types.js';
import { SCHEMA_VERSION } from '../src/store/migrations.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';

const target: Target = {
  id: 't1',
  name: '甲市',
  region: 'east',
  adapter: { type: 'http-json', url: 'http://x', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'f', line: 1, column: 1 },
};
const question = { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: true };
const turn = (ok: boolean, reply = '答复'): Turn => ({
  index: 0,
  user: '问',
  reply: ok ? reply : '',
  raw: ok ? `{"a":"${reply}"}` : '<html>502</html>',
  ok,
  ...(ok ? {} : { errorKind: 'http-status' as const, httpStatus: 502 }),
  firstMs: 120,
  totalMs: 150,
  attempts: 1,
});
const judged = (judge: string, verdict: 'correct' | 'incorrect', turnIndex = 0): Verdict => ({
  status: 'judged',
  judge,
  turn: turnIndex,
  intentRecognized: verdict === 'correct',
  predictedIntent: 'm/a',
  verdict,
  accuracy: verdict === 'correct' ? 1 : 0,
  keyPointsHit: ['k1'],
  factErrors: [],
  contradictions: [],
  rationale: 'r',
});

function withStore<T>(fn: (store: SqliteStore, path: string) => T): T {
  using dir = tempDir();
  const path = dir.path('nested/govbench.db');
  const store = new SqliteStore(path);
  try {
    return fn(store, path);
  } finally {
    store.close();
  }
}

describe('SqliteStore', () => {
  it('creates the schema at the latest version in WAL mode, in a folder it makes', () =>
    withStore((store) => {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const indexes = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'`).all();
      expect(indexes.map((i) => (i as { name: string }).name)).toEqual(expect.arrayContaining(['cases_by_target', 'cases_by_matter', 'cases_by_intent']));
    }));

  it('stores a run, its cases and verdicts, and streams records with the effective verdict', () =>
    withStore((store) => {
      store.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: { repeat: 1 }, targets: [{ target, planned: 3 }] });
      const c1 = store.saveCase({
        runId: 'r1',
        case: { targetId: 't1', questionId: 'q1', variant: 0, style: 'canonical', repeat: 1 },
        question,
        turns: [turn(true)],
        verdicts: [{ verdict: judged('matcher', 'incorrect'), version: 'v1' }],
      });
      store.saveCase({
        runId: 'r1',
        case: { targetId: 't1', questionId: 'q1', variant: 1, style: 'typo', repeat: 1 },
        question,
        turns: [turn(false)],
        verdicts: [],
      });
      // A reviewer's decision overrides the judge's.
      store.saveVerdicts([{ caseId: c1, verdict: judged('review', 'correct'), version: 'human' }]);

      const records = [...store.caseRecords('r1', 'matcher')];
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({ questionId: 'q1', variant: 0, available: true, firstMs: 120, critical: true });
      expect(records[0]!.verdict).toMatchObject({ judge: 'review', verdict: 'correct', keyPointsHit: ['k1'] });
      expect(records[1]).toMatchObject({ available: false, errorKind: 'http-status', firstMs: null, verdict: null });

      expect(store.finishedCases('r1')).toHaveLength(2);
      expect(store.getRun('latest')).toMatchObject({ id: 'r1', status: 'running', options: { repeat: 1 } });
      store.setRunStatus('r1', 'finished');
      expect(store.getRun('r1').finishedAt).not.toBeNull();
      const stored = [...store.storedCases('r1')];
      expect(stored[1]!.turns[0]).toMatchObject({ ok: false, httpStatus: 502, raw: '<html>502</html>' });
    }));

  it('refuses to store the same case twice in a run', () =>
    withStore((store) => {
      store.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: {}, targets: [{ target, planned: 1 }] });
      const save = () =>
        store.saveCase({ runId: 'r1', case: { targetId: 't1', questionId: 'q1', variant: 0, style: 'canonical', repeat: 1 }, question, turns: [turn(true)], verdicts: [] });
      save();
      expect(save).toThrow(/UNIQUE/);
      expect(store.countCases('r1')).toBe(1);
    }));

  it('keeps data across reopening', () => {
    using dir = tempDir();
    const path = dir.path('g.db');
    const a = new SqliteStore(path);
    a.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: {}, targets: [{ target, planned: 1 }] });
    a.close();
    const b = new SqliteStore(path);
    expect(b.listRuns().map((r) => r.id)).toEqual(['r1']);
    expect(b.runTargets('r1')[0]).toMatchObject({ id: 't1', name: '甲市', adapterType: 'http-json', planned: 1 });
    b.close();
  });

  it('names a missing run and an empty database as user errors', () =>
    withStore((store) => {
      expect(() => store.getRun('latest')).toThrow(UserError);
      expect(() => store.getRun('nope')).toThrow(/no run "nope"/);
    }));

  it('rejects a file that is not SQLite', () => {
    using dir = tempDir();
    writeFileSync(dir.path('x.db'), 'this is not a database, just text '.repeat(200));
    expect(() => new SqliteStore(dir.path('x.db'))).toThrow(UserError);
  });

  it('rejects a database from a newer schema', () => {
    using dir = tempDir();
    const db = new Database(dir.path('new.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteStore(dir.path('new.db'))).toThrow(/newer govbench/);
  });
});
