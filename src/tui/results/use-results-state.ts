import type { PainPoint } from '../../scoring/model.js';
import { useReducerStore } from '../use-reducer-store.js';

/** What names a pain point: its failure kind on one aspect of one matter. */
export type PainPointKey = Pick<PainPoint, 'kind' | 'matter' | 'aspect'>;

export const RESULT_VIEWS = ['leaderboard', 'regions', 'matters', 'robustness', 'painPoints'] as const;
type ResultsView = (typeof RESULT_VIEWS)[number];

/** Where in the drill-down the screen is: a table, a target's cases, one transcript, or the list of runs. */
type ResultsLevel = 'table' | 'cases' | 'transcript' | 'runs';

export interface ResultsState {
  view: ResultsView;
  level: ResultsLevel;
  /** The cursor (or, in a transcript, the first line shown) of each level. */
  cursors: Readonly<Record<ResultsLevel, number>>;
  /** The cases level lists one target's cases, or one pain point's across targets. */
  targetId: string | null;
  painPoint: PainPointKey | null;
  caseId: number | null;
  /** Cases list: only those not judged correct. */
  onlyWrong: boolean;
}

export type ResultsAction =
  | { type: 'view'; delta: 1 | -1 }
  | { type: 'move'; delta: number; length: number }
  | { type: 'open-target'; targetId: string }
  | { type: 'open-pain-point'; painPoint: PainPointKey }
  | { type: 'open-case'; caseId: number }
  | { type: 'open-runs' }
  | { type: 'back' }
  | { type: 'filter' };

const initialResultsState: ResultsState = {
  view: 'leaderboard',
  level: 'table',
  cursors: { table: 0, cases: 0, transcript: 0, runs: 0 },
  targetId: null,
  painPoint: null,
  caseId: null,
  onlyWrong: false,
};

const BACK: Readonly<Record<ResultsLevel, ResultsLevel>> = { table: 'table', cases: 'table', transcript: 'cases', runs: 'table' };

function reduceResults(state: ResultsState, action: ResultsAction): ResultsState {
  const at = (level: ResultsLevel, value: number) => ({ ...state.cursors, [level]: value });
  switch (action.type) {
    case 'view': {
      const i = RESULT_VIEWS.indexOf(state.view);
      return { ...state, view: RESULT_VIEWS[(i + action.delta + RESULT_VIEWS.length) % RESULT_VIEWS.length]!, cursors: at('table', 0) };
    }
    case 'move': {
      const value = Math.max(0, Math.min(Math.max(0, action.length - 1), state.cursors[state.level] + action.delta));
      return { ...state, cursors: at(state.level, value) };
    }
    case 'open-target':
      return { ...state, level: 'cases', targetId: action.targetId, painPoint: null, onlyWrong: false, cursors: at('cases', 0) };
    case 'open-pain-point':
      return { ...state, level: 'cases', targetId: null, painPoint: action.painPoint, onlyWrong: false, cursors: at('cases', 0) };
    case 'open-case':
      return { ...state, level: 'transcript', caseId: action.caseId, cursors: at('transcript', 0) };
    case 'open-runs':
      return { ...state, level: 'runs', cursors: at('runs', 0) };
    case 'back':
      return { ...state, level: BACK[state.level] };
    case 'filter':
      return { ...state, onlyWrong: !state.onlyWrong, cursors: at('cases', 0) };
  }
}

export function useResultsState() {
  return useReducerStore(reduceResults, () => initialResultsState);
}
