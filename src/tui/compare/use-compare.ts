import { useKeys } from '../use-keys.js';
import type { CompareEntry } from './compare-lines.js';
import type { CompareAction, CompareState } from './use-compare-state.js';

interface UseCompareOptions {
  getState(): CompareState;
  dispatch(action: CompareAction): void;
  /** The picker's rows in a state (a run's targets are listed once it is expanded). */
  entriesOf(state: CompareState): readonly CompareEntry[];
  /** Lines of the comparison that can start its window. */
  length: number;
  page: number;
  isActive: boolean;
  onCompare(): void;
}

/**
 * Keys of the compare screen: ↑↓ move, → lists a run's targets (← hides them), `b` marks the baseline,
 * `c` the candidate, Enter compares; in a comparison ↑↓ scroll and Esc goes back.
 */
export function useCompare({ getState, dispatch, entriesOf, length, page, isActive, onCompare }: UseCompareOptions): void {
  useKeys(
    (input, key) => {
      const state = getState();
      if (state.showing) {
        if (key.escape || key.leftArrow || key.backspace || key.delete) dispatch({ type: 'back' });
        else if (key.downArrow || key.upArrow) dispatch({ type: 'scroll', delta: key.downArrow ? 1 : -1, length });
        else if (key.pageDown || key.pageUp) dispatch({ type: 'scroll', delta: key.pageDown ? page : -page, length });
        return;
      }
      const entries = entriesOf(state);
      const entry = entries[Math.min(state.cursor, entries.length - 1)];
      if (key.downArrow || key.upArrow) dispatch({ type: 'move', delta: key.downArrow ? 1 : -1, length: entries.length });
      else if (key.pageDown || key.pageUp) dispatch({ type: 'move', delta: key.pageDown ? page : -page, length: entries.length });
      else if (key.return) onCompare();
      else if (!entry) return;
      else if (key.rightArrow || key.leftArrow) dispatch({ type: 'expand', runId: entry.side.run, open: key.rightArrow });
      else if (input === 'b' || input === 'c') dispatch({ type: 'mark', as: input === 'b' ? 'baseline' : 'candidate', side: entry.side });
    },
    { isActive },
  );
}
