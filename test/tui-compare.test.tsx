import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { compareFromStore } from '../src/reports/compare/from-store.js';
import { gateSummary } from '../src/reports/compare/markdown.js';
import { openStore } from '../src/store/index.js';
import { Compare } from '../src/tui/compare/compare.js';
import { tempDir } from './helpers.js';
import { KEY, press, seedRun, waitForFrame, type SeedCase } from './tui-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

const QUESTIONS = ['drl-materials-01', 'drl-time-limit-01', 'rp-materials-01', 'rp-time-limit-01', 'rp-eligibility-01'];
const alpha = { id: 'sim-alpha', name: '模拟·甲市', region: 'east' as const };
const beta = { id: 'sim-beta', name: '模拟·乙市', region: 'east' as const };

function cases(target: string, verdicts: ('correct' | 'incorrect')[], reply: (i: number) => string): SeedCase[] {
  return QUESTIONS.map((question, i) => ({ target, question, reply: reply(i), matcher: verdicts[i]! }));
}

function setup() {
  const dir = tempDir();
  const store = openStore(dir.path('g.db'));
  cleanups.push(() => dir[Symbol.dispose](), () => store.close());
  seedRun(store, { id: 'r-base', label: 'v1', judge: 'matcher', targets: [alpha], cases: cases('sim-alpha', ['correct', 'correct', 'correct', 'incorrect', 'correct'], () => '旧版答复') });
  seedRun(store, {
    id: 'r-cand',
    label: 'v2',
    judge: 'matcher',
    targets: [alpha, beta],
    cases: [
      // drl-materials-01 (critical) and rp-eligibility-01 regress; rp-time-limit-01 is fixed.
      ...cases('sim-alpha', ['incorrect', 'correct', 'correct', 'correct', 'incorrect'], (i) => (i === 0 ? '无需许可\u001b[2J，直接开业' : '新版答复')),
      ...cases('sim-beta', ['correct', 'correct', 'correct', 'correct', 'correct'], () => '乙市答复'),
    ],
  });
  const ui = render(<Compare store={store} width={100} height={22} isActive />);
  cleanups.push(() => ui.unmount());
  return { ...ui, store };
}

describe('compare screen', () => {
  it('compares two runs picked with b and c: fixed, regressed and the gate verdict', async () => {
    const { lastFrame, stdin, store } = setup();
    let frame = await waitForFrame(lastFrame, 'r-base (v1)');
    expect(frame).toContain('mark a baseline (b) and a candidate (c) first');
    await press(stdin, KEY.enter);
    expect(lastFrame()).toContain('baseline — · candidate —');
    // Newest first: r-cand, then r-base.
    await press(stdin, 'c', KEY.down, 'b');
    frame = await waitForFrame(lastFrame, 'baseline r-base · candidate r-cand');
    expect(frame).toContain('Enter: compare');
    await press(stdin, KEY.enter);
    frame = await waitForFrame(lastFrame, 'Regressed (2)');
    const expected = gateSummary(compareFromStore(store, 'r-base', 'r-cand')).replace(/\*\*/g, '');
    expect(frame.replace(/\s+/g, ' ')).toContain(expected);
    expect(frame).toContain('REGRESSION');
    expect(frame).toContain('5 pairs · 1 fixed · 2 regressed · 2 unchanged');
    expect(frame).toContain('✗ drl-materials-01 · canonical · critical · sim-alpha: correct → incorrect');
    expect(frame).toContain('答 无需许可，直接开业');
    expect(frame).not.toContain('\u001b[2J');
    await press(stdin, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down);
    frame = await waitForFrame(lastFrame, 'Fixed (1)');
    expect(frame).toContain('✓ rp-time-limit-01 · canonical · sim-alpha: incorrect → correct');
    await press(stdin, KEY.escape);
    await waitForFrame(lastFrame, 'baseline r-base · candidate r-cand');
  });

  it('compares two targets of one run, picked under the run with →', async () => {
    const { lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'r-base (v1)');
    await press(stdin, KEY.right);
    let frame = await waitForFrame(lastFrame, 'sim-beta · 模拟·乙市');
    await press(stdin, KEY.down, 'b', KEY.down, 'c');
    frame = await waitForFrame(lastFrame, 'baseline r-cand:sim-alpha · candidate r-cand:sim-beta');
    await press(stdin, KEY.enter);
    frame = await waitForFrame(lastFrame, '模拟·甲市 → 模拟·乙市 (v2)');
    expect(frame).toContain('5 pairs · 2 fixed · 0 regressed · 3 unchanged');
    expect(frame).toContain('No regression');
  });

  it('shows why a comparison cannot be made', async () => {
    const { lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'r-base (v1)');
    await press(stdin, KEY.right, KEY.down, 'b', KEY.down, KEY.down, KEY.down, 'c', KEY.enter);
    await waitForFrame(lastFrame, 'name a target on both sides or on neither');
  });
});
