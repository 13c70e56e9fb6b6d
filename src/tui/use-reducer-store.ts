import { useCallback, useRef, useSyncExternalStore } from 'react';

/**
 * useReducer whose state key handlers can read at once. With useReducer a handler sees the state of
 * the last render; a second key that arrives before React has rendered the first (fast typing, a
 * slow frame) would act on the old state — two ↓ moving the cursor once. Here `dispatch` applies the
 * reducer on the spot and `getState` returns the result; rendering follows as usual.
 */
export function useReducerStore<S, A>(reducer: (state: S, action: A) => S, initial: () => S): readonly [S, (action: A) => void, () => S] {
  const box = useRef<{ state: S; listeners: Set<() => void> } | null>(null);
  box.current ??= { state: initial(), listeners: new Set() };
  const store = box.current;
  const subscribe = useCallback(
    (listener: () => void) => {
      store.listeners.add(listener);
      return () => {
        store.listeners.delete(listener);
      };
    },
    [store],
  );
  const getState = useCallback(() => store.state, [store]);
  const state = useSyncExternalStore(subscribe, getState);
  const dispatch = useCallback(
    (action: A) => {
      store.state = reducer(store.state, action);
      for (const listener of store.listeners) listener();
    },
    [store, reducer],
  );
  return [state, dispatch, getState] as const;
}
