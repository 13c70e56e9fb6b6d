import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetRegistry } from '../src/config/load-targets.js';
import type { Target } from '../src/domain/types.js';
import { openStore } from '../src/store/index.js';
import { estimateDuration } from '../src/tui/launch/launch-plan.js';
import { Launch } from '../src/tui/launch/launch.js';
import type { RunRequest } from '../src/runner/session/spec.js';
import { tempDir } from './helpers.js';
import { BANK_DIR, KEY, press, seedRun, TARGETS_FILE, waitForFrame } from './tui-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function setup(opts: { runActive?: boolean } = {}) {
  const dir = tempDir();
  const store = openStore(dir.path('g.db'));
  cleanups.push(() => dir[Symbol.dispose](), () => store.close());
  const started: RunRequest[] = [];
  const editing: boolean[] = [];
  const ui = render(
    <Launch
      store={store}
      width={100}
      height={22}
      isActive
      activeRunId={null}
      runActive={opts.runActive ?? false}
      initial={{ targetsFile: TARGETS_FILE, bankPath: BANK_DIR }}
      onStart={(r) => started.push(r)}
      onEditing={(e) => editing.push(e)}
    />,
  );
  cleanups.push(() => ui.unmount());
  return { ...ui, store, started, editing };
}

describe('launch screen', () => {
  it('shows the targets, the banks with their matters, and the plan with a duration estimate', async () => {
    const { lastFrame } = setup();
    const frame = await waitForFrame(lastFrame, 'Plan: 3 targets × 18 cases = 54 cases');
    expect(frame).toContain('Targets file  test/fixtures/tui/targets.yaml 3 targets');
    expect(frame).toMatch(/\[x\] 药品零售企业.* 2 questions, 6 phrasings/);
    expect(frame).toMatch(/\[x\] 居住证办理 4 questions, 9 phrasings/);
    // 18 cases × 5 ms ÷ concurrency 2 per target; the persona's median is the stated assumption.
    expect(frame).toContain('about 45 ms');
    expect(frame).toContain("assumes 2 s an answer (simulated: the persona's median)");
  });

  it('picks targets by region and one by one, leaves a bank out, sets the judge, repeats and label, and starts on Enter', async () => {
    const { lastFrame, stdin, started } = setup();
    await waitForFrame(lastFrame, '3 targets');
    await press(stdin, KEY.home, KEY.down, KEY.right);
    let frame = await waitForFrame(lastFrame, '‹ region › 2 chosen');
    expect(frame).toContain('Region        ‹ east › 华东');
    await press(stdin, KEY.down, KEY.right);
    await waitForFrame(lastFrame, '‹ north › 华北');
    expect(lastFrame()).toContain('‹ region › 1 chosen');
    await press(stdin, KEY.up, KEY.right);
    frame = await waitForFrame(lastFrame, '‹ pick › 0 chosen');
    expect(frame).toContain('[ ] 模拟·甲市  sim-alpha');
    await press(stdin, KEY.down, ' ', KEY.down, KEY.down, ' ');
    frame = await waitForFrame(lastFrame, '‹ pick › 2 chosen');
    expect(frame).toContain('[x] 模拟·甲市  sim-alpha');
    expect(frame).toContain('[x] 模拟·丙市  sim-gamma');
    // Banks: the folder, then its three files; untick the out-of-scope one.
    await press(stdin, KEY.down, KEY.down, KEY.down, ' ');
    frame = await waitForFrame(lastFrame, '2 of 3 files');
    expect(frame).toContain('[ ] 超出服务范围');
    expect(frame).toContain('Plan: 2 targets × 15 cases = 30 cases');
    await press(stdin, KEY.down, KEY.down, KEY.right, KEY.right, KEY.down, KEY.right);
    frame = await waitForFrame(lastFrame, 'Plan: 2 targets × 30 cases = 60 cases');
    expect(frame).toContain('‹ both ›');
    await press(stdin, KEY.down, KEY.enter, ...'q3 basex', KEY.backspace, 'line', KEY.enter);
    await waitForFrame(lastFrame, 'Label         q3 baseline');
    await press(stdin, KEY.down, KEY.enter);
    expect(started).toHaveLength(1);
    expect(started[0]).toEqual({
      spec: {
        banks: [`${BANK_DIR}/drug-retail.yaml`, `${BANK_DIR}/residence-permit.yaml`],
        targets: TARGETS_FILE,
        target: ['sim-alpha', 'sim-gamma'],
        judge: 'both',
        repeat: 2,
        label: 'q3 baseline',
      },
    });
  });

  it('types into a text field only while editing, and reports editing so screen keys stay off', async () => {
    const { lastFrame, stdin, editing } = setup();
    await waitForFrame(lastFrame, '3 targets');
    await press(stdin, KEY.home, KEY.enter, KEY.ctrlU);
    await waitForFrame(lastFrame, 'Targets file  ▌');
    expect(editing.at(-1)).toBe(true);
    await press(stdin, 'nowhere.yaml', KEY.enter);
    const frame = await waitForFrame(lastFrame, 'nowhere.yaml: ');
    expect(editing.at(-1)).toBe(false);
    expect(frame).toContain('Plan: 0 targets');
    // Esc drops an edit.
    await press(stdin, KEY.enter, KEY.ctrlU, 'other.yaml', KEY.escape);
    await waitForFrame(lastFrame, (f) => f.includes('Targets file  nowhere.yaml') && !f.includes('other.yaml'));
  });

  it('does not start without targets, nor while another run is going', async () => {
    const a = setup();
    await waitForFrame(a.lastFrame, '3 targets');
    await press(a.stdin, KEY.home, KEY.down, KEY.right, KEY.right, KEY.enter);
    await waitForFrame(a.lastFrame, 'no targets chosen');
    expect(a.started).toEqual([]);
    const b = setup({ runActive: true });
    await waitForFrame(b.lastFrame, '3 targets');
    await press(b.stdin, KEY.enter);
    await waitForFrame(b.lastFrame, 'a run is going');
    expect(b.started).toEqual([]);
  });

  it('offers interrupted runs for resuming, with their progress', async () => {
    const { started, store } = setup();
    seedRun(store, {
      id: 'r-stopped',
      label: 'halfway',
      judge: 'matcher',
      status: 'interrupted',
      planned: 18,
      targets: [{ id: 'sim-alpha', name: '模拟·甲市', region: 'east' }],
      cases: [{ target: 'sim-alpha', question: 'drl-materials-01', reply: '申请表', matcher: 'partial' }],
    });
    seedRun(store, { id: 'r-done', judge: 'matcher', targets: [{ id: 'sim-alpha', name: '模拟·甲市', region: 'east' }], cases: [] });
    // The list is read when the screen opens.
    const again = render(
      <Launch store={store} width={100} height={22} isActive activeRunId={null} runActive={false} initial={{ targetsFile: TARGETS_FILE, bankPath: BANK_DIR }} onStart={(r) => started.push(r)} onEditing={() => {}} />,
    );
    cleanups.push(() => again.unmount());
    const frame = await waitForFrame(again.lastFrame, 'Resume r-stopped (halfway) · 1/18 cases · interrupted');
    expect(frame).not.toContain('r-done');
    await press(again.stdin, KEY.down, KEY.enter);
    expect(started).toEqual([{ resume: 'r-stopped' }]);
  });
});

