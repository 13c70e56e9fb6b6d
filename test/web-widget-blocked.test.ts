/**
 * A chat behind a wall (issue 14): the widget adapter names a captcha or a login wall instead of
 * blaming a selector, and a page that never loads is `page-load`. Small pages of our own, served by
 * the widget harness; the bots on them never answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import { loopbackServer } from './helpers.js';
import { useWidgetHarness } from './fixtures/widget/harness.js';

const { site, widget, failure, expectScreenshot } = useWidgetHarness();
const CHAT = { input: '#q', send: '#send', botMessage: '.bot' };
const shared = createBrowserHost();
// Chromium starts once, before the turns are timed: each turn below waits out its whole timeout, so the
// turns wait side by side.
beforeAll(async () => (await shared.newContext(site().url)).close(), 30_000);
afterAll(() => shared.close());
/** Long enough for a page to load on a busy machine, so that only the wall can fail the turn. */
const TURN_MS = 4_000;

describe.concurrent('web-widget adapter in front of a wall', () => {
  it.each([
    ['/blocked-captcha-frame.html', 'captcha', /“请完成安全验证”/, 'a text in a frame'],
    ['/blocked-captcha-shadow.html', 'captcha', /geetest_panel_box/, 'a vendor container in an open shadow root'],
    ['/blocked-captcha-code.html', 'captcha', /a drawn code beside a text field/, 'a canvas beside a field'],
    ['/blocked-login.html', 'login', /password field/, 'a password field, beside a captcha of its own'],
    ['/blocked-login-qr.html', 'login', /“扫码登录”/, 'a request to scan a login code'],
  ])('%s: the input never shows, and the failure is %s (%s), not retried', async (path, kind, detail) => {
    const conversation = widget(path, { selectors: CHAT }, shared).open();
    const err = await failure(conversation.send('怎么办理？', AbortSignal.timeout(TURN_MS)));
    await conversation.close();
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(detail);
    expect(err.message).toContain('waiting for the input #q');
    expect(err.retryable).toBe(false);
    expectScreenshot(err);
  }, 20_000);

  it('names a captcha that appears after sending, where the bot stays silent', async () => {
    const conversation = widget('/blocked-silent.html?after=captcha', { selectors: CHAT, quietMs: 200 }, shared).open();
    const err = await failure(conversation.send('怎么办理？', AbortSignal.timeout(TURN_MS)));
    await conversation.close();
    expect(err.kind).toBe('captcha');
    expect(err.message).toMatch(/waiting for a reply in \.bot: a captcha .*nc_wrapper/);
  }, 20_000);

  it('keeps a silent bot a timeout beside a login link, a hidden login form and a long notice about 验证码', async () => {
    const conversation = widget('/blocked-silent.html', { selectors: CHAT, quietMs: 200 }, shared).open();
    const err = await failure(conversation.send('怎么办理？', AbortSignal.timeout(TURN_MS)));
    await conversation.close();
    expect(err.kind).toBe('timeout');
  }, 20_000);

  it('keeps a missing input a browser failure when no wall is there', async () => {
    const conversation = widget('/blocked-silent.html', { selectors: { ...CHAT, input: '#no-such-input' } }, shared).open();
    const err = await failure(conversation.send('怎么办理？', AbortSignal.timeout(TURN_MS)));
    await conversation.close();
    expect(err.kind).toBe('browser');
  }, 20_000);

  it('calls a page whose navigation never finishes page-load, and retries it', async () => {
    // Headers and the start of the page, then nothing: the document never finishes loading.
    const hung = await loopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write('<!doctype html><html><head><script src="/never.js"></script>');
      return new Promise(() => undefined);
    });
    const adapter = createWebWidgetAdapter({ config: { type: 'web-widget', url: hung.url, steps: [], selectors: CHAT, quietMs: 200 }, browser: shared });
    try {
      // Whatever the turn's timeout, this page cannot finish: a short one keeps the test short.
      const err = await failure(adapter.open().send('怎么办理？', AbortSignal.timeout(1_500)));
      expect(err.kind).toBe('page-load');
      expect(err.message).toContain(`loading ${hung.url}`);
      expect(err.retryable).toBe(true);
    } finally {
      await adapter.close();
      await hung.close();
    }
  }, 20_000);
});
