import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import { DEEP_CHAT, SECRET, reply, useWidgetHarness } from './fixtures/widget/harness.js';

const { site, widget, failure, expectScreenshot } = useWidgetHarness();

// Each test has its own adapter, all on one browser started beforehand; they mostly wait, side by side.
describe.concurrent('web-widget adapter on portal pages of other shapes', () => {
  const shared = createBrowserHost();
  beforeAll(async () => {
    await (await shared.newContext('http://127.0.0.1/')).close();
  });
  afterAll(() => shared.close());

  it('runs the steps, enters an iframe, opens a collapsed widget and keeps a filled-in secret out of the reply', async () => {
    const adapter = widget(
      '/framed.html?collapsed=1',
      {
        steps: [
          { waitFor: '#nickname' },
          { fill: '#nickname', text: '${PORTAL_TOKEN}' },
          { press: '#nickname', key: 'Tab' },
          { wait: 50 },
          { click: '#consult' },
          { frame: '#kefu' },
        ],
        // No send button: Enter submits.
        selectors: { open: '#launcher', input: DEEP_CHAT.input, botMessage: DEEP_CHAT.botMessage },
      },
      shared,
    );
    const conversation = adapter.open();
    const answer = await conversation.send('怎么预约？', AbortSignal.timeout(10_000));
    await conversation.close();
    // The bot greets the visitor by the name filled in; that name was a secret, masked in what is kept.
    expect(answer.text).toBe(`***，${reply(1, '怎么预约？')}`);
    expect(answer.raw).not.toContain(SECRET);
  });

  it('runs code that tsx transpiled in any page: its __name helper is there, and returns the function it names', async () => {
    const context = await shared.newContext(site().url);
    try {
      const page = await context.newPage();
      await page.goto(`${site().url}/shadow.html`);
      // What tsx makes of \`const g = (x) => x + 1\` inside a function handed to evaluate.
      expect(await page.evaluate('(() => { const g = __name((x) => x + 1, "g"); return g(1); })()')).toBe(2);
    } finally {
      await context.close();
    }
  });

  it('reaches a widget nested two shadow roots deep', async () => {
    const conversation = widget('/shadow.html', {}, shared).open();
    const answer = await conversation.send('周末上班吗？', AbortSignal.timeout(10_000));
    await conversation.close();
    expect(answer.text).toBe(reply(1, '周末上班吗？'));
  });

  it('fails as a browser error with a screenshot when a step selector matches nothing', async () => {
    const conversation = widget('/framed.html?token=${PORTAL_TOKEN}', { steps: [{ click: '#no-such-button' }] }, shared).open();
    // Long enough for the light page to load on a busy machine: only the step may fail.
    const err = await failure(conversation.send('怎么办理？', AbortSignal.timeout(4_000)));
    await conversation.close();
    expect(err.kind).toBe('browser');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('clicking #no-such-button');
    expectScreenshot(err);
    expect(`${err.message} ${err.details.screenshot}`).not.toContain(SECRET);
  });

  it('reports a page that does not exist as an HTTP status, and probes the page URL', async () => {
    const missing = widget('/no-such-page.html', {}, shared);
    const err = await failure(missing.open().send('怎么办理？', AbortSignal.timeout(5_000)));
    expect(err.kind).toBe('http-status');
    expect(err.details.httpStatus).toBe(404);
    expect(await missing.probe!(AbortSignal.timeout(2_000))).toBe(true);
    const closedPort = createWebWidgetAdapter({ config: { type: 'web-widget', url: 'http://127.0.0.1:9/', steps: [], selectors: DEEP_CHAT, quietMs: 300 } });
    expect(await closedPort.probe!(AbortSignal.timeout(2_000))).toBe(false);
    await closedPort.close();
  });
});