describe('duration estimate', () => {
  const t = (id: string, limits: Target['limits'], adapter: Target['adapter']): Target => ({ id, name: id, region: 'east', adapter, limits, pos: { file: 'f', line: 1, column: 1 } });
  const real = { type: 'http-json', url: 'http://x', method: 'POST', headers: {}, reply: '$.a' } as const;
  const registry = { personas: {} } as unknown as TargetRegistry;

  it('takes the slowest target: cases × reply time ÷ concurrency, or the per-minute limit when slower', () => {
    const fast = t('fast', { concurrency: 4, timeoutMs: 1, retries: 0 }, real);
    const paced = t('paced', { concurrency: 4, perMinute: 30, timeoutMs: 1, retries: 0 }, real);
    expect(estimateDuration([fast], registry, 100)).toEqual({ ms: (100 * 2000) / 4, bound: 'target', slowest: 'fast' });
    // 100 cases at 30 a minute: 200 s, slower than 100 × 2 s ÷ 4 = 50 s.
    expect(estimateDuration([fast, paced], registry, 100)).toEqual({ ms: 200_000, bound: 'target', slowest: 'paced' });
  });

  it('is bound by the run-wide 64 cases in flight when many targets run side by side', () => {
    const many = Array.from({ length: 100 }, (_, i) => t(`c${i}`, { concurrency: 64, timeoutMs: 1, retries: 0 }, real));
    const e = estimateDuration(many, registry, 64);
    expect(e.bound).toBe('overall');
    expect(e.ms).toBeCloseTo((100 * 64 * 2000) / 64, 6);
  });
});

describe('launch screen under fast typing', () => {
  it('reads Ctrl-U, text, Backspace and Enter that arrive in one piece', async () => {
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    const ui = render(
      <Launch store={store} width={100} height={22} isActive activeRunId={null} runActive={false} initial={{ bankPath: BANK_DIR }} onStart={() => {}} onEditing={() => {}} />,
    );
    await waitForFrame(ui.lastFrame, /Targets file  targets\/demo\.yaml \d+ targets/);
    await press(ui.stdin, KEY.home, KEY.enter);
    await press(ui.stdin, `\u0015${TARGETS_FILE}x\u007f\r`);
    await waitForFrame(ui.lastFrame, `Targets file  ${TARGETS_FILE} 3 targets`);
    ui.unmount();
    store.close();
  });
});
