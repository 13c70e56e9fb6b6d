import { useEffect, useState, type DependencyList } from 'react';

/** Loading keeps the value of the previous run, if there was one, for screens that refresh in place. */
type AsyncState<T> = { status: 'loading'; previous?: T } | { status: 'done'; value: T } | { status: 'failed'; error: Error };

/** The value, or while loading again the previous one. */
export function latestValue<T>(state: AsyncState<T>): T | undefined {
  return state.status === 'done' ? state.value : state.status === 'loading' ? state.previous : undefined;
}

/**
 * Runs work outside rendering and reports success or failure; reruns when `deps` change and drops
 * results of runs that were superseded. The work starts on the next turn of the event loop, so a
 * "loading" frame is drawn before a slow synchronous load (scoring a large run) blocks.
 */
export function useAsync<T>(work: () => T | Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    setState((prev) => {
      const previous = latestValue(prev);
      return previous === undefined ? { status: 'loading' } : { status: 'loading', previous };
    });
    const timer = setImmediate(() => {
      Promise.resolve()
        .then(work)
        .then(
          (value) => current && setState({ status: 'done', value }),
          (error: unknown) => current && setState({ status: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
        );
    });
    return () => {
      current = false;
      clearImmediate(timer);
    };
    // The caller's deps decide when the work is stale, as with useEffect.
  }, deps);
  return state;
}
