/**
 * Issue 7: several processes writing one results database at once. SQLite in WAL mode serialises the
 * writers; the store must wait for the lock (busy timeout) rather than fail, and must not trip over
 * another process creating the schema at the same moment.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { countPlan } from '../src/runner/plan.js';
import { SCHEMA_VERSION } from '../src/store/sqlite/migrations.js';
import { openStore } from '../src/store/index.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const BIN = resolve('bin/govbench.js');
const BANK = resolve('test/fixtures/core');

function exec(args: string[], onLine?: (line: string) => unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = (stdout.slice(stdout.lastIndexOf('\n') + 1) + d.toString()).split('\n').slice(0, -1);
    stdout += d.toString();
    if (onLine) for (const line of lines) onLine(line);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
}

describe('two processes on one database', () => {
  it('opening a new database at the same instant: the schema made once, no "table already exists", no "database is locked"', async () => {
    const PROCESSES = 4;
    const ROUNDS = 16;
    using dir = tempDir();
    const go = dir.path('go');
    // Each process loads, says so, waits for the start time, then opens database i at start + i × 40 ms:
    // every round is a race between all of them.
    writeFileSync(
      dir.path('open.mts'),
      `import { existsSync, readFileSync } from 'node:fs';
       import { openStore } from ${JSON.stringify(pathToFileURL(resolve('src/store/index.ts')).href)};
       console.log('ready');
       while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 5));
       const start = Number(readFileSync(${JSON.stringify(go)}, 'utf8'));
       for (let i = 0; i < ${ROUNDS}; i++) {
         while (Date.now() < start + i * 40) {}
         try { openStore(${JSON.stringify(dir.dir)} + '/db-' + i + '.db').close(); console.log('ok'); }
         catch (err) { console.log('failed: ' + err.message); }
       }`,
    );
    let ready = 0;
    const startAll = (line: string) => line === 'ready' && ++ready === PROCESSES && writeFileSync(go, String(Date.now() + 50));
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => exec(['--import', 'tsx', dir.path('open.mts')], startAll)));
    const lines = results.flatMap((r) => r.stdout.trim().split('\n').filter((l) => l !== 'ready'));
    expect(results.map((r) => r.stderr).join('')).toBe('');
    expect(lines).toEqual(Array(PROCESSES * ROUNDS).fill('ok'));
    for (let i = 0; i < ROUNDS; i++) {
      const conn = new Database(dir.path(`db-${i}.db`), { readonly: true });
      expect(conn.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
      conn.close();
    }
  }, 30_000);

  it('waits for another process that holds a new database, instead of calling it "not a govbench database"', async () => {
    using dir = tempDir();
    const db = dir.path('g.db');
    // The other process creates the file (not yet WAL) and holds the write lock for 400 ms; just before
    // it lets go, it leaves a mark, so a store that opened without waiting finds no mark yet.
    const released = dir.path('released');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(db)}); db.exec('BEGIN IMMEDIATE; CREATE TABLE held (x)'); console.log('locked'); setTimeout(() => { require('fs').writeFileSync(${JSON.stringify(released)}, ''); db.exec('COMMIT'); }, 400);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => holder.on('exit', r));
    await new Promise((r) => holder.stdout.once('data', r));
    const store = openStore(db);
    try {
      expect(existsSync(released)).toBe(true);
      expect(store.listRuns()).toEqual([]);
      const conn = new Database(db, { readonly: true });
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(conn.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      conn.close();
    } finally {
      store.close();
      await exited;
    }
  });

  it('two `govbench run` at once: both finish, every case of each stored once, the file intact, no SQLITE_BUSY', async () => {
    const REPEAT = 25;
    // The bot holds every answer until both runs are asking, so their commits interleave.
    const seen = new Set<string>();
    const held: (() => void)[] = [];
    const bot = await loopbackServer((req, res, body) => {
      const reply = () => sendJson(res, 200, { answer: `回答：${(JSON.parse(body) as { message: string }).message}` });
      seen.add(req.url ?? '');
      if (seen.size < 2) return void held.push(reply);
      held.splice(0).forEach((f) => f());
      reply();
    });
    using dir = tempDir();
    const targets = (path: string) => {
      const file = dir.path(`targets${path}.yaml`);
      writeFileSync(
        file,
        `targets:\n  - id: bot\n    name: 机器人\n    region: east\n    adapter: { type: http-json, url: "${bot.url}/${path}", reply: $.answer }\n    limits: { concurrency: 4, timeoutMs: 10000, retries: 0 }\n`,
      );
      return file;
    };
    const db = dir.path('shared.db');
    try {
      const runs = await Promise.all(
        ['a', 'b'].map((p) => exec([BIN, 'run', '--bank', BANK, '--targets', targets(p), '--repeat', String(REPEAT), '--db', db, '--json'])),
      );
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toMatch(/SQLITE_BUSY|database is locked/i);
      }
      const planned = countPlan(loadBanks([BANK]).questions, REPEAT);
      const conn = new Database(db, { readonly: true });
      try {
        expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
        const runRows = conn.prepare('SELECT id, status FROM runs').all() as { id: string; status: string }[];
        expect(runRows.map((r) => r.status)).toEqual(['finished', 'finished']);
        const spans: [string, string][] = [];
        for (const { id } of runRows) {
          const c = conn
            .prepare(
              `SELECT count(*) AS n, count(DISTINCT question_id || '/' || variant || '/' || repeat) AS keys,
                      min(finished_at) AS first, max(finished_at) AS last FROM cases WHERE run_id = ?`,
            )
            .get(id) as { n: number; keys: number; first: string; last: string };
          expect(c).toMatchObject({ n: planned, keys: planned });
          spans.push([c.first, c.last]);
        }
        // The two runs were writing during the same stretch of time.
        expect(spans[0]![0] < spans[1]![1] && spans[1]![0] < spans[0]![1]).toBe(true);
      } finally {
        conn.close();
      }
    } finally {
      await bot.close();
    }
  }, 60_000);
});
