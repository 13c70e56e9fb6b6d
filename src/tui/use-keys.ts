import { useInput, type Key } from 'ink';
import { useCallback, useLayoutEffect, useRef } from 'react';

/**
 * useInput with a handler that always sees the latest render. Ink re-subscribes a changed handler in a
 * passive effect, which can run after the next key has arrived (keys typed fast, or pasted); the key
 * would then act on the state before the previous one.
 */
export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable, options);
}
