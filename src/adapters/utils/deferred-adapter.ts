import type { Adapter, AdapterType, Conversation } from '../../domain/types.js';

/**
 * An adapter whose implementation is loaded on first use, for adapters whose dependencies are slow
 * to import (a browser driver): commands and runs that never reach such a target do not pay for it.
 * Conversations may be opened before loading; their first message waits for it.
 */
export function createDeferredAdapter(name: AdapterType, load: () => Promise<Adapter>): Adapter {
  let loading: Promise<Adapter> | undefined;
  let loaded: Adapter | undefined;
  const adapter = () => (loading ??= load().then((a) => (loaded = a)));

  const open = (): Conversation => {
    let inner: Promise<Conversation> | undefined;
    return {
      async send(message, signal) {
        inner ??= adapter().then((a) => a.open());
        return (await inner).send(message, signal);
      },
      async close() {
        if (inner) await (await inner).close();
      },
    };
  };

  return {
    name,
    open,
    // Without a probe of its own, the loaded adapter is treated as the runner treats one: let a case through.
    async probe(signal) {
      const a = await adapter();
      return a.probe ? a.probe(signal) : true;
    },
    // A bug's stack is redacted once the adapter has loaded, which it has by the time it can throw one.
    redact(text) {
      return loaded?.redact?.(text) ?? text;
    },
    async close() {
      if (loading) await (await loading).close();
    },
  };
}
