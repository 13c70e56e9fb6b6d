import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { clarifyingBot } from './helpers-scenarios.js';

const CHILD = 'test/scenario-kill-child.ts';

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, done, stderr: () => err };
}

/** Scenario ids of the conversations stored, from the database another process writes. */
function storedScenarios(db: string): string[] {
  try {
    const conn = new Database(db, { readonly: true, timeout: 5000 });
    try {
      return (conn.prepare('SELECT c.question_id AS id FROM conversations v JOIN cases c ON c.id = v.case_id').all() as { id: string }[]).map((r) => r.id);
    } finally {
      conn.close();
    }
  } catch {
    return []; // not created yet
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a scenario run killed mid-run', () => {
  it('is finished by a resume that plays only the conversations not committed, each scenario once', async () => {
    const bot = await clarifyingBot('re-asker', { delayMs: 40 });
    using dir = tempDir();
    const db = dir.path('g.db');
    try {
      const first = start([dir.dir, db, `${bot.server.url}/chat`]);
      await waitFor(() => storedScenarios(db).length >= 3, 20_000);
      first.child.kill('SIGKILL');
      expect(await first.done).toBeNull();
      const before = new Set(storedScenarios(db));
      expect(before.size).toBeLessThan(12);
      const sessionsBefore = new Set(bot.sessions.keys());

      const resumed = start([dir.dir, db, `${bot.server.url}/chat`, 'r-kill']);
      expect(await resumed.done, resumed.stderr()).toBe(0);
      const after = storedScenarios(db);
      expect(after.slice().sort()).toEqual(Array.from({ length: 12 }, (_, i) => `bp-scn-${i + 1}`).sort());
      // What the resume played: no scenario committed before the kill (each gives its own boat length).
      const lengths = [...bot.sessions.entries()].filter(([id]) => !sessionsBefore.has(id)).map(([, s]) => s.length);
      const replayed = [...before].filter((id) => lengths.includes(String(4 + Number(id.split('-').at(-1)))));
      expect(replayed).toEqual([]);
      expect(lengths.length).toBeGreaterThanOrEqual(12 - before.size);
      const conn = new Database(db, { readonly: true });
      try {
        expect(conn.prepare(`SELECT status FROM runs WHERE id = 'r-kill'`).pluck().get()).toBe('finished');
        expect(conn.prepare(`SELECT count(*) FROM conversations WHERE ended = 'goal'`).pluck().get()).toBe(12);
      } finally {
        conn.close();
      }
    } finally {
      await bot.server.close();
    }
  });
});
