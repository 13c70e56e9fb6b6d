import { VERDICTS, type ReviewItem, type VerdictLabel } from '../../domain/types.js';
import { cycle } from '../launch/launch-model.js';
import { useReducerStore } from '../use-reducer-store.js';

export interface ReviewState {
  cursor: number;
  /** A verdict being set by hand, before it is saved. */
  setting: { verdict: VerdictLabel; intentRecognized: boolean } | null;
  /** What the last decision did, or why it failed. */
  message: { text: string; error: boolean } | null;
  /** Items decided here (itemKey), out of the queue before it is read again. */
  decided: readonly string[];
  /** Bumped after each saved decision, so the queue is read again. */
  version: number;
}

export type ReviewAction =
  | { type: 'move'; delta: number; length: number }
  | { type: 'set-start'; verdict: VerdictLabel; intentRecognized: boolean }
  | { type: 'set-verdict'; delta: number }
  | { type: 'set-intent' }
  | { type: 'set-cancel' }
  | { type: 'saved'; key: string; text: string }
  | { type: 'failed'; text: string };

export const itemKey = (item: Pick<ReviewItem, 'caseId' | 'turn'>): string => `${item.caseId}.${item.turn}`;

/** The queue as read, without what was decided since. */
export function openItems(queue: readonly ReviewItem[], state: ReviewState): ReviewItem[] {
  const decided = new Set(state.decided);
  return queue.filter((q) => !decided.has(itemKey(q)));
}

const initialReviewState: ReviewState = { cursor: 0, setting: null, message: null, decided: [], version: 0 };

function reduceReview(state: ReviewState, action: ReviewAction): ReviewState {
  switch (action.type) {
    case 'move':
      return { ...state, cursor: Math.max(0, Math.min(action.length - 1, state.cursor + action.delta)) };
    case 'set-start':
      return { ...state, setting: { verdict: action.verdict, intentRecognized: action.intentRecognized }, message: null };
    case 'set-verdict':
      return state.setting ? { ...state, setting: { ...state.setting, verdict: cycle(VERDICTS, state.setting.verdict, action.delta) } } : state;
    case 'set-intent':
      return state.setting ? { ...state, setting: { ...state.setting, intentRecognized: !state.setting.intentRecognized } } : state;
    case 'set-cancel':
      return { ...state, setting: null };
    case 'saved':
      // The decided item leaves the queue; the cursor stays where the next one moves up to.
      return { ...state, setting: null, message: { text: action.text, error: false }, decided: [...state.decided, action.key], version: state.version + 1 };
    case 'failed':
      return { ...state, message: { text: action.text, error: true } };
  }
}

export function useReviewState() {
  return useReducerStore(reduceReview, () => initialReviewState);
}
