/**
 * What only the SQLite store does: the file, its schema and journal, and the clear refusals of a file
 * it cannot use. What every store does is in store-contract.test.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Target } from '../src/domain/types.js';
import { openStore } from '../src/store/index.js';
import { SCHEMA_VERSION } from '../src/store/sqlite/migrations.js';
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

/** The UserError `fn` throws. */
function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('the SQLite store', () => {
  it('creates the schema at the latest version in WAL mode, in a folder it makes', () => {
    using dir = tempDir();
    const path = dir.path('nested/govbench.db');
    openStore(path).close();
    const conn = new Database(path, { readonly: true });
    try {
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(conn.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const indexes = conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'`).pluck().all();
      expect(indexes).toEqual(expect.arrayContaining(['cases_by_target', 'cases_by_run']));
      // Indexes no query uses cost a page write per saved case.
      expect(indexes).not.toEqual(expect.arrayContaining(['cases_by_matter']));
      expect(indexes).not.toEqual(expect.arrayContaining(['cases_by_intent']));
    } finally {
      conn.close();
    }
  });

  it('keeps data across reopening', () => {
    using dir = tempDir();
    const path = dir.path('g.db');
    const a = openStore(path);
    a.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: {}, targets: [{ target, planned: 1 }] });
    a.judgeCache.set({ key: 'k', judge: 'llm', model: 'm', rubricHash: 'h', verdict: { status: 'judged', judge: 'llm', turn: 0, intentRecognized: true, predictedIntent: null, verdict: 'correct', accuracy: 1, keyPointsHit: [], factErrors: [], contradictions: [], rationale: 'r' } });
    a.close();
    const b = openStore(path, { existing: true });
    try {
      expect(b.path).toBe(path);
      expect(b.listRuns().map((r) => r.id)).toEqual(['r1']);
      expect(b.runTargets('r1')[0]).toMatchObject({ id: 't1', name: '甲市', adapterType: 'http-json', planned: 1 });
      expect(b.judgeCache.get('k')?.verdict).toBe('correct');
    } finally {
      b.close();
    }
  });

  it('keeps the connection to itself', () => {
    const store = openStore(':memory:');
    try {
      expect(Object.keys(store)).not.toContain('db');
      expect((store as unknown as Record<string, unknown>).db).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('refuses to store a case twice with the database’s own constraint', () => {
    const store = openStore(':memory:');
    try {
      store.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: {}, targets: [{ target, planned: 1 }] });
      const turn = { index: 0, user: '问', reply: '答', raw: '答', ok: true, firstMs: 1, totalMs: 2, attempts: 1 };
      const save = () =>
        store.saveCase({ runId: 'r1', case: { targetId: 't1', questionId: 'q1', variant: 0, style: 'canonical', repeat: 1 }, question: { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: false }, turns: [turn], verdicts: [] });
      save();
      expect(save).toThrow(/UNIQUE constraint failed: cases/);
    } finally {
      store.close();
    }
  });

  describe('refuses a file it cannot use, as a user error naming it, and leaves it as it was', () => {
    it('a path with no database, when only reading: neither the file nor its folder is made', () => {
      using dir = tempDir();
      const path = dir.path('typo/g.db');
      const err = userError(() => openStore(path, { existing: true }));
      expect(err.message).toBe(`${path}: no such database`);
      expect(err.hint).toBe('pass the --db a run wrote to (default results/govbench.db)');
      expect(existsSync(dir.path('typo'))).toBe(false);
    });

    it('a folder', () => {
      using dir = tempDir();
      mkdirSync(dir.path('g.db'));
      const err = userError(() => openStore(dir.path('g.db')));
      expect(err.message).toBe(`${dir.path('g.db')}: not a govbench database (unable to open database file)`);
      expect(err.hint).toBe('pass another --db file');
    });

    it('a file that is not SQLite', () => {
      using dir = tempDir();
      const text = 'this is not a database, just text '.repeat(200);
      writeFileSync(dir.path('x.db'), text);
      const err = userError(() => openStore(dir.path('x.db')));
      expect(err.message).toBe(`${dir.path('x.db')}: not a govbench database (file is not a database)`);
      expect(readFileSync(dir.path('x.db'), 'utf8')).toBe(text);
    });

    it('a database from a newer govbench: its journal mode is not touched', () => {
      using dir = tempDir();
      const path = dir.path('new.db');
      const db = new Database(path);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      const err = userError(() => openStore(path));
      expect(err.message).toBe(`${path}: written by a newer govbench (schema ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION})`);
      expect(err.hint).toBe('upgrade govbench or pass another --db file');
      const conn = new Database(path, { readonly: true });
      expect(conn.pragma('journal_mode', { simple: true })).toBe('delete');
      conn.close();
    });

    it('a database another connection holds for longer than the busy timeout, as another process would', () => {
      using dir = tempDir();
      const path = dir.path('held.db');
      const holder = new Database(path);
      holder.exec('CREATE TABLE held (x); BEGIN EXCLUSIVE; INSERT INTO held VALUES (1)');
      try {
        const t0 = performance.now();
        const err = userError(() => openStore(path, { busyTimeoutMs: 400 }));
        // It waited (a load can only lengthen the wait), then said how long.
        expect(performance.now() - t0).toBeGreaterThanOrEqual(350);
        expect(err.message).toBe(`${path}: locked by another process for over 0.4 s`);
        expect(err.hint).toBe('try again when it is done');
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
    }, 20_000);
  });
});
