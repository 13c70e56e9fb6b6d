import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/runner/events.js';
import { displayWidth } from '../src/reports/format.js';
import { LiveScreen } from '../src/tui/live/live.js';
import { LiveRun, targetRows } from '../src/tui/live/run-progress.js';
import { RunHold } from '../src/runner/run-hold.js';
import { RunControl } from '../src/tui/live/run-control.js';
import type { RunSession } from '../src/runner/session/session.js';
import { initialRunState, reduceRun, type RunState } from '../src/tui/live/run-state.js';
import { initialLiveState, reduceLive, type LiveRunHandle, type LiveState } from '../src/tui/live/use-live-state.js';
import { UserError } from '../src/util/errors.js';
import { KEY, press } from './tui-helpers.js';

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
  });

  it('summarises targets that do not fit the terminal height', () => {
    const many: RunEvent = { ...started, targets: Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, name: `城${i}`, region: 'east', planned: 1, done: 0 })) } as RunEvent;
    const { lastFrame } = render(<LiveRun state={fold([many])} now={0} width={80} height={24} />);
    const lines = lastFrame()!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lastFrame()).toMatch(/… and 2\d more targets/);
  });
});

describe('live screen', () => {
  const many = (n: number): RunEvent =>
    ({ ...started, targets: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, name: `城市${i}\u001b[2J`, region: 'east', planned: 10, done: i % 10 })) }) as RunEvent;

  function handle(state: Partial<LiveState>) {
    const calls: string[] = [];
    const live: LiveRunHandle = {
      state: { ...initialLiveState, phase: 'running', ...state },
      start: () => calls.push('start'),
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
      stop: async () => {
        calls.push('stop');
        return 'interrupted';
      },
      scroll: (delta, rows) => calls.push(`scroll ${delta} ${rows}`),
    };
    return { live, calls };
  }

  it('draws 56 targets at 80×24 within the screen, every line within 80 columns, and scrolls to the rest', () => {
    // The app gives a screen 21 of 24 rows (header, footer, and one spare so Ink never clears the terminal).
    const run = fold([many(56), finished('t3', false, null, null)]);
    const { live } = handle({ run, now: 1000 });
    const top = render(<LiveScreen live={live} width={80} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />);
    const lines = top.lastFrame()!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(21);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    expect(top.lastFrame()).toMatch(/… and 4\d more targets/);
    expect(top.lastFrame()).not.toContain('\u001b[2J');
    const scrolled = render(<LiveScreen live={{ ...live, state: { ...live.state, offset: 20 } }} width={80} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />);
    const frame = scrolled.lastFrame()!;
    expect(frame).toMatch(/… 20 above, 2\d below/);
    expect(frame).toContain('城市20');
    expect(frame).not.toContain('城市19 ');
  });

  it('pauses and resumes with p, stops with q, scrolls with the arrows, and opens the results when done', async () => {
    const running = handle({ run: fold([many(56)]) });
    const a = render(<LiveScreen live={running.live} width={80} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />);
    expect(a.lastFrame()).toContain('p pause · q stop (resumable)');
    await press(a.stdin, 'p', KEY.down, KEY.up, 'q');
    expect(running.calls).toEqual(['pause', `scroll 1 ${targetRows(20)}`, `scroll -1 ${targetRows(20)}`, 'stop']);

    const paused = handle({ phase: 'paused', run: fold([many(3)]) });
    const b = render(<LiveScreen live={paused.live} width={80} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />);
    expect(b.lastFrame()).toContain('r1 · paused ·');
    expect(b.lastFrame()).toContain('paused — p resume · q stop');
    await press(b.stdin, 'p');
    expect(paused.calls).toEqual(['resume']);

    const opened: string[] = [];
    const done = handle({ phase: 'ended', status: 'finished', runId: 'r1', run: fold([many(3)]) });
    const c = render(<LiveScreen live={done.live} width={80} height={21} isActive dbPath="g.db" onOpenResults={(id) => opened.push(id)} />);
    expect(c.lastFrame()).toContain('finished — Enter: results');
    await press(c.stdin, 'p', 'q', KEY.enter);
    expect(done.calls).toEqual([]);
    expect(opened).toEqual(['r1']);

    const stopped = handle({ phase: 'ended', status: 'interrupted', runId: 'r1', run: fold([many(3)]) });
    const d = render(<LiveScreen live={stopped.live} width={120} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />);
    expect(d.lastFrame()).toContain('stopped — resume from Launch (1), or: govbench run --resume r1 --db g.db');
  });

  it('shows the stack of a bug that failed the run, within the screen; a mistake in the input without one', () => {
    const failed = (error: Error) =>
      reduceLive({ ...initialLiveState, phase: 'running', runId: 'r1', run: fold([started]) }, { type: 'update', update: { phase: 'ended', runId: 'r1', status: 'failed', error } });
    const bug = new TypeError("Cannot read properties of undefined (reading 'reply')");
    expect(failed(bug).stack).toBe(bug.stack);
    const frame = render(<LiveScreen live={handle(failed(bug)).live} width={100} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />).lastFrame()!;
    expect(frame).toContain("failed: a bug in govbench: TypeError: Cannot read properties of undefined (reading 'reply')");
    expect(frame).toMatch(/^\s*at .*tui-live-run\.test\.tsx/m);
    expect(frame.split('\n').length).toBeLessThanOrEqual(21);

    const mistake = failed(new UserError('targets.yaml: no endpoint configured for city-b'));
    expect(mistake.stack).toBeNull();
    const plain = render(<LiveScreen live={handle(mistake).live} width={100} height={21} isActive dbPath="g.db" onOpenResults={() => {}} />).lastFrame()!;
    expect(plain).toContain('failed: targets.yaml: no endpoint configured for city-b');
    expect(plain).not.toMatch(/^\s*at /m);
  });

  it('folds a frame of events at once and keeps the scroll within the targets', () => {
    let s = reduceLive(initialLiveState, { type: 'start', now: 0 });
    expect(s.phase).toBe('starting');
    s = reduceLive(s, { type: 'update', update: { phase: 'running', runId: 'r1' } });
    s = reduceLive(s, { type: 'events', events: [many(30), finished('t1', true, 1, 50), finished('t1', true, 0, 70)], now: 500 });
    expect(s.run.targets[1]).toMatchObject({ done: 3, judged: 2, accuracySum: 1 });
    expect(s).toMatchObject({ phase: 'running', runId: 'r1', now: 500 });
    s = reduceLive(s, { type: 'scroll', delta: 100, rows: 10 });
    expect(s.offset).toBe(20);
    s = reduceLive(s, { type: 'scroll', delta: -100, rows: 10 });
    expect(s.offset).toBe(0);
    s = reduceLive(s, { type: 'update', update: { phase: 'ended', status: 'failed', error: new Error('no endpoint') } });
    expect(s).toMatchObject({ phase: 'ended', status: 'failed', error: 'no endpoint', runId: 'r1' });
  });

  it('counts throughput from the end of a pause: the paused time asked nothing', () => {
    let s = reduceLive(initialLiveState, { type: 'start', now: 0 });
    s = reduceLive(s, { type: 'update', update: { phase: 'running', runId: 'r1' } });
    s = reduceLive(s, { type: 'events', events: [started, finished('a', true, 1, 50)], now: 1_000 });
    s = reduceLive(s, { type: 'update', update: { phase: 'paused' } });
    s = reduceLive(s, { type: 'events', events: [], now: 60_000 });
    s = reduceLive(s, { type: 'update', update: { phase: 'running' } });
    expect(s.run).toMatchObject({ doneHere: 0, done: 3, startedAt: 60_000 });
  });

  it('restarts throughput when a run is resumed, so a resume does not claim the earlier cases', () => {
    const s = fold([started, finished('a', true, 1, 100), finished('a', true, 1, 100), { ...started, resumed: true }]);
    expect(s.doneHere).toBe(0);
    expect(s.done).toBe(2);
  });
});

