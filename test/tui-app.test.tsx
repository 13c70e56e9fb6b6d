import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { caseKey, type Store } from '../src/domain/types.js';
import { openStore } from '../src/store/index.js';
import { App } from '../src/tui/app.js';
import { tempDir } from './helpers.js';
import { BANK_DIR, KEY, press, TARGETS_FILE, waitForFrame } from './tui-helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** One simulated target slow enough (18 cases one at a time, 40 ms each) to pause and stop mid-run. */
const SLOW_TARGETS = `
personas:
  steady: { description: steady, keyPointRate: 1, latency: { medianMs: 40, jitterMs: 0 } }
targets:
  - { id: sim-slow, name: 模拟·慢市, region: east, simulated: true, adapter: { type: simulated, persona: steady }, limits: { concurrency: 1, timeoutMs: 2000, retries: 0 } }
`;

function setup(targetsFile = TARGETS_FILE) {
  const dir = tempDir({ 'slow.yaml': SLOW_TARGETS });
  const store = openStore(dir.path('g.db'));
  const exits: number[] = [];
  const ui = render(
    <App
      store={store}
      dbPath={dir.path('g.db')}
      reviewer="ann"
      launch={{ targetsFile: targetsFile === 'slow' ? dir.path('slow.yaml') : targetsFile, bankPath: BANK_DIR }}
      onExit={(c) => exits.push(c)}
    />,
  );
  cleanups.push(
    () => dir[Symbol.dispose](),
    () => store.close(),
    async () => {
      // A test that failed mid-run leaves it going: stop it before the store closes.
      if (exits.length === 0) {
        await press(ui.stdin, KEY.ctrlC);
        await waitForFrame(() => String(exits.length), '1', 10_000);
      }
      ui.unmount();
    },
  );
  return { ...ui, store, exits };
}

const casesOf = (store: Store, runId: string) => ({
  n: store.countCases(runId),
  distinctCases: new Set([...store.caseRecords(runId, 'matcher')].map(caseKey)).size,
});

describe('the terminal UI', () => {
  it('launches a run, shows it live to the end, opens its results and a transcript, and quits with 0', async () => {
    const { lastFrame, stdin, store, exits } = setup();
    await waitForFrame(lastFrame, 'Plan: 3 targets × 18 cases = 54 cases');
    expect(lastFrame()).toMatch(/ 1 Launch .* 2 Run .* 3 Results/);
    await press(stdin, KEY.enter);
    let frame = await waitForFrame(lastFrame, 'finished — Enter: results', 15_000);
    expect(frame).toMatch(/· finished · 54\/54 cases/);
    expect(frame).toMatch(/模拟·甲市 .* 18\/18 .*acc 100/);
    const [run] = store.listRuns();
    expect(run).toMatchObject({ status: 'finished', judge: 'matcher' });
    expect(run!.options).toMatchObject({ banks: [resolve(BANK_DIR)], targets: resolve(TARGETS_FILE), target: [], judge: 'matcher', repeat: 1 });
    await press(stdin, KEY.enter);
    frame = await waitForFrame(lastFrame, /#\s+Target\s+Grade/);
    expect(frame).toContain(`run ${run!.id} · finished · judge matcher · 54 cases`);
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, /\(sim-\w+\) · \w+ · 18 cases/);
    await press(stdin, KEY.enter);
    frame = await waitForFrame(lastFrame, 'Verdicts');
    expect(frame).toMatch(/matcher: (correct|partial|incorrect|no-answer) · intent/);
    await press(stdin, '4');
    await waitForFrame(lastFrame, ' to review · reviewer');
    await press(stdin, 'q');
    await waitForFrame(() => exits.join(','), '0');
  });

  it('pauses with p and resumes with p: the run stays running, every planned case done exactly once', async () => {
    const { lastFrame, stdin, store } = setup('slow');
    await waitForFrame(lastFrame, 'Plan: 1 targets × 18 cases');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, /running · [1-9]\d*\/18 cases/);
    await press(stdin, 'p');
    await waitForFrame(lastFrame, 'paused — p resume · q stop');
    const runId = store.listRuns()[0]!.id;
    expect(store.getRun(runId).status).toBe('running');
    const atPause = casesOf(store, runId).n;
    expect(atPause).toBeLessThan(18);
    await sleep(200);
    expect(casesOf(store, runId).n).toBe(atPause);
    await press(stdin, 'p');
    await waitForFrame(lastFrame, 'finished — Enter: results', 10_000);
    expect(casesOf(store, runId)).toEqual({ n: 18, distinctCases: 18 });
    expect(store.getRun(runId).status).toBe('finished');
  });

  it('stops with q, then resumes the run from the launch screen', async () => {
    const { lastFrame, stdin, store, exits } = setup('slow');
    await waitForFrame(lastFrame, 'Plan: 1 targets × 18 cases');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, /running · [1-9]\d*\/18 cases/);
    await press(stdin, 'q');
    const frame = await waitForFrame(lastFrame, 'stopped — resume from Launch (1)');
    const runId = store.listRuns()[0]!.id;
    expect(frame).toContain(`govbench run --resume ${runId}`);
    expect(store.getRun(runId).status).toBe('interrupted');
    expect(exits).toEqual([]);
    await press(stdin, '1');
    await waitForFrame(lastFrame, `Resume ${runId}`);
    await press(stdin, KEY.end, KEY.enter);
    await waitForFrame(lastFrame, 'finished — Enter: results', 10_000);
    expect(casesOf(store, runId)).toEqual({ n: 18, distinctCases: 18 });
    await press(stdin, 'q');
    await waitForFrame(() => exits.join(','), '0');
  });

  it('stops a running run when quitting with Ctrl-C and exits 3 (resumable)', async () => {
    const { lastFrame, stdin, store, exits } = setup('slow');
    await waitForFrame(lastFrame, 'Plan: 1 targets × 18 cases');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, /running · [1-9]\d*\/18 cases/);
    // q on the Run screen stops the run, not the app; Ctrl-C quits from anywhere.
    await press(stdin, '3', KEY.ctrlC);
    await waitForFrame(() => exits.join(','), '3', 10_000);
    expect(store.getRun(store.listRuns()[0]!.id).status).toBe('interrupted');
  });

  it('shows why a run could not start', async () => {
    const { lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, '3 targets');
    await press(stdin, KEY.up, KEY.up, KEY.up, KEY.right, KEY.end, KEY.enter);
    const frame = await waitForFrame(lastFrame, 'failed:');
    expect(frame).toContain('needs an OpenAI-compatible endpoint for the LLM judge');
  });
});
