import { useReducerStore } from './use-reducer-store.js';

/** The screens, in the order of their number keys. */
export const TABS = ['launch', 'live', 'results', 'review', 'compare'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_TITLES: Readonly<Record<Tab, string>> = {
  launch: 'Launch',
  live: 'Run',
  results: 'Results',
  review: 'Review',
  compare: 'Compare',
};

export interface AppState {
  tab: Tab;
  /** The run Results and Review show; null: the newest in the database. */
  runId: string | null;
  /** A text field takes every key, so screen and quit keys are off. */
  editing: boolean;
  /** Quitting: waiting for a run to stop. */
  quitting: boolean;
}

export type AppAction =
  | { type: 'show'; tab: Tab }
  | { type: 'next-tab'; delta: 1 | -1 }
  | { type: 'select-run'; runId: string; tab?: Tab }
  | { type: 'editing'; editing: boolean }
  | { type: 'quitting' };

const initialAppState: AppState = { tab: 'launch', runId: null, editing: false, quitting: false };

function reduceApp(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'show':
      return { ...state, tab: action.tab, editing: false };
    case 'next-tab': {
      const i = (TABS.indexOf(state.tab) + action.delta + TABS.length) % TABS.length;
      return { ...state, tab: TABS[i]!, editing: false };
    }
    case 'select-run':
      return { ...state, runId: action.runId, tab: action.tab ?? state.tab, editing: false };
    case 'editing':
      return state.editing === action.editing ? state : { ...state, editing: action.editing };
    case 'quitting':
      return { ...state, quitting: true, editing: false };
  }
}

export function useAppState(initial: Partial<AppState> = {}) {
  return useReducerStore(reduceApp, (): AppState => ({ ...initialAppState, ...initial }));
}
