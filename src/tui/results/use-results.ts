import { useKeys } from '../use-keys.js';
import type { ResultsAction, ResultsState } from './use-results-state.js';

interface UseResultsOptions {
  getState(): ResultsState;
  dispatch(action: ResultsAction): void;
  /** Rows of the current level (lines that can start a transcript's window). */
  length: number;
  /** Rows on screen, for paging. */
  page: number;
  isActive: boolean;
  /** Enter on the current row: open it. */
  onEnter(): void;
}

/**
 * Keys of the results: ←→ switch leaderboard, regions, matters and robustness; ↑↓ PgUp PgDn move;
 * Enter opens a target, then a case; Esc goes back; `r` lists runs; `f` shows only cases not correct.
 */
export function useResults({ getState, dispatch, length, page, isActive, onEnter }: UseResultsOptions): void {
  useKeys(
    (input, key) => {
      const state = getState();
      const top = state.level === 'table';
      if (top && (key.leftArrow || key.rightArrow)) dispatch({ type: 'view', delta: key.rightArrow ? 1 : -1 });
      else if (key.downArrow || key.upArrow) dispatch({ type: 'move', delta: key.downArrow ? 1 : -1, length });
      else if (key.pageDown || key.pageUp) dispatch({ type: 'move', delta: key.pageDown ? page : -page, length });
      else if (key.return) onEnter();
      else if (!top && (key.escape || key.leftArrow || key.backspace || key.delete)) dispatch({ type: 'back' });
      else if (top && input === 'r') dispatch({ type: 'open-runs' });
      else if (state.level === 'cases' && input === 'f') dispatch({ type: 'filter' });
    },
    { isActive },
  );
}
