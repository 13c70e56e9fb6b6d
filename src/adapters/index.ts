import type { Adapter, AdapterConfig } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { createHttpJsonAdapter } from './http-json.js';
import { createOpenAiChatAdapter } from './openai-chat.js';
import { createDeferredAdapter } from './utils/deferred-adapter.js';
import type { BrowserHost } from './utils/browser.js';
import type { WebWidgetAdapterOptions } from './web-widget.js';

/**
 * One Chromium for every widget target of a process (56 cities need not start 56 browsers); it
 * closes when the last adapter using it does.
 */
let sharedBrowser: { host: Promise<BrowserHost>; users: number } | undefined;

async function acquireBrowser(): Promise<BrowserHost> {
  sharedBrowser ??= { host: import('./utils/browser.js').then((m) => m.createBrowserHost()), users: 0 };
  sharedBrowser.users += 1;
  return sharedBrowser.host;
}

async function releaseBrowser(): Promise<void> {
  if (!sharedBrowser || --sharedBrowser.users > 0) return;
  const { host } = sharedBrowser;
  sharedBrowser = undefined;
  await (await host).close();
}

/** Playwright takes over a second to import; only runs that reach a widget load it. */
function createLazyWebWidgetAdapter(opts: WebWidgetAdapterOptions): Adapter {
  return createDeferredAdapter('web-widget', async () => {
    const browser = opts.browser ?? (await acquireBrowser());
    const inner = (await import('./web-widget.js')).createWebWidgetAdapter({ ...opts, browser });
    return opts.browser ? inner : { ...inner, close: () => inner.close().finally(releaseBrowser) };
  });
}

/** Adapter kinds a target can name, mapped to their factories. */
export const adapters = {
  'http-json': createHttpJsonAdapter,
  'openai-chat': createOpenAiChatAdapter,
  'web-widget': createLazyWebWidgetAdapter,
} as const;

export type AdapterKind = keyof typeof adapters;

/**
 * Builds the adapter for a target. Simulated targets must first be pointed at a fleet
 * (see `src/demo`), which turns them into http-json targets.
 */
export function createAdapter(config: AdapterConfig, env: NodeJS.ProcessEnv = process.env): Adapter {
  switch (config.type) {
    case 'http-json':
      return adapters['http-json']({ config, env });
    case 'openai-chat':
      return adapters['openai-chat']({ config, env });
    case 'web-widget':
      return adapters['web-widget']({ config, env });
    case 'simulated':
      throw new UserError(`simulated target (persona ${config.persona}) has no demo fleet to reach`, 'start one with `govbench demo-fleet` and set adapter.fleet');
  }
}
