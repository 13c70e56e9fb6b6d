import { useKeys } from '../use-keys.js';
import type { Dispatch } from 'react';
import type { ReviewDecision, ReviewItem } from '../../store/review-queue.js';
import type { ReviewAction, ReviewState } from './use-review-state.js';

export interface UseReviewOptions {
  state: ReviewState;
  dispatch: Dispatch<ReviewAction>;
  queue: readonly ReviewItem[];
  page: number;
  isActive: boolean;
  onDecide(item: ReviewItem, decision: ReviewDecision): void;
}

/**
 * Keys of the review queue: ↑↓ move; `m` accepts the matcher's verdict, `l` the LLM's; `v` sets one
 * by hand (←→ the verdict, Space whether the intent was recognized, Enter saves, Esc cancels).
 */
export function useReview({ state, dispatch, queue, page, isActive, onDecide }: UseReviewOptions): void {
  useKeys(
    (input, key) => {
      const item = queue[state.cursor];
      if (state.setting) {
        if (key.leftArrow || key.rightArrow) dispatch({ type: 'set-verdict', delta: key.rightArrow ? 1 : -1 });
        else if (input === ' ') dispatch({ type: 'set-intent' });
        else if (key.escape) dispatch({ type: 'set-cancel' });
        else if (key.return && item) onDecide(item, { verdict: state.setting.verdict, intentRecognized: state.setting.intentRecognized });
        return;
      }
      if (key.downArrow || key.upArrow) dispatch({ type: 'move', delta: key.downArrow ? 1 : -1, length: queue.length });
      else if (key.pageDown || key.pageUp) dispatch({ type: 'move', delta: key.pageDown ? page : -page, length: queue.length });
      else if (!item) return;
      else if (input === 'm') onDecide(item, { accept: 'matcher' });
      else if (input === 'l') onDecide(item, { accept: 'llm' });
      else if (input === 'v') dispatch({ type: 'set-start', verdict: item.llm.verdict, intentRecognized: item.llm.intentRecognized });
    },
    { isActive },
  );
}
