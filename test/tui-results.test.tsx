import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { fmtRank } from '../src/reports/format.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { recordReview } from '../src/judge/review-decision.js';
import { openStore } from '../src/store/index.js';
import { Results } from '../src/tui/results/results.js';
import { tempDir } from './helpers.js';
import { banks, KEY, press, seedRun, waitForFrame, type SeedCase } from './tui-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

const HOSTILE = '\u001b[31m请携带身份证\u001b]0;pwned\u0007和照片\u001b[2J办理';

function alphaBeta(): SeedCase[] {
  const cases: SeedCase[] = [];
  for (const variant of [0, 1, 2, 3]) {
    cases.push({ target: 'sim-alpha', question: 'drl-materials-01', variant, reply: '需要申请表、营业执照、执业药师证明', matcher: 'correct', llm: 'correct', keyPoints: ['form', 'licence', 'pharmacist'] });
    cases.push({ target: 'sim-beta', question: 'drl-materials-01', variant, reply: '请拨打12345', matcher: 'no-answer', llm: variant === 0 ? 'partial' : variant === 3 ? 'correct' : 'no-answer', failure: 'declined-in-scope' });
  }
  cases.push({ target: 'sim-alpha', question: 'rp-materials-01', reply: HOSTILE, matcher: 'partial', llm: 'correct', keyPoints: ['id-card', 'photo'] });
  cases.push({ target: 'sim-beta', question: 'rp-materials-01', reply: '', failed: true });
  cases.push({ target: 'sim-gamma', question: 'rp-time-limit-01', reply: '十五日内核发', matcher: 'partial', llm: 'partial', keyPoints: ['days'] });
  return cases;
}

function setup(runId: string | null = null) {
  const dir = tempDir();
  const store = openStore(dir.path('g.db'));
  cleanups.push(() => dir[Symbol.dispose](), () => store.close());
  seedRun(store, { id: 'r-old', label: 'last quarter', judge: 'matcher', targets: [{ id: 'sim-alpha', name: '模拟·甲市', region: 'east' }], cases: [{ target: 'sim-alpha', question: 'rp-time-limit-01', reply: '十五日', matcher: 'correct' }] });
  seedRun(store, {
    id: 'r-both',
    label: 'both judges',
    judge: 'both',
    targets: [
      { id: 'sim-alpha', name: '模拟·甲市', region: 'east' },
      { id: 'sim-beta', name: '模拟·乙市\u001b[5m', region: 'east' },
      { id: 'sim-gamma', name: '模拟·丙市', region: 'north' },
    ],
    cases: alphaBeta(),
  });
  const selected: string[] = [];
  const ui = render(<Results store={store} runId={runId} width={110} height={22} isActive onSelectRun={(id) => selected.push(id)} />);
  cleanups.push(() => ui.unmount());
  return { ...ui, store, selected };
}

