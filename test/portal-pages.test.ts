import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import type { Adapter } from '../src/domain/types.js';
import {
  answerFor,
  EXPIRED_TEXT,
  GREETINGS,
  HANDOFF_TEXT,
  handConfig,
  linkFor,
  PORTAL_PAGES,
  QUEUE_TEXT,
  servePortals,
  shownReply,
  suggestionsFor,
  SUGGEST_INTRO,
  type PortalSite,
} from './fixtures/portals/server.js';

// Generous: the first turn loads the page, and the machine running the suite may be busy.
const TURN = (): AbortSignal => AbortSignal.timeout(25_000);
/** The second asks for a guide: pages that show links put one under that answer. */
const QUESTIONS = ['营业执照丢了可以补办吗？', '公积金提取的办事指南在哪里看？'];

let site: PortalSite;
let shots = '';
const browser = createBrowserHost();
const adapters: Adapter[] = [];
const adapterFor = (path: string): Adapter => {
  const adapter = createWebWidgetAdapter({ config: { ...handConfig(site.url, path), screenshotDir: shots }, browser });
  adapters.push(adapter);
  return adapter;
};

beforeAll(async () => {
  site = await servePortals();
  shots = mkdtempSync(join(tmpdir(), 'govbench-portals-'));
  await (await browser.newContext(site.url)).close();
});
afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()));
  await browser.close();
  await site.close();
  rmSync(shots, { recursive: true, force: true });
});