describe('run control', () => {
  /**
   * A session whose run finishes when told to, or ends interrupted when stopped, like the real one;
   * `startCase` goes through the hold as the runner's workers do and returns the function that saves
   * the case.
   */
  function fakeSession() {
    const hold = new RunHold();
    const stopper = new AbortController();
    let runs = 0;
    let closed = 0;
    let finish = () => {};
    const session: RunSession = {
      runId: 'r-fake',
      stoppedBy: null,
      plan: null as never,
      run: () =>
        new Promise((resolve) => {
          runs += 1;
          const done = (status: 'finished' | 'interrupted') => resolve({ runId: 'r-fake', status, planned: 10, done: 0 });
          stopper.signal.addEventListener('abort', () => done('interrupted'));
          finish = () => done('finished');
        }),
      hold: () => {
        hold.hold();
        return hold.idle();
      },
      release: () => hold.release(),
      stop: () => {
        stopper.abort();
        hold.release();
      },
      get stopping() {
        return stopper.signal.aborted;
      },
      close: async () => {
        closed += 1;
      },
    };
    const startCase = async () => {
      await hold.enter(stopper.signal);
      return () => hold.leave();
    };
    return { session, startCase, finish: () => finish(), runs: () => runs, stopped: () => stopper.signal.aborted, closed: () => closed };
  }

  function control(open: () => Promise<RunSession>) {
    const phases: string[] = [];
    const c = new RunControl(null as never, { resume: 'x' }, { onEvent: () => {}, onUpdate: (u) => phases.push(u.status ? `${u.phase}:${u.status}` : u.phase), open });
    return { c, phases };
  }

  const tick = () => new Promise((r) => setImmediate(r));

  it('pauses by holding the run: paused once the case in flight is saved, no case starts until resumed', async () => {
    const f = fakeSession();
    const { c, phases } = control(async () => f.session);
    await tick();
    const save = await f.startCase();
    c.pause();
    await tick();
    expect(c.current).toBe('pausing');
    save();
    await tick();
    expect(c.current).toBe('paused');
    let started = false;
    void f.startCase().then(() => (started = true));
    await tick();
    expect(started).toBe(false);
    c.resume();
    await tick();
    expect(started).toBe(true);
    expect(f.runs()).toBe(1);
    expect(f.stopped()).toBe(false);
    f.finish();
    expect(await c.done).toBe('finished');
    expect(phases).toEqual(['running', 'pausing', 'paused', 'running', 'ended:finished']);
    expect(f.closed()).toBe(1);
  });

  it('stops for good from running or paused, leaving the run interrupted', async () => {
    const f = fakeSession();
    const a = control(async () => f.session);
    await tick();
    expect(await a.c.stop()).toBe('interrupted');
    expect(a.phases).toEqual(['running', 'stopping', 'ended:interrupted']);
    const g = fakeSession();
    const b = control(async () => g.session);
    await tick();
    b.c.pause();
    await tick();
    expect(b.c.current).toBe('paused');
    let waiting = true;
    void g.startCase().then(() => (waiting = false));
    expect(await b.c.stop()).toBe('interrupted');
    await tick();
    // A worker held by the pause wakes to the stop (and the runner then takes no new case).
    expect(waiting).toBe(false);
    expect(g.runs()).toBe(1);
    expect(b.phases.at(-1)).toBe('ended:interrupted');
    expect(g.closed()).toBe(1);
  });

  it('does not start a run stopped while it was being opened', async () => {
    const f = fakeSession();
    const { c, phases } = control(async () => f.session);
    expect(await c.stop()).toBeNull();
    expect(f.runs()).toBe(0);
    expect(phases).toEqual(['ended']);
    expect(f.closed()).toBe(1);
  });

  it('ends as failed, with the reason, when the run cannot start', async () => {
    const { c, phases } = control(async () => {
      throw new Error('no endpoint configured for sim-x');
    });
    expect(await c.done).toBe('failed');
    expect(phases).toEqual(['ended:failed']);
  });
});

describe('names in the live view', () => {
  it('keeps the end of a long name when cutting it, so releases stay apart', async () => {
    const { fitName, displayWidth } = await import('../src/tui/text.js');
    const v1 = fitName('模拟·东川省政务服务助手 v1', 16);
    const v2 = fitName('模拟·东川省政务服务助手 v2', 16);
    expect(v1).not.toBe(v2);
    expect(v1).toContain('…');
    expect(v1.trimEnd().endsWith('v1')).toBe(true);
    expect(displayWidth(v1)).toBe(16);
    expect(fitName('甲市', 8)).toBe('甲市    ');
  });
});
