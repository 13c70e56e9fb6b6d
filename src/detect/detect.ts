import type { Page } from 'playwright-core';
import { AdapterError, firstLine } from '../adapters/utils/adapter-error.js';
import { findWall } from '../adapters/utils/blocked-page.js';
import { saveScreenshot } from '../adapters/utils/browser-failure.js';
import type { BrowserHost } from '../adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../adapters/web-widget.js';
import type { AdapterReply, WebWidgetAdapterConfig } from '../domain/types.js';
import { blockedReplyKind } from '../text/blocked-reply.js';
import { findChat, settle } from './find-chat.js';
import { watchReply } from './watch-reply.js';

export interface DetectOptions {
  url: string;
  question: string;
  browser: BrowserHost;
  screenshotDir: string;
  /** Bounds the adapter's own probe turn. @default 45 s */
  probeTimeoutMs?: number;
}

/** What `detect` found on one page (the CLI's `--json` output, less the target's id and name). */
export interface DetectResult {
  ok: boolean;
  /** The page's title, a name for the target. */
  title: string;
  adapter: WebWidgetAdapterConfig | null;
  probe: { question: string; reply: string | null; firstReplyMs: number | null };
  /** Set when a captcha or a login form stands before the chat, or the bot only hands over or expires. */
  blocked: Blocked | null;
  screenshot: string | null;
  /** What was tried and found, in order; where it stopped when `ok` is false. */
  notes: string[];
}

/** What keeps a visitor from answers, by the failure kinds' names. */
export type Blocked = 'captcha' | 'login' | 'handoff' | 'expired';

const PROBE_TIMEOUT_MS = 45_000;

/**
 * Works out how to chat on a portal page (see `findChat`, `watchReply`), then asks the probe question
 * again through the ordinary web-widget adapter with the configuration found, in a fresh context: only
 * a reply captured that way makes the result `ok`, so what is printed is known to work.
 */
export async function detectChat(opts: DetectOptions): Promise<DetectResult> {
  const notes: string[] = [];
  const result = (r: Partial<DetectResult>): DetectResult => ({
    ok: false,
    title: '',
    adapter: null,
    probe: { question: opts.question, reply: null, firstReplyMs: null },
    blocked: null,
    screenshot: null,
    notes,
    ...r,
  });
  const context = await opts.browser.newContext(opts.url);
  try {
    const page = await context.newPage();
    const response = await page.goto(opts.url, { waitUntil: 'domcontentloaded' }).catch((err: unknown) => {
      notes.push(`the page did not load: ${firstLine(err)}`);
      return null;
    });
    if (response === null && notes.length > 0) return result({ screenshot: await shot(page, opts.screenshotDir) });
    if (response && response.status() >= 400) {
      notes.push(`the page answered HTTP ${response.status()}`);
      return result({ screenshot: await shot(page, opts.screenshotDir) });
    }
    await settle(page);
    const title = (await page.title().catch(() => '')).trim();
    const found = await findChat(context, page, opts.url, notes);
    if ('wall' in found) {
      return result({ title, blocked: found.wall.kind, screenshot: await shot(context.pages().at(-1) ?? page, opts.screenshotDir) });
    }
    if ('missing' in found) {
      notes.push('no chat input was found on the page or behind any launcher');
      return result({ title, screenshot: await shot(page, opts.screenshotDir) });
    }
    const chat = found.found;
    notes.push(`input: ${chat.inputSelector} (${chat.input.tag})`);
    const watched = await watchReply(chat, opts.question, notes);
    if ('failed' in watched) {
      notes.push(watched.failed);
      // A wall that showed up once the question was typed or sent (a captcha before sending, a login).
      const wall = await findWall(chat.page, chat.frame.locator(chat.inputSelector));
      if (wall) notes.push(wall.message);
      return result({ title, blocked: wall?.kind ?? null, screenshot: await shot(chat.page, opts.screenshotDir) });
    }
    const o = watched.observed;
    const wall = blockedReplyKind(o.text);
    if (wall) {
      notes.push(wall === 'handoff' ? `the bot hands the question to a human agent: 「${o.text}」` : `the bot says the session expired: 「${o.text}」`);
      return result({ title, blocked: wall, screenshot: await shot(chat.page, opts.screenshotDir) });
    }
    const adapter: WebWidgetAdapterConfig = {
      type: 'web-widget',
      url: opts.url,
      steps: chat.steps,
      selectors: { input: chat.inputSelector, ...(o.sendSelector !== undefined && { send: o.sendSelector }), botMessage: o.botMessage },
      quietMs: o.quietMs,
    };
    // The page as detection left it, the reply on screen, taken while the adapter asks again in a fresh one.
    const [probe, screenshot] = await Promise.all([askThrough(adapter, opts), shot(chat.page, opts.screenshotDir)]);
    if (probe instanceof AdapterError) {
      notes.push(`asking again through the web-widget adapter failed: ${probe.kind}: ${probe.message}`);
      return result({ title, adapter, screenshot: probe.details.screenshot ?? screenshot });
    }
    if (probe.text.trim() === '') notes.push('asking again through the web-widget adapter brought back an empty reply');
    return result({
      ok: probe.text.trim() !== '',
      title,
      adapter,
      probe: { question: opts.question, reply: probe.text, firstReplyMs: Math.round(probe.firstMs) },
      screenshot,
    });
  } finally {
    await context.close().catch(() => undefined);
  }
}

async function askThrough(config: WebWidgetAdapterConfig, opts: DetectOptions): Promise<AdapterReply | AdapterError> {
  const adapter = createWebWidgetAdapter({ config: { ...config, screenshotDir: opts.screenshotDir }, browser: opts.browser });
  const conversation = adapter.open();
  try {
    return await conversation.send(opts.question, AbortSignal.timeout(opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS));
  } catch (err) {
    if (err instanceof AdapterError) return err;
    throw err;
  } finally {
    await conversation.close();
    await adapter.close();
  }
}

async function shot(page: Page, dir: string): Promise<string | null> {
  return (await saveScreenshot(page, dir, [page.locator('input[type=password]')])) ?? null;
}
