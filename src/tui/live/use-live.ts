import { useKeys } from '../use-keys.js';
import type { LiveRunHandle } from './use-live-state.js';

interface UseLiveOptions {
  live: LiveRunHandle;
  /** Target rows on screen, for paging. */
  rows: number;
  isActive: boolean;
  onOpenResults(runId: string): void;
}

/** Keys of the live screen: `p` pause / resume, `q` stop, arrows and pages scroll, Enter opens the results. */
export function useLive({ live, rows, isActive, onOpenResults }: UseLiveOptions): void {
  useKeys(
    (input, key) => {
      const { phase, runId, status } = live.state;
      if (input === 'p') {
        if (phase === 'running') live.pause();
        else if (phase === 'paused') live.resume();
      } else if (input === 'q') {
        if (phase === 'running' || phase === 'paused' || phase === 'pausing') void live.stop();
      } else if (key.downArrow) live.scroll(1, rows);
      else if (key.upArrow) live.scroll(-1, rows);
      else if (key.pageDown) live.scroll(rows, rows);
      else if (key.pageUp) live.scroll(-rows, rows);
      else if (key.return && phase === 'ended' && runId && status !== 'failed') onOpenResults(runId);
    },
    { isActive },
  );
}
