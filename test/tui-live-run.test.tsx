import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/runner/events.js';
import { LiveRun } from '../src/tui/live-run.js';
import { initialRunState, reduceRun, type RunState } from '../src/tui/run-state.js';
import { stripTerminalControls } from '../src/tui/sanitize.js';

const started: RunEvent = {
  type: 'run-started',
  runId: 'r1',
  resumed: false,
  targets: [
    { id: 'a', name: '甲市', region: 'east', planned: 4, done: 0 },
    { id: 'b', name: '乙市\u001b[31m', region: 'north', planned: 4, done: 2 },
  ],
};
const finished = (targetId: string, available: boolean, accuracy: number | null, firstMs: number | null): RunEvent => ({
  type: 'case-finished',
  runId: 'r1',
  targetId,
  questionId: 'q1',
  variant: 0,
  available,
  errorKind: available ? null : 'timeout',
  verdict: accuracy === null ? null : 'correct',
  accuracy,
  firstMs,
});

function fold(events: RunEvent[]): RunState {
  return events.reduce((s, e, i) => reduceRun(s, e, i * 1000), initialRunState);
}

describe('live run view', () => {
  it('folds events into per-target progress, errors, running accuracy and median latency', () => {
    const s = fold([started, finished('a', true, 1, 100), finished('a', true, 0.5, 300), finished('a', false, null, null)]);
    const a = s.targets[0]!;
    expect(a).toMatchObject({ done: 3, errors: 1, judged: 2, accuracySum: 1.5, latencies: [100, 300] });
    expect(s).toMatchObject({ planned: 8, done: 5, doneHere: 3, errors: 1 });
    expect(s.failures).toEqual([{ targetId: 'a', questionId: 'q1', errorKind: 'timeout' }]);
  });

  it('draws a line per target with counts, errors, p50 and accuracy, and the latest failure', () => {
    const s = fold([started, finished('a', true, 1, 100), finished('a', true, 0.5, 300), finished('a', false, null, null)]);
    const { lastFrame } = render(<LiveRun state={s} now={4000} width={100} height={24} />);
    const frame = lastFrame()!;
    expect(frame).toContain('r1 · running · 5/8 cases');
    expect(frame).toMatch(/甲市 .*3\/4 err 1 p50 200ms acc 75/);
    expect(frame).toMatch(/乙市 .*2\/4/);
    expect(frame).toContain('✗ a q1: timeout');
  });

  it('never lets escape sequences from outside text reach the frame', () => {
    const { lastFrame } = render(<LiveRun state={fold([started])} now={0} width={100} height={24} />);
    expect(lastFrame()).not.toContain('\u001b[31m');
    expect(stripTerminalControls('a\u001b]0;title\u0007b\u001b[2Jc\u0007d\u009b1me')).toBe('abcde');
  });

  it('summarises targets that do not fit the terminal height', () => {
    const many: RunEvent = { ...started, targets: Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, name: `城${i}`, region: 'east', planned: 1, done: 0 })) } as RunEvent;
    const { lastFrame } = render(<LiveRun state={fold([many])} now={0} width={80} height={24} />);
    const lines = lastFrame()!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lastFrame()).toMatch(/… and 2\d more targets/);
  });
});
