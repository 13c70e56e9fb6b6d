import { render } from 'ink';
import type { RunEvent } from '../../runner/events.js';
import { LiveRun } from './run-progress.js';
import { initialRunState, reduceRun, type RunState } from './run-state.js';

/** Milliseconds between frames (10 a second at most): fast enough to feel live, slow enough not to flicker with 56 targets. */
export const FRAME_MS = 100;

/**
 * Draws a run live in the terminal from runner events. The runner knows nothing of it; the returned
 * listener is all it sees.
 */
export function startLiveView(stdout: NodeJS.WriteStream = process.stdout) {
  let state: RunState = initialRunState;
  // One line fewer than the terminal: a frame as tall as the terminal makes Ink clear the screen on every update.
  const view = () => <LiveRun state={state} now={performance.now()} width={stdout.columns ?? 80} height={(stdout.rows ?? 24) - 1} />;
  const app = render(view(), { stdout, patchConsole: false, exitOnCtrlC: false });
  const timer = setInterval(() => app.rerender(view()), FRAME_MS);
  return {
    onEvent(event: RunEvent): void {
      state = reduceRun(state, event, performance.now());
      if (event.type !== 'case-finished') app.rerender(view());
    },
    stop(): void {
      clearInterval(timer);
      app.rerender(view());
      app.unmount();
    },
  };
}
