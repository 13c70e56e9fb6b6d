import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { countPlan } from '../src/runner/plan.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const BIN = resolve('bin/govbench.js');
const BANK = resolve('test/fixtures/core');
const REPEAT = 40;

function start(args: string[]): { child: ChildProcess; done: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, done, stderr: () => err };
}

function countCases(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, timeout: 5000 });
    try {
      return (conn.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // not created yet
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a run killed at any moment', () => {
  it('is finished by --resume with every planned case exactly once (SIGKILL ×3), and Ctrl-C exits 3', async () => {
    const server = await loopbackServer(async (_req, res, body) => {
      await new Promise((r) => setTimeout(r, 15));
      sendJson(res, 200, { answer: `回答：${(JSON.parse(body) as { message: string }).message}` });
    });
    using dir = tempDir();
    const targets = dir.path('targets.yaml');
    writeFileSync(
      targets,
      `targets:\n  - id: bot\n    name: 测试机器人\n    region: east\n    adapter: { type: http-json, url: "${server.url}/chat", reply: $.answer }\n    limits: { concurrency: 2, timeoutMs: 2000, retries: 0 }\n`,
    );
    const db = dir.path('g.db');
    const planned = countPlan(loadBanks([BANK]).questions, REPEAT);
    try {
      const first = start(['run', '--bank', BANK, '--targets', targets, '--repeat', String(REPEAT), '--db', db]);
      const kills: number[] = [];
      let run = first;
      for (let k = 0; k < 3; k++) {
        const before = countCases(db);
        const at = before + 5 + Math.floor(Math.random() * 20);
        await waitFor(() => countCases(db) >= at, 20_000);
        run.child.kill('SIGKILL');
        expect(await run.done).toBeNull();
        kills.push(countCases(db));
        run = start(['run', '--resume', 'latest', '--db', db]);
      }
      // The last resume is interrupted politely, then finished.
      await waitFor(() => countCases(db) >= kills.at(-1)! + 5, 20_000);
      run.child.kill('SIGINT');
      expect(await run.done).toBe(3);
      expect(run.stderr()).toMatch(/govbench run --resume r\S+ --db/);
      const final = start(['run', '--resume', 'latest', '--db', db]);
      expect(await final.done).toBe(0);

      const conn = new Database(db, { readonly: true });
      const rows = conn.prepare('SELECT question_id, variant, repeat FROM cases').all() as { question_id: string; variant: number; repeat: number }[];
      const status = (conn.prepare('SELECT status FROM runs').all() as { status: string }[]).map((r) => r.status);
      conn.close();
      const keys = rows.map((r) => `${r.question_id}/${r.variant}/${r.repeat}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(planned);
      expect(status).toEqual(['finished']);
      expect(kills.every((n, i) => i === 0 || n >= kills[i - 1]!)).toBe(true);
    } finally {
      await server.close();
    }
  }, 90_000);
});
