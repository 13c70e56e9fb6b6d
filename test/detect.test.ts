import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import { detectChat, type DetectResult } from '../src/detect/detect.js';
import { answerFor, PORTAL_PAGES, servePortals, shownReply, type PortalSite } from './fixtures/portals/server.js';

const PROBE = '营业执照变更登记需要准备什么材料？';
const FOLLOW_UP = ['周末可以去窗口办理吗？', '可以委托别人代办吗？'];

/**
 * The reply as the page's API gave it: the answer, with the related questions some pages show in the
 * same message either kept (when the selector found takes the whole message) or left out (its answer part).
 */
function expectWhole(path: string, question: string, reply: string | null | undefined): void {
  expect([shownReply(path, question), answerFor(question)]).toContain(reply);
}

/** Pages whose chat a visitor can use; the rest stand a wall before it. */
const OPEN_PAGES = PORTAL_PAGES.filter((p) => !p.blocked).map((p) => p.path);

// One browser for every detection, each page detected once and looked at by several tests; three pages
// at a time, as they mostly wait.
describe.concurrent('govbench detect on portal pages it was given no hints about', () => {
  const browser = createBrowserHost();
  let site: PortalSite;
  let shots: string;
  beforeAll(async () => {
    site = await servePortals();
    shots = mkdtempSync(join(tmpdir(), 'govbench-detect-'));
    await (await browser.newContext('http://127.0.0.1/')).close();
  });
  afterAll(async () => {
    await browser.close();
    await site.close();
    rmSync(shots, { recursive: true, force: true });
  });
  const limit = pLimit(3);
  const detections = new Map<string, Promise<DetectResult>>();
  const detect = (path: string, question = PROBE): Promise<DetectResult> => {
    const key = `${path} ${question}`;
    if (!detections.has(key)) detections.set(key, limit(() => detectChat({ url: `${site.url}${path}`, question, browser, screenshotDir: shots })));
    return detections.get(key)!;
  };

  it.each(OPEN_PAGES)('finds the chat on %s, and a run through what it found captures whole replies', { timeout: 120_000 }, async (path) => {
    const found = await detect(path);
    expect(found.notes.join('\n')).not.toContain('failed');
    expect(found.ok).toBe(true);
    expect(found.blocked).toBeNull();
    expectWhole(path, PROBE, found.probe.reply);
    expect(found.probe.firstReplyMs).toBeGreaterThan(0);
    expect(found.screenshot).toMatch(/\.png$/);
    // The configuration alone, in a fresh page, as a run would use it: every reply whole, nothing else in it.
    const adapter = createWebWidgetAdapter({ config: found.adapter!, browser });
    const conversation = adapter.open();
    try {
      for (const q of FOLLOW_UP) {
        const reply = await conversation.send(q, AbortSignal.timeout(30_000));
        expectWhole(path, q, reply.text);
      }
    } finally {
      await conversation.close();
      await adapter.close();
    }
  });

  it('takes the chat inside a shadow root, never the site search box that comes first on the page', { timeout: 120_000 }, async () => {
    const found = await detect('/shadow-inline.html');
    expect(found.adapter?.steps).toEqual([]);
    expect(found.adapter?.selectors.input).not.toMatch(/搜索|search/i);
    expect(site.asked.filter((a) => a.q === PROBE).length).toBeGreaterThan(0);
  });

  it('enters a chat that opens in a new window with a popup step, and sends with Enter where there is no button', { timeout: 120_000 }, async () => {
    const found = await detect('/new-window.html');
    expect(found.adapter?.steps.map((s) => Object.keys(s)[0])).toEqual(['popup']);
    expect(found.adapter?.selectors.send).toBeUndefined();
  });

  it('enters the iframe a launcher opens', { timeout: 120_000 }, async () => {
    const found = await detect('/launcher-iframe.html');
    expect(found.adapter?.steps.map((s) => Object.keys(s)[0])).toEqual(['click', 'frame']);
  });

  it('gives a streamed reply time to finish: the quiet time outlasts the typing bubble\'s wait before it', { timeout: 120_000 }, async () => {
    const found = await detect('/streamed.html');
    expect(found.probe.reply).toBe(answerFor(PROBE));
    // The pieces come 80 ms apart, which alone would leave the 1 s floor; the 正在输入… bubble stands
    // 0.6 s before the first piece, and that wait is what lifts the quiet time above the floor.
    expect(found.adapter?.quietMs).toBeGreaterThan(1_000);
  });

  it.each([
    ['/captcha.html', 'captcha'],
    ['/login-wall.html', 'login'],
    ['/handoff.html', 'handoff'],
  ] as const)('reports %s as blocked by a %s, with a screenshot', { timeout: 120_000 }, async (path, wall) => {
    const question = `${path}：${PROBE}`;
    const found = await detect(path, question);
    expect(found).toMatchObject({ ok: false, blocked: wall, adapter: null });
    expect(found.screenshot).toMatch(/\.png$/);
    // A hand-off is only known once asked; a wall keeps the question from ever being sent.
    expect(found.notes.join('\n')).toMatch({ captcha: /captcha/, login: /log in|login/, handoff: /human agent/ }[wall]);
    if (wall === 'handoff') expect(site.asked.map((a) => a.q)).toContain(question);
    else expect(site.asked.map((a) => a.q)).not.toContain(question);
  });
});
