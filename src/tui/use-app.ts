import { useKeys } from './use-keys.js';
import { TABS, type AppAction, type AppState } from './use-app-state.js';

interface UseAppKeysOptions {
  getState(): AppState;
  dispatch(action: AppAction): void;
  /** A run is going: on the Run screen `q` stops it instead of quitting. */
  runActive: boolean;
  onQuit(): void;
}

/** Keys that work on every screen: 1–5 and Tab switch screens, `q` quits, Ctrl-C always quits. */
export function useAppKeys({ getState, dispatch, runActive, onQuit }: UseAppKeysOptions): void {
  useKeys((input, key) => {
    const state = getState();
    if (key.ctrl && input === 'c') return onQuit();
    if (state.editing || state.quitting) return;
    const n = Number(input);
    if (Number.isInteger(n) && n >= 1 && n <= TABS.length) dispatch({ type: 'show', tab: TABS[n - 1]! });
    else if (key.tab) dispatch({ type: 'next-tab', delta: key.shift ? -1 : 1 });
    else if (input === 'q' && !(state.tab === 'live' && runActive)) onQuit();
  });
}
