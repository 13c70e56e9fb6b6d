import type { Adapter, AdapterConfig } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { createHttpJsonAdapter } from './http-json.js';
import { createOpenAiChatAdapter } from './openai-chat.js';
import { createDeferredAdapter } from './utils/deferred-adapter.js';
import type { BrowserHost } from './utils/browser.js';
import type { ChromiumOptions } from './utils/chromium.js';
import type { EvidenceOptions } from './utils/evidence.js';
import type { WebWidgetAdapterOptions } from './web-widget.js';

/**
 * One Chromium for every widget target of a process (56 cities need not start 56 browsers), per
 * browser asked for; it closes when the last adapter using it does.
 */
const sharedBrowsers = new Map<string, { host: Promise<BrowserHost>; users: number }>();

async function acquireBrowser(chromium: ChromiumOptions): Promise<BrowserHost> {
  const key = chromium.executablePath ?? '';
  let shared = sharedBrowsers.get(key);
  if (!shared) {
    shared = { host: import('./utils/browser.js').then((m) => m.createBrowserHost(chromium)), users: 0 };
    sharedBrowsers.set(key, shared);
  }
  shared.users += 1;
  return shared.host;
}

async function releaseBrowser(chromium: ChromiumOptions): Promise<void> {
  const key = chromium.executablePath ?? '';
  const shared = sharedBrowsers.get(key);
  if (!shared || --shared.users > 0) return;
  sharedBrowsers.delete(key);
  await (await shared.host).close();
}

/** The shared browser of a run, started ahead of its first widget case and kept until the run ends. */
export interface HeldBrowser {
  /** As Chromium reports it; null when it would not start (the cases then record why). */
  version: string | null;
  release(): Promise<void>;
}

/**
 * Starts the browser the run's widget targets will share, so the run can record its version before
 * the first case: the launch the first case would pay is paid here instead, not twice.
 */
export async function holdBrowser(chromium: ChromiumOptions = {}): Promise<HeldBrowser> {
  const host = await acquireBrowser(chromium);
  const version = await host.version().catch(() => null);
  return { version, release: () => releaseBrowser(chromium) };
}

/** Playwright takes over a second to import; only runs that reach a widget load it. */
function createLazyWebWidgetAdapter(opts: WebWidgetAdapterOptions): Adapter {
  return createDeferredAdapter('web-widget', async () => {
    const chromium = opts.chromium ?? {};
    const browser = opts.browser ?? (await acquireBrowser(chromium));
    const inner = (await import('./web-widget.js')).createWebWidgetAdapter({ ...opts, browser });
    return opts.browser ? inner : { ...inner, close: () => inner.close().finally(() => releaseBrowser(chromium)) };
  });
}

type ConfigOf = { [K in AdapterKind]: Extract<AdapterConfig, { type: K }> };

/** What every factory is given; `chromium` and `evidence` matter only to web-widget targets. */
interface AdapterFactoryOptions<K extends AdapterKind> {
  config: ConfigOf[K];
  env: NodeJS.ProcessEnv;
  chromium?: ChromiumOptions;
  evidence?: EvidenceOptions;
}

type AdapterFactories = { [K in AdapterKind]: (opts: AdapterFactoryOptions<K>) => Adapter };

/** Adapter kinds a target can name, mapped to their factories. */
export const adapters = {
  'http-json': createHttpJsonAdapter,
  'openai-chat': createOpenAiChatAdapter,
  'web-widget': createLazyWebWidgetAdapter,
} as const satisfies AdapterFactories;

/** Every adapter type of `targets/*.yaml` but `simulated`, which a demo fleet turns into http-json. */
type AdapterKind = Exclude<AdapterConfig['type'], 'simulated'>;

/** What a run decides for all its adapters. */
interface CreateAdapterOptions {
  /** Which Chromium web-widget targets use (the run config's `browser`). */
  chromium?: ChromiumOptions;
  /** Where web-widget targets keep a screenshot of each finished reply (`run --evidence`, `check`). */
  evidence?: EvidenceOptions;
}

/**
 * Builds the adapter for a target. Simulated targets must first be pointed at a fleet
 * (see `src/demo`), which turns them into http-json targets.
 */
export function createAdapter(config: AdapterConfig, env: NodeJS.ProcessEnv = process.env, opts: CreateAdapterOptions = {}): Adapter {
  if (config.type === 'simulated') {
    throw new UserError(`simulated target (persona ${config.persona}) has no demo fleet to reach`, 'start one with `govbench demo-fleet` and set adapter.fleet');
  }
  return create(config.type, config, { env, ...(opts.chromium && { chromium: opts.chromium }), ...(opts.evidence && { evidence: opts.evidence }) });
}

/** One generic call, so the compiler sees that each kind's config reaches that kind's factory. */
function create<K extends AdapterKind>(kind: K, config: ConfigOf[K], rest: Omit<AdapterFactoryOptions<K>, 'config'>): Adapter {
  const factory: AdapterFactories[K] = adapters[kind];
  return factory({ config, ...rest });
}
