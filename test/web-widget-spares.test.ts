import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserHost, type BrowserHost } from '../src/adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import type { Adapter, WebWidgetAdapterConfig } from '../src/domain/types.js';
import { DEEP_CHAT, reply, useWidgetHarness } from './fixtures/widget/harness.js';
import { loopbackServer, tempDir, type LoopbackServer } from './helpers.js';

const { site } = useWidgetHarness();

/** The shared browser, counting the contexts its adapters hold open. */
function countingHost(real: BrowserHost): BrowserHost & { asked: number; open: number; peak: number; closed: number } {
  const counts = { asked: 0, open: 0, peak: 0, closed: 0 };
  return Object.assign(counts, {
    async newContext(url: string) {
      counts.asked += 1;
      const context = await real.newContext(url);
      counts.open += 1;
      counts.peak = Math.max(counts.peak, counts.open);
      context.on('close', () => {
        counts.open -= 1;
        counts.closed += 1;
      });
      return context;
    },
    close: () => real.close(),
    version: () => real.version(),
  });
}

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  for (const start = performance.now(); !condition(); await sleep(25)) {
    if (performance.now() - start > ms) throw new Error('condition not met in time');
  }
}

/** One conversation of one turn. */
async function ask(adapter: Adapter, question: string): Promise<string> {
  const conversation = adapter.open();
  try {
    return (await conversation.send(question, AbortSignal.timeout(20_000))).text;
  } finally {
    await conversation.close();
  }
}

/** The widget site behind a proxy that counts loads of the chat page and answers them 503 while `broken` says so. */
async function flakySite(broken: (load: number) => boolean): Promise<LoopbackServer & { loads(): number }> {
  let loads = 0;
  const server = await loopbackServer(async (req, res) => {
    if (req.url?.startsWith('/chat.html') && broken(++loads)) {
      res.writeHead(503).end('busy');
      return;
    }
    const upstream = await fetch(`${site().url}${req.url}`);
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  return { ...server, loads: () => loads };
}

// One browser for the file, started beforehand; the adapters mostly wait, side by side.
describe.concurrent('web-widget spare pages', () => {
  const browser = createBrowserHost();
  beforeAll(async () => {
    await (await browser.newContext('http://127.0.0.1/')).close();
  });
  afterAll(() => browser.close());

  const widget = (url: string, host: BrowserHost, extra: Partial<WebWidgetAdapterConfig> = {}): Adapter =>
    createWebWidgetAdapter({ config: { type: 'web-widget', url, steps: [], selectors: DEEP_CHAT, quietMs: 300, ...extra }, browser: host });

  it('opens the next pages ahead, each in a fresh context, no more than one per conversation in flight, all closed with the adapter', async () => {
    const host = countingHost(browser);
    let down = false;
    const flaky = await flakySite(() => down);
    const adapter = widget(`${flaky.url}/chat.html`, host);
    try {
      expect(await Promise.all([ask(adapter, '怎么预约？'), ask(adapter, '在哪里办？')])).toEqual([reply(1, '怎么预约？'), reply(1, '在哪里办？')]);
      // Each conversation, once it had its page, had a spare opened for the one after it.
      await until(() => flaky.loads() === 4);
      down = true;
      // The site is down now: only pages opened before can answer. Each is on its first question,
      // without the visitor cookie the earlier pages set: new pages in new contexts.
      expect(await Promise.all([ask(adapter, '要带什么？'), ask(adapter, '几点上班？')])).toEqual([reply(1, '要带什么？'), reply(1, '几点上班？')]);
      expect(host.peak).toBeLessThanOrEqual(4);
    } finally {
      await adapter.close();
      await flaky.close();
    }
    expect(host.asked).toBeGreaterThanOrEqual(4);
    // A spare whose context was still being created is closed as soon as it arrives.
    await until(() => host.closed === host.asked, 5_000);
  });

  it('a spare that fails is nobody’s failure; the next conversation starts afresh and a real fault keeps its screenshot', async () => {
    using shots = tempDir();
    const host = countingHost(browser);
    let broken = (n: number): boolean => n > 2;
    const flaky = await flakySite((n) => broken(n));
    const adapter = widget(`${flaky.url}/chat.html`, host, { screenshotDir: shots.dir });
    try {
      expect(await Promise.all([ask(adapter, '怎么预约？'), ask(adapter, '在哪里办？')])).toEqual([reply(1, '怎么预约？'), reply(1, '在哪里办？')]);
      // The spares got 503s (the second is not even tried if the first failed before it was due)
      // and closed their pages; no screenshot of them is kept.
      await until(() => host.closed === host.asked);
      const loads = flaky.loads();
      expect(loads).toBeGreaterThanOrEqual(3);
      await sleep(300);
      expect(readdirSync(shots.dir)).toEqual([]);

      const conversation = adapter.open();
      const err = await conversation.send('还在吗？', AbortSignal.timeout(20_000)).catch((e: unknown) => e);
      await conversation.close();
      expect(err).toMatchObject({ kind: 'http-status', details: { httpStatus: 503 } });
      expect(flaky.loads()).toBe(loads + 1);
      expect(readdirSync(shots.dir)).toHaveLength(1);

      broken = () => false;
      expect(await ask(adapter, '周末上班吗？')).toBe(reply(1, '周末上班吗？'));
      // After a failed spare, pages are opened only when asked for a while.
      await sleep(300);
      expect(flaky.loads()).toBe(loads + 2);
    } finally {
      await adapter.close();
      await flaky.close();
    }
  });
});
