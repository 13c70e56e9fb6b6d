/**
 * The terminal UI end to end, as a person drives it: in a real pseudo-terminal (80×24, no tmux
 * needed: see helpers-terminal.ts), launch a run of simulated chatbots judged by the matcher and
 * an LLM (a loopback OpenAI-compatible server), watch it finish, open a transcript, and settle a
 * disagreement in the review queue.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REVIEW_JUDGE } from '../src/domain/types.js';
import { openStore } from '../src/store/index.js';
import { tempDir } from './helpers.js';
import { startOpenAiServer } from './helpers-openai-server.js';
import { ScreenBuffer, startInTerminal, type Terminal } from './helpers-terminal.js';
import { BANK_DIR, TARGETS_FILE } from './tui-helpers.js';

let terminal: Terminal | undefined;
const screen = () => terminal!.screen();

async function keys(...names: string[]): Promise<void> {
  for (const k of names) {
    terminal!.key(k);
    await sleep(80);
  }
}

async function type(text: string): Promise<void> {
  terminal!.type(text);
  await sleep(80);
}

/** Waits for the screen to show `text`; checks on every look that the frame stays within the terminal. */
async function waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    // A frame taller than the terminal scrolls its first line (the tabs) away and makes Ink clear the screen.
    if (s.trim() !== '') expect(s.split('\n')[0]).toMatch(/^govbench {2}1 Launch/);
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${String(text)}; the screen:\n${s}`);
    await sleep(50);
  }
}

/** This process's environment as a terminal user's: Ink draws plain lines when it thinks it runs in CI. */
function interactiveEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
  return env;
}

describe('the screen model the end-to-end test reads', () => {
  it('places wide characters, wraps at the last column, scrolls, and erases as Ink redraws', () => {
    const t = new ScreenBuffer(6, 3);
    // 模拟· takes five columns: 甲, two wide, goes to the next line.
    t.write('模拟·甲\r\n');
    expect(t.text()).toBe('模拟·\n甲\n');
    // Writing the last column defers the wrap; the seventh character scrolls the first line away.
    t.write('abcdefg');
    expect(t.text()).toBe('甲\nabcdef\ng');
    // Ink's eraseLines(2) then the new frame; a sequence split across writes still counts.
    t.write('\u001B[2K\u001B[1A\u001B[');
    t.write('2K\u001B[Gxy');
    expect(t.text()).toBe('甲\nxy\n');
    t.write('\u001B[2J\u001B[3J\u001B[Hz\u001B[31m!\u001B[0m');
    expect(t.text()).toBe('z!\n\n');
  });
});

describe('govbench UI in a terminal', () => {
  const dir = tempDir();
  afterAll(() => {
    terminal?.kill();
    dir[Symbol.dispose]();
  });

  it('launches a run, watches it finish, opens a transcript and records a review', async () => {
    // The LLM judge reads every answer as no answer: wherever the matcher finds one, the judges disagree.
    const llm = await startOpenAiServer({
      json: {
        intentReasoning: 'test double',
        predictedIntent: 'none',
        intentRecognized: false,
        clarifyingQuestion: false,
        keyPointsFound: [],
        factErrors: [],
        contradictionsFound: [],
        reasoning: 'the test double finds nothing',
        verdict: 'no-answer',
      },
    });
    const db = dir.path('govbench.db');
    try {
      terminal = startInTerminal([process.execPath, 'bin/govbench.js', 'ui', '--db', db, '--reviewer', 'e2e'], {
        cols: 80,
        rows: 24,
        env: interactiveEnv({ GOVBENCH_LLM_BASE_URL: llm.baseURL, GOVBENCH_LLM_MODEL: 'test-model' }),
      });
      // Keys count once the form has loaded what it shows.
      await waitFor(/Plan: [1-9]\d* targets/, 15_000);

      // The targets file and the banks, typed in; then the judge: matcher → llm → both.
      // As a person does: look that the field is open, clear it, type, look, keep.
      const fill = async (text: string) => {
        await keys('Enter');
        await waitFor('type · Enter keep');
        await keys('C-u');
        await type(text);
        await waitFor(`${text}▌`);
        await keys('Enter');
      };
      await keys('Home');
      await fill(TARGETS_FILE);
      await waitFor('3 targets');
      await keys('Down', 'Down');
      await fill(BANK_DIR);
      await waitFor('3 of 3 files');
      await keys('Down', 'Down', 'Down', 'Down', 'Right', 'Right');
      await waitFor('‹ both ›');
      expect(screen()).toContain('Plan: 3 targets × 18 cases = 54 cases');

      await keys('End', 'Enter');
      let s = await waitFor('finished — Enter: results', 20_000);
      expect(s).toMatch(/· finished · 54\/54 cases/);
      expect(s).toMatch(/模拟·甲市 █+ +18\/18/);

      await keys('Enter');
      await waitFor(/#\s+Target\s+Grade/);
      await keys('Enter');
      await waitFor(/\(sim-\w+\) · \w+ · 18 cases/);
      await keys('Enter');
      s = await waitFor('Verdicts');
      expect(s).toMatch(/llm: no-answer · intent missed/);
      expect(s).toMatch(/matcher: \w+/);

      await keys('4');
      s = await waitFor(/\d+ to review · reviewer e2e/);
      const before = Number(/(\d+) to review/.exec(s)![1]);
      expect(before).toBeGreaterThan(0);
      await keys('m');
      s = await waitFor(/recorded: case \d+ turn \d+ is \w+/);
      const decided = Number(/recorded: case (\d+)/.exec(s)![1]);

      await keys('q');
      expect(await terminal.exited).toBe(0);

      const store = openStore(db);
      try {
        expect(store.verdictsOf(decided).find((v) => v.judge === REVIEW_JUDGE)).toMatchObject({ rationale: expect.stringMatching(/^reviewer \(e2e\) accepted the matcher verdict/) });
        expect(store.listRuns()[0]).toMatchObject({ status: 'finished', judge: 'both' });
      } finally {
        store.close();
      }
      // Who decided is recorded with the verdict in the file, beyond what the Store hands out.
      const conn = new Database(db, { readonly: true });
      expect(conn.prepare(`SELECT judge_version AS version FROM verdicts WHERE case_id = ? AND judge = ?`).get(decided, REVIEW_JUDGE)).toEqual({ version: 'human:e2e' });
      conn.close();
    } finally {
      await llm.close();
    }
  }, 40_000);
});
