import { useReducerStore } from '../use-reducer-store.js';
import type { CompareSelector } from '../../reports/compare/from-store.js';

/** One side of a comparison as picked here: a run, or a target of a run. */
export type Side = Pick<CompareSelector, 'run' | 'target'>;

export interface CompareState {
  cursor: number;
  /** Runs whose targets are listed under them. */
  expanded: readonly string[];
  baseline: Side | null;
  candidate: Side | null;
  /** The comparison is shown (else the picker). */
  showing: boolean;
  /** The first line of the comparison shown. */
  scroll: number;
}

export type CompareAction =
  | { type: 'move'; delta: number; length: number }
  | { type: 'expand'; runId: string; open: boolean }
  | { type: 'mark'; as: 'baseline' | 'candidate'; side: Side }
  | { type: 'show' }
  | { type: 'back' }
  | { type: 'scroll'; delta: number; length: number };

const initialCompareState: CompareState = { cursor: 0, expanded: [], baseline: null, candidate: null, showing: false, scroll: 0 };

function reduceCompare(state: CompareState, action: CompareAction): CompareState {
  switch (action.type) {
    case 'move':
      return { ...state, cursor: Math.max(0, Math.min(action.length - 1, state.cursor + action.delta)) };
    case 'expand': {
      const others = state.expanded.filter((id) => id !== action.runId);
      return { ...state, expanded: action.open ? [...others, action.runId] : others };
    }
    case 'mark':
      return { ...state, [action.as]: action.side };
    case 'show':
      return { ...state, showing: true, scroll: 0 };
    case 'back':
      return { ...state, showing: false };
    case 'scroll':
      return { ...state, scroll: Math.max(0, Math.min(action.length - 1, state.scroll + action.delta)) };
  }
}

export function useCompareState() {
  return useReducerStore(reduceCompare, () => initialCompareState);
}
