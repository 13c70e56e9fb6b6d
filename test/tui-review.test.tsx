import { render } from 'ink-testing-library';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { REVIEW_JUDGE, type Store } from '../src/domain/types.js';
import { openStore } from '../src/store/index.js';
import { Review } from '../src/tui/review/review.js';
import { tempDir } from './helpers.js';
import { KEY, press, seedRun, waitForFrame } from './tui-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function setup(judge: 'both' | 'matcher' = 'both') {
  const dir = tempDir();
  const store = openStore(dir.path('g.db'));
  cleanups.push(() => dir[Symbol.dispose](), () => store.close());
  const ids = seedRun(store, {
    id: 'r1',
    judge,
    targets: [{ id: 'sim-alpha', name: '模拟·甲市', region: 'east' }],
    cases: [
      { target: 'sim-alpha', question: 'drl-materials-01', reply: '需要申请表\u001b[8m和营业执照\u001b]52;c;cGF3bmVk\u0007', matcher: 'partial', llm: 'correct', keyPoints: ['form', 'licence'] },
      { target: 'sim-alpha', question: 'drl-time-limit-01', reply: '二十个工作日', matcher: 'correct', llm: 'correct' },
      { target: 'sim-alpha', question: 'rp-materials-01', reply: '请咨询窗口', matcher: 'no-answer', llm: 'partial' },
      { target: 'sim-alpha', question: 'rp-time-limit-01', reply: '十五日', matcher: 'correct', llm: 'incorrect' },
    ].map((c) => (judge === 'both' ? c : { ...c, llm: undefined })) as Parameters<typeof seedRun>[1]['cases'],
  });
  const ui = render(<Review store={store} runId="r1" reviewer="ann" width={100} height={22} isActive />);
  cleanups.push(() => ui.unmount());
  return { ...ui, store, ids };
}

/** The reviewer's verdict on a case, and the version it was saved under (who decided: in the file, not in the Store contract). */
function reviewed(store: Store, caseId: number) {
  const v = store.verdictsOf(caseId).find((x) => x.judge === REVIEW_JUDGE);
  if (v?.status !== 'judged') return undefined;
  const conn = new Database(store.path, { readonly: true });
  const version = conn.prepare(`SELECT judge_version FROM verdicts WHERE case_id = ? AND judge = ?`).pluck().get(caseId, REVIEW_JUDGE);
  conn.close();
  return { verdict: v.verdict, intentRecognized: v.intentRecognized, version, rationale: v.rationale };
}

describe('review screen', () => {
  it('lists the disagreements with the question, the answer without escapes, and both verdicts', async () => {
    const { lastFrame } = setup();
    const frame = await waitForFrame(lastFrame, '3 to review · reviewer ann');
    expect(frame).toMatch(/case \d+\s+sim-alpha\s+drl-materials-01\s+matcher partial\s+llm correct/);
    expect(frame).not.toContain('drl-time-limit-01');
    expect(frame).toContain('问      申请药品零售企业的药品经营许可证需要准备哪些材料？');
    expect(frame).toContain('答      需要申请表和营业执照');
    expect(frame).not.toMatch(/\u001b\[8m|52;c;|\u0007/);
    expect(frame).toMatch(/matcher partial · intent recognized · accuracy 0\.50 · key points 2 — matcher says partial/);
    expect(frame).toMatch(/llm\s+correct · intent recognized · accuracy 1\.00/);
  });

  it('accepts the matcher with m and the LLM with l, saved as govbench review saves them', async () => {
    const { lastFrame, stdin, store, ids } = setup();
    await waitForFrame(lastFrame, '3 to review');
    await press(stdin, 'm');
    await waitForFrame(lastFrame, /recorded: case \d+ turn 1 is partial \(intent recognized\); 2 left/);
    expect(reviewed(store, ids[0]!)).toMatchObject({ verdict: 'partial', version: 'human:ann' });
    expect(reviewed(store, ids[0]!)!.rationale).toContain('reviewer (ann) accepted the matcher verdict');
    await waitForFrame(lastFrame, '2 to review');
    // The next item moved up under the cursor.
    await press(stdin, KEY.down, 'l');
    await waitForFrame(lastFrame, /is incorrect \(intent missed\); 1 left/);
    expect(reviewed(store, ids[3]!)).toMatchObject({ verdict: 'incorrect', intentRecognized: false });
    expect(store.reviewQueue('r1').map((q) => q.caseId)).toEqual([ids[2]]);
  });

  it('sets a verdict by hand: ←→ the verdict, Space the intent, Enter saves, Esc cancels', async () => {
    const { lastFrame, stdin, store, ids } = setup();
    await waitForFrame(lastFrame, '3 to review');
    await press(stdin, KEY.down, 'v');
    let frame = await waitForFrame(lastFrame, 'set verdict ‹ partial › · intent [recognized]');
    expect(frame).toContain('←→ verdict · Space intent · Enter save · Esc cancel');
    await press(stdin, KEY.escape);
    await waitForFrame(lastFrame, (f) => !f.includes('set verdict'));
    expect(reviewed(store, ids[2]!)).toBeUndefined();
    await press(stdin, 'v', KEY.right, KEY.right, ' ');
    frame = await waitForFrame(lastFrame, 'set verdict ‹ no-answer › · intent [missed]');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, /recorded: case \d+ turn 1 is no-answer/);
    expect(reviewed(store, ids[2]!)).toMatchObject({ verdict: 'no-answer', intentRecognized: false, version: 'human:ann' });
  });

  it('says why there is nothing to review for a run judged by the matcher alone', async () => {
    const { lastFrame, stdin } = setup('matcher');
    await waitForFrame(lastFrame, 'Nothing to review: matcher was sure of every answer of run r1, or every case is decided.');
    await press(stdin, 'm', 'l', 'v');
    expect(lastFrame()).toContain('0 to review');
  });
});