describe('the portal bot', () => {
  it('answers each question with its own text of several sentences', () => {
    const [a, b] = QUESTIONS.map(answerFor);
    expect(a).not.toBe(b);
    expect(a!.replace(/[^\u4e00-\u9fff]/g, '').length).toBeGreaterThanOrEqual(40);
    expect(a!.match(/。/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('answers vague questions with three suggestions it knows the answers to', async () => {
    const res = await fetch(`${site.url}/api/chat`, { method: 'POST', body: JSON.stringify({ q: '怎么办理护照？', sid: 'x' }) });
    const body = (await res.json()) as { answer: string; suggestions: string[] };
    expect(body).toEqual({ code: 0, answer: '', suggestions: suggestionsFor('怎么办理护照？') });
    expect(body.suggestions).toEqual(['办理护照需要准备哪些材料？', '办理护照可以在哪里办理？', '办理护照需要多长时间？']);
  });
});

describe('the portal pages', () => {
  const text = async (path: string): Promise<string> => (await fetch(`${site.url}${path}`)).text();

  it('look like portals: a site search box and nav links, no ids', async () => {
    for (const page of PORTAL_PAGES) {
      const html = await text(page.path);
      expect(html, page.path).toMatch(/<input[^>]*>\s*<(button|a|span|b)[^>]*>搜索</);
      expect(html.match(/<a href=/g)?.length, page.path).toBeGreaterThanOrEqual(4);
      expect(html, page.path).not.toMatch(/\sid=/);
    }
  });

  it('greet where the chat lives; the shadow-root page has the site search first, the embedded one its chat on another origin', async () => {
    for (const page of PORTAL_PAGES) {
      const sources = await Promise.all([page.path, page.chatAt ?? page.path, '/static/kf-widget.js'].map(text));
      expect(sources.join(''), page.path).toContain(GREETINGS[page.path]);
    }
    const html = await text('/shadow-inline.html');
    expect(html.indexOf('<input')).toBeLessThan(html.indexOf('<nps-znwd'));
    expect(html.slice(html.indexOf('<input'), html.indexOf('<nps-znwd'))).toContain('搜索');
    // The page is served on 127.0.0.1: a frame from localhost is another origin.
    expect(await text('/embedded.html')).toContain("location.protocol + '//localhost:' + location.port + '/widgets/embed.html");
  });
});

describe.concurrent('portal pages driven through their hand configurations', { timeout: 60_000 }, () => {
  for (const page of PORTAL_PAGES.filter((p) => !p.blocked && p.shape !== 'suggest-list')) {
    it(`${page.shape}: two questions in one conversation, each reply exactly the API's answer`, async () => {
      const guide = linkFor(QUESTIONS[1]!)!;
      const conversation = adapterFor(page.path).open();
      try {
        for (const q of QUESTIONS) {
          const reply = await conversation.send(q, TURN());
          expect(reply.text).toBe(shownReply(page.path, q));
          // Streamed in over about 1.6 s: the whole answer was waited for, not taken at its first piece.
          if (page.shape === 'streamed') expect(reply.totalMs - reply.firstMs).toBeGreaterThan(1_000);
          if (q === QUESTIONS[1]) expect(reply.raw.includes(`href="${guide.href}"`)).toBe(page.showsLinks === true);
        }
      } finally {
        await conversation.close();
      }
    });
  }

  it('suggest-list: a vague question gets the numbered suggestions; a suggestion asked gets its answer', async () => {
    const conversation = adapterFor('/suggest-list.html').open();
    try {
      const vague = await conversation.send('怎么换护照？', TURN());
      const offered = suggestionsFor('怎么换护照？');
      expect(vague.text).toBe([SUGGEST_INTRO, ...offered.map((s, i) => `${i + 1}. ${s}`)].join('\n'));
      const followed = await conversation.send(offered[1]!, TURN());
      expect(followed.text).toBe(answerFor(offered[1]!));
    } finally {
      await conversation.close();
    }
  });

  it('handoff: every question is handed to a person, then queued', async () => {
    const conversation = adapterFor('/handoff.html').open();
    try {
      const reply = await conversation.send(QUESTIONS[0]!, TURN());
      expect(reply.text).toBe(`${HANDOFF_TEXT}\n${QUEUE_TEXT}`);
    } finally {
      await conversation.close();
    }
  });

  it('expired: the first question is answered, the second finds the session expired', async () => {
    const conversation = adapterFor('/expired.html').open();
    try {
      expect((await conversation.send(QUESTIONS[0]!, TURN())).text).toBe(answerFor(QUESTIONS[0]!));
      expect((await conversation.send(QUESTIONS[1]!, TURN())).text).toBe(EXPIRED_TEXT);
    } finally {
      await conversation.close();
    }
  });

  for (const [path, wall, field] of [
    ['/captcha.html', /安全验证[\s\S]*请按住滑块/, '请输入验证码'],
    ['/login-wall.html', /请先登录[\s\S]*扫码登录/, '密码'],
  ] as const) {
    it(`${path}: the launcher opens a wall in front of a disabled chat`, async ({ expect }) => {
      const context = await browser.newContext(site.url);
      try {
        const page = await context.newPage();
        await page.goto(`${site.url}${path}`);
        await page.getByText('在线客服').click();
        await expect.poll(() => page.locator('.vk-p').innerText()).toMatch(wall);
        expect(await page.getByPlaceholder(field).isVisible()).toBe(true);
        expect(await page.locator('.vk-p textarea').isDisabled()).toBe(true);
      } finally {
        await context.close();
      }
    });
  }

  it('suggest-list: clicking a suggested question asks it and shows its answer', async ({ expect }) => {
    const context = await browser.newContext(site.url);
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/suggest-list.html`);
      await page.locator('.ua textarea').fill('如何补办护照？');
      await page.locator('.ua input[type=button]').click();
      const [, second] = suggestionsFor('如何补办护照？');
      await page.getByText(second!, { exact: true }).click();
      await expect.poll(() => page.locator('.say:not(.mine) > div').last().innerText()).toBe(answerFor(second!));
      expect(await page.locator('.say.mine > div').last().innerText()).toBe(second);
    } finally {
      await context.close();
    }
  });

  it('streamed: a typing bubble first, then the answer written into a new bubble a piece at a time', async ({ expect }) => {
    const context = await browser.newContext(site.url);
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/streamed.html`);
      await page.locator('.fx-kf').click();
      await page.locator('.pnl textarea').fill(QUESTIONS[0]!);
      await page.locator('.pnl .send-btn').click();
      await page.getByText('正在输入…').waitFor();
      const bubble = page.locator('.m--bot .m__t').nth(1);
      await expect.poll(() => bubble.textContent(), { interval: 20 }).not.toBe(null);
      const first = (await bubble.textContent()) ?? '';
      expect(first.length).toBeLessThan(answerFor(QUESTIONS[0]!).length);
      await expect.poll(() => bubble.textContent(), { timeout: 5_000 }).toBe(answerFor(QUESTIONS[0]!));
      expect(await page.getByText('正在输入…').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('new-window: the floating icon opens the same chat with window.open', async () => {
    const adapter = createWebWidgetAdapter({
      config: { ...handConfig(site.url, '/new-window.html'), steps: [{ popup: '.k_f' }], screenshotDir: shots },
      browser,
    });
    adapters.push(adapter);
    const conversation = adapter.open();
    try {
      expect((await conversation.send(QUESTIONS[1]!, TURN())).text).toBe(shownReply('/new-window.html', QUESTIONS[1]!));
    } finally {
      await conversation.close();
    }
  });
});
