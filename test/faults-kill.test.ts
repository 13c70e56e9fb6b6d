/**
 * Issue 7 / SPEC §7: SIGKILL at random points, twenty times in a row, each followed by a resume of the
 * same run; then a last resume finishes it. Nothing the runner reported finished may be lost, and no
 * case may be stored twice or asked again once stored.
 *
 * The CLI spends seconds loading the matcher's dictionary before its first case, and the TypeScript
 * loader another second, so twenty cold starts of `govbench run` would take minutes. The child here is
 * `runBenchmark` with `resume`, the real http-json adapter and a real SQLite file, bundled once with
 * esbuild (tsx's own compiler); test/run-kill-resume.test.ts kills the CLI itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { caseKey, type Target } from '../src/domain/types.js';
import { planFor } from '../src/runner/plan.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const KILLS = 20;
const REPEAT = 60;
const BANK = resolve('test/fixtures/core');
const src = (path: string) => JSON.stringify(resolve('src', path));

/** argv: database, chatbot URL, and `resume` for every start after the first. Prints a line per stored case. */
const CHILD = `
import { loadBanks } from ${src('banks/load-banks.ts')};
import { runBenchmark } from ${src('runner/run.ts')};
import { openStore } from ${src('store/index.ts')};
const [db, url, mode] = process.argv.slice(process.argv.indexOf('-') + 1);
const store = openStore(db);
const judge = { name: 'echo', version: '1', judge: ({ turn }) => ({ status: 'unjudged', judge: 'echo', turn, reason: 'not judged here' }) };
const target = {
  id: 'bot', name: 'bot', region: 'east',
  adapter: { type: 'http-json', url, method: 'POST', headers: {}, reply: '$.answer' },
  limits: { concurrency: 2, timeoutMs: 2000, retries: 0 },
  pos: { file: 't', line: 1, column: 1 },
};
const result = await runBenchmark({
  store, banks: loadBanks([${JSON.stringify(BANK)}]), targets: [target], judges: [judge], judgeMode: 'matcher', repeat: ${REPEAT},
  ...(mode === 'resume' && { resume: store.getRun('latest').id }),
  onEvent: (e) => { if (e.type === 'case-finished') process.stdout.write('case\\n'); },
});
store.close();
process.stdout.write('result ' + JSON.stringify(result) + '\\n');
`;

interface Child {
  child: ChildProcess;
  /** Cases this process reported stored. */
  reported: () => number;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * The child as one ES module, packages left to node_modules. Dynamic imports (browsers, SDKs) stay
 * unresolved: an http-json run never reaches them.
 */
async function bundle(): Promise<string> {
  const out = await build({
    stdin: { contents: CHILD, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    plugins: [{ name: 'lazy', setup: (b) => b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined)) }],
  });
  return out.outputFiles[0]!.text;
}

/** Runs the bundle from stdin in the project folder, where its packages resolve. */
function startChild(code: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--input-type=module', '-', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  // A child killed before it has read all of its code closes the pipe under the write: EPIPE is that
  // kill landing early, not a failure of the run.
  child.stdin!.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  child.stdin!.end(code);
  let out = '';
  let err = '';
  let reported = 0;
  child.stdout!.on('data', (d: Buffer) => {
    const text = d.toString();
    out += text;
    reported += text.split('case\n').length - 1;
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { child, reported: () => reported, exited: new Promise((r) => child.on('exit', (code) => r(code))), output: () => out + err };
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function stored(db: string): { keys: string[]; status: string[]; integrity: string } {
  const conn = new Database(db, { readonly: true, timeout: 5000 });
  try {
    const rows = conn.prepare('SELECT target_id AS targetId, question_id AS questionId, variant, repeat FROM cases').all() as Parameters<typeof caseKey>[0][];
    const status = (conn.prepare('SELECT status FROM runs').all() as { status: string }[]).map((r) => r.status);
    return { keys: rows.map(caseKey), status, integrity: conn.pragma('integrity_check', { simple: true }) as string };
  } finally {
    conn.close();
  }
}

describe('SIGKILL at random points ×20, each followed by --resume', () => {
  it('loses nothing reported stored, stores no case twice, asks no stored case again, and the last resume finishes', async () => {
    let chats = 0;
    const bot = await loopbackServer(async (_req, res, body) => {
      chats += 1;
      await new Promise((r) => setTimeout(r, Math.random() * 6));
      sendJson(res, 200, { answer: `回答：${(JSON.parse(body) as { message: string }).message}` });
    });
    const code = await bundle();
    using dir = tempDir();
    const db = dir.path('g.db');
    const url = `${bot.url}/chat`;
    const banks = loadBanks([BANK]);
    const target = { id: 'bot' } as Target;
    const plan = [...planFor(target, banks.questions, REPEAT)].map(caseKey).sort();
    // The clarify script sends two messages; every other case one.
    const messagesPlanned = plan.length + REPEAT;
    try {
      const counts: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        const before = k === 0 ? 0 : counts.at(-1)!;
        const run = startChild(code, [db, url, k === 0 ? 'new' : 'resume']);
        // Random points: after a random number of stored cases (0 for some: mid-start-up), and a random
        // few milliseconds into whatever the runner is doing then.
        const at = (k === 0 ? 1 : 0) + Math.floor(Math.random() * 6);
        await until(() => run.reported() >= at || run.child.exitCode !== null, `case ${at} of start ${k}`);
        await new Promise((r) => setTimeout(r, Math.random() * 8));
        run.child.kill('SIGKILL');
        expect(await run.exited, run.output()).toBeNull();
        const now = stored(db);
        // Everything the killed process had reported is on disk, and nothing is there twice.
        expect(now.keys.length).toBeGreaterThanOrEqual(before + run.reported());
        expect(new Set(now.keys).size).toBe(now.keys.length);
        expect(now.integrity).toBe('ok');
        counts.push(now.keys.length);
      }
      expect(counts.at(-1)!).toBeLessThan(plan.length);

      const last = startChild(code, [db, url, 'resume']);
      expect(await last.exited, last.output()).toBe(0);
      expect(last.output()).toMatch(new RegExp(`"status":"finished","planned":${plan.length},"done":${plan.length}`));
      const end = stored(db);
      expect(end.keys.sort()).toEqual(plan);
      expect(end.status).toEqual(['finished']);
      expect(end.integrity).toBe('ok');
      // A killed process loses at most its cases in flight: two being asked and up to four asked but not
      // yet committed (the runner's settling bound), two messages at most each. Everything else was
      // asked exactly once.
      expect(chats).toBeGreaterThanOrEqual(messagesPlanned);
      expect(chats).toBeLessThanOrEqual(messagesPlanned + KILLS * (2 + 4) * 2);
    } finally {
      await bot.close();
    }
  }, 90_000);
});
