import type { Browser, BrowserContext } from 'playwright-core';
import { AdapterError, firstLine } from './adapter-error.js';
import { launchChromium, type ChromiumOptions } from './chromium.js';

/** One Chromium shared by every conversation of an adapter, started when the first one needs it. */
export interface BrowserHost {
  /**
   * A fresh context (its own cookies and storage, so conversations cannot see each other) whose
   * requests reach only the site of `pageUrl` and loopback; everything else is aborted.
   */
  newContext(pageUrl: string): Promise<BrowserContext>;
  /** The running browser's version (e.g. "150.0.7871.100"), starting it if it is not running yet. */
  version(): Promise<string>;
  /** Closes the browser and every context in it. */
  close(): Promise<void>;
}

/** `chromium` says which browser to start; by default the one `locateChromium` picks. */
export function createBrowserHost(chromium: ChromiumOptions = {}): BrowserHost {
  let browser: Promise<Browser> | undefined;
  let closed = false;

  const get = (): Promise<Browser> => {
    if (closed) return Promise.reject(new AdapterError('browser', 'the web-widget adapter is already closed'));
    if (!browser) {
      const starting = launchChromium(chromium).then(
        (b) => {
          // A crashed browser is started again by the next conversation rather than failing all of them.
          b.on('disconnected', () => {
            if (browser === starting) browser = undefined;
          });
          return b;
        },
        (err: unknown) => {
          browser = undefined;
          // launchChromium's errors already name the browser and what to do.
          throw err instanceof AdapterError ? err : new AdapterError('browser', `could not start Chromium: ${firstLine(err)}`, { cause: err });
        },
      );
      browser = starting;
    }
    return browser;
  };

  return {
    async newContext(pageUrl) {
      const target = new URL(pageUrl);
      const context = await (await get()).newContext({
        // Requests from service workers would bypass the routes below.
        serviceWorkers: 'block',
        locale: 'zh-CN',
        viewport: { width: 1280, height: 900 },
      });
      // Functions we run in pages are shipped as the transpiler left them; tsx (the bench, a checkout whose
      // build is older than its sources) wraps named inner functions in `__name(fn, "name")`, a helper
      // the page lacks. An identity stands in for it.
      await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
      await context.route((url) => !isAllowedRequest(url, target), (route) => route.abort('blockedbyclient'));
      await context.routeWebSocket((url) => !isAllowedRequest(url, target), (ws) => ws.close());
      return context;
    },
    async version() {
      return (await get()).version();
    },
    async close() {
      closed = true;
      const b = browser;
      browser = undefined;
      if (b) await (await b.catch(() => undefined))?.close();
    },
  };
}

const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

/**
 * Whether a page may fetch `url`: the target's own site (a portal's chat often lives on a sibling
 * host such as a `znkf.` subdomain), loopback, and in-page schemes. Trackers, fonts and analytics
 * on other sites are refused, so a run talks to nothing but the chatbot under test.
 */
export function isAllowedRequest(url: URL, target: URL): boolean {
  if (LOCAL_SCHEMES.has(url.protocol)) return true;
  if (!NETWORK_SCHEMES.has(url.protocol)) return false;
  if (isLoopback(url.hostname)) return true;
  return siteOf(url.hostname) === siteOf(target.hostname);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Second-level labels under which the registrable name has three labels, as in gov.cn or com.cn. */
const SECOND_LEVEL = new Set(['ac', 'co', 'com', 'edu', 'gov', 'mil', 'net', 'org']);

/**
 * The registrable part of a host name, by a rule that fits government portals (`*.gov.cn`) without
 * shipping the public suffix list: IP literals stand for themselves.
 */
export function siteOf(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host;
  const labels = host.split('.');
  const last = labels.at(-1) ?? '';
  const keep = labels.length >= 3 && last.length === 2 && SECOND_LEVEL.has(labels.at(-2) ?? '') ? 3 : 2;
  return labels.slice(-keep).join('.');
}
