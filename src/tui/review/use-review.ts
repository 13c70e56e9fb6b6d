import type { ReviewItem } from '../../domain/types.js';
import type { ReviewDecision } from '../../judge/review-decision.js';
import { useKeys } from '../use-keys.js';
import { openItems, type ReviewAction, type ReviewState } from './use-review-state.js';

interface UseReviewOptions {
  getState(): ReviewState;
  dispatch(action: ReviewAction): void;
  /** The queue as last read. */
  queue: readonly ReviewItem[];
  page: number;
  isActive: boolean;
  onDecide(item: ReviewItem, decision: ReviewDecision, left: number): void;
}

/**
 * Keys of the review queue: ↑↓ move; `m` accepts the matcher's verdict, `l` the LLM's; `v` sets one
 * by hand (←→ the verdict, Space whether the intent was recognized, Enter saves, Esc cancels).
 */
export function useReview({ getState, dispatch, queue, page, isActive, onDecide }: UseReviewOptions): void {
  useKeys(
    (input, key) => {
      const state = getState();
      const open = openItems(queue, state);
      const item = open[Math.min(state.cursor, open.length - 1)];
      const decide = (decision: ReviewDecision) => item && onDecide(item, decision, open.length - 1);
      if (state.setting) {
        if (key.leftArrow || key.rightArrow) dispatch({ type: 'set-verdict', delta: key.rightArrow ? 1 : -1 });
        else if (input === ' ') dispatch({ type: 'set-intent' });
        else if (key.escape) dispatch({ type: 'set-cancel' });
        else if (key.return) decide({ verdict: state.setting.verdict, intentRecognized: state.setting.intentRecognized });
        return;
      }
      if (key.downArrow || key.upArrow) dispatch({ type: 'move', delta: key.downArrow ? 1 : -1, length: open.length });
      else if (key.pageDown || key.pageUp) dispatch({ type: 'move', delta: key.pageDown ? page : -page, length: open.length });
      else if (!item) return;
      else if (input === 'm') decide({ accept: 'matcher' });
      else if (input === 'l' && item.llm) decide({ accept: 'llm' });
      else if (input === 'v') {
        const start = item.llm ?? item.matcher;
        dispatch({ type: 'set-start', verdict: start.verdict, intentRecognized: start.intentRecognized });
      }
    },
    { isActive },
  );
}