describe('results screen', () => {
  it('shows the newest run as a leaderboard with ranks, ties, grades and intervals', async () => {
    const { lastFrame, store } = setup();
    const frame = await waitForFrame(lastFrame, 'Leaderboard');
    expect(frame).toContain('run r-both (both judges) · finished · judge both · 11 cases · 1 failures');
    expect(frame).toMatch(/#\s+Target\s+Grade\s+Tech\s+95% CI\s+Acc\s+Intent\s+Avail/);
    const model = loadReportModel(store, 'r-both');
    for (const t of model.targets) {
      const line = frame.split('\n').find((l) => l.includes(t.id === 'sim-beta' ? '模拟·乙市' : t.name))!;
      expect(line.trim().startsWith(fmtRank(t.rank, t.tied))).toBe(true);
      expect(line).toContain(t.grade!);
      expect(line).toContain(`${t.intervals.technicalSupport![0].toFixed(1)}–${t.intervals.technicalSupport![1].toFixed(1)}`);
    }
    expect(model.targets[0]!.id).toBe('sim-alpha');
    expect(frame).not.toContain('\u001b[5m');
    if (model.targets.some((t) => t.tied)) expect(frame).toContain('= tied: their rank intervals overlap');
  });

  it('switches to regions, matters (by name), robustness and pain points with the arrows', async () => {
    const { lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'Leaderboard');
    await press(stdin, KEY.right);
    let frame = await waitForFrame(lastFrame, /Region\s+Targets\s+Tech/);
    expect(frame).toMatch(/华东 east\s+2 .*模拟·甲市/);
    expect(frame).toMatch(/华北 north\s+1 .*模拟·丙市/);
    await press(stdin, KEY.right);
    frame = await waitForFrame(lastFrame, /Matter\s+Cases/);
    expect(frame).toMatch(/药品零售企业《药品经营许可证》核发\s+8/);
    expect(frame).toMatch(/居住证办理\s+3/);
    await press(stdin, KEY.right);
    frame = await waitForFrame(lastFrame, /Phrasing\s+Cases/);
    expect(frame).toMatch(/canonical\s+5/);
    expect(frame).toMatch(/colloquial\s+2/);
    expect(frame).toContain('positive is worse');
    await press(stdin, KEY.right);
    await waitForFrame(lastFrame, /Kind\s+Matter\s+Aspect\s+Cases\s+Share/);
    await press(stdin, KEY.right);
    await waitForFrame(lastFrame, /#\s+Target\s+Grade/);
  });

  it('lists pain points and drills from one to its cases across targets, then to a transcript', async () => {
    const { lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'Leaderboard');
    await press(stdin, KEY.left);
    let frame = await waitForFrame(lastFrame, /Kind\s+Matter\s+Aspect\s+Cases\s+Share/);
    // The judge of record (llm) found three of sim-beta's four answers declined; one reply never came.
    const rows = frame.split('\n').filter((l) => /推诿 declined-in-scope|HTTP 错误 http-status/.test(l));
    expect(rows).toHaveLength(2);
    // Ranked by share of the aspect's cases: 1 of 2, then 3 of 8.
    expect(rows[0]).toMatch(/HTTP 错误 http-status\s+居住证办理.*\s+1\s+50%\s+1/);
    expect(rows[1]).toMatch(/推诿 declined-in-scope\s+药品零售企业.*\s+3\s+38%\s+1/);
    await press(stdin, KEY.down, KEY.enter);
    frame = await waitForFrame(lastFrame, '推诿 declined-in-scope · drug-retail-license/materials · 3 cases');
    const caseRows = frame.split('\n').filter((l) => l.includes('drl-materials-01'));
    expect(caseRows).toHaveLength(3);
    for (const r of caseRows) expect(r).toMatch(/sim-beta\s+\d+\s+drl-materials-01/);
    expect(caseRows.map((r) => r.match(/(partial|no-answer|correct)/)?.[1])).toEqual(['partial', 'no-answer', 'no-answer']);
    await press(stdin, KEY.enter);
    frame = await waitForFrame(lastFrame, 'Verdicts');
    expect(frame).toContain('sim-beta · drl-materials-01 · canonical');
    await press(stdin, KEY.escape, KEY.escape);
    await waitForFrame(lastFrame, /Kind\s+Matter\s+Aspect/);
  });

  it('opens a target, then one case: the transcript with every verdict and the key points, escapes removed', async () => {
    const { lastFrame, stdin, store } = setup();
    await waitForFrame(lastFrame, 'Leaderboard');
    await press(stdin, KEY.enter);
    let frame = await waitForFrame(lastFrame, '模拟·甲市 (sim-alpha) · excellent · 5 cases');
    expect(frame).toMatch(/drl-materials-01\s+colloquial\s+1\s+correct\s+1\.00/);
    await press(stdin, KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    frame = await waitForFrame(lastFrame, 'Verdicts');
    expect(frame).toContain('sim-alpha · rp-materials-01 · canonical');
    expect(frame).toContain('问  申领居住证需要提交哪些材料？');
    expect(frame).toContain('答  请携带身份证和照片办理');
    expect(frame).not.toMatch(/\u001b\[2J|\]0;pwned|\u0007/);
    // The judge of record (llm) first, then the matcher; key points by their text, with those missed.
    expect(frame).toMatch(/llm: correct · intent recognized · accuracy 1\.00[\s\S]*matcher: partial/);
    expect(frame).toContain('key points: ✓ 居民身份证 ✓ 证件照片 ✗ 居住证明 ✗ 就业或就读证明');
    expect(frame).toContain('why: matcher says partial');

    // A reviewer's decision is listed first, over both judges.
    const item = store.reviewQueue('r-both').find((q) => q.questionId === 'rp-materials-01')!;
    recordReview(store, item, { verdict: 'incorrect', intentRecognized: true, note: 'photo rules differ' }, 'ann');
    await press(stdin, KEY.escape, KEY.enter);
    frame = await waitForFrame(lastFrame, 'review: incorrect');
    expect(frame).toMatch(/review: incorrect[\s\S]*llm: correct[\s\S]*matcher: partial/);
    await press(stdin, KEY.escape, KEY.escape);
    await waitForFrame(lastFrame, 'Leaderboard');
  });

  it('lists only the cases that are not correct with f', async () => {
    const { lastFrame, stdin, store } = setup();
    await waitForFrame(lastFrame, 'Leaderboard');
    const at = loadReportModel(store, 'r-both').targets.findIndex((t) => t.id === 'sim-beta');
    await press(stdin, ...Array<string>(at).fill(KEY.down), KEY.enter);
    let frame = await waitForFrame(lastFrame, '(sim-beta) · poor · 5 cases');
    expect(frame).toMatch(/drl-materials-01\s+indirect\s+1\s+correct/);
    await press(stdin, 'f');
    frame = await waitForFrame(lastFrame, '4 cases not correct');
    expect(frame).not.toMatch(/indirect\s+1\s+correct/);
    expect(frame).toMatch(/rp-materials-01\s+canonical\s+1\s+http-status/);
  });

  it('picks another run with r', async () => {
    const { lastFrame, stdin, selected } = setup();
    await waitForFrame(lastFrame, 'Leaderboard');
    await press(stdin, 'r');
    const frame = await waitForFrame(lastFrame, /Pick a run[\s\S]*r-old/);
    expect(frame).toMatch(/r-both\s+finished\s+both/);
    expect(frame).toMatch(/r-old\s+finished\s+matcher/);
    await press(stdin, KEY.down, KEY.enter);
    expect(selected).toEqual(['r-old']);
    await waitForFrame(lastFrame, 'Leaderboard');
  });

  it('says what to do when the database has no runs', async () => {
    using dir = tempDir();
    const store = openStore(dir.path('empty.db'));
    const ui = render(<Results store={store} runId={null} width={100} height={20} isActive onSelectRun={() => {}} />);
    await waitForFrame(ui.lastFrame, 'no runs yet');
    ui.unmount();
    store.close();
    expect(banks.questions.length).toBeGreaterThan(0);
  });
});
