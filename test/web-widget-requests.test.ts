import { describe, expect, it } from 'vitest';
import { errors } from 'playwright-core';
import { isAllowedRequest, siteOf } from '../src/adapters/utils/browser.js';
import { Aborted, abortable, classifyFailure } from '../src/adapters/utils/browser-failure.js';

describe('which requests a widget page may make', () => {
  const target = new URL('https://www.example-city.gov.cn/portal/index.html');

  it.each([
    ['the page itself', 'https://www.example-city.gov.cn/portal/app.js', true],
    ['another port of the same host', 'https://www.example-city.gov.cn:8443/chat', true],
    ['a sibling host of the portal', 'https://znkf.example-city.gov.cn/robot/ask', true],
    ['its websocket', 'wss://znkf.example-city.gov.cn/ws', true],
    ['loopback by address', 'http://127.0.0.1:9000/x', true],
    ['loopback by name', 'http://localhost:9000/x', true],
    ['IPv6 loopback', 'http://[::1]:9000/x', true],
    ['an inline image', 'data:image/png;base64,AAAA', true],
    ['another city under gov.cn', 'https://www.other-city.gov.cn/', false],
    ['a font CDN', 'https://fonts.googleapis.com/css2?family=Inter', false],
    ['an analytics websocket', 'wss://analytics.example.com/collect', false],
    ['a *.localhost name, not a literal loopback', 'http://beacon.localhost:9000/', false],
    ['a private address', 'http://192.168.1.10/', false],
    ['a file', 'file:///etc/passwd', false],
  ])('%s', (_, url, allowed) => {
    expect(isAllowedRequest(new URL(url), target)).toBe(allowed);
  });

  it.each([
    ['www.example-city.gov.cn', 'example-city.gov.cn'],
    ['znkf.zwfw.example.com.cn', 'example.com.cn'],
    ['chat.vendor.com', 'vendor.com'],
    ['WWW.Example.ORG.', 'example.org'],
    ['gov.cn', 'gov.cn'],
    ['10.0.0.8', '10.0.0.8'],
    ['[::1]', '[::1]'],
  ])('the site of %s is %s', (host, site) => {
    expect(siteOf(host)).toBe(site);
  });
});

describe('what a widget failure is counted as', () => {
  it.each([
    [new Aborted(), 'launch', 'timeout'],
    [new Aborted(), 'navigate', 'page-load'],
    [new errors.TimeoutError('page.goto: Timeout 30000ms exceeded.'), 'navigate', 'page-load'],
    [new Aborted(), 'prepare', 'browser'],
    [new Aborted(), 'settle', 'timeout'],
    [new Aborted(), 'reply', 'timeout'],
    [new errors.TimeoutError('locator.click: Timeout 30000ms exceeded.'), 'prepare', 'browser'],
    [new Error('page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/'), 'navigate', 'connect'],
    [new Error('page.goto: net::ERR_BLOCKED_BY_CLIENT at https://elsewhere.example/'), 'navigate', 'browser'],
    [new Error('Target crashed'), 'reply', 'browser'],
  ] as const)('%s while in phase %s: %s', (err, phase, kind) => {
    expect(classifyFailure(err, phase, 'doing it').kind).toBe(kind);
  });

  it('stops waiting for a Playwright call when the signal fires, without an unhandled rejection', async () => {
    let fail: (err: Error) => void = () => undefined;
    const op = new Promise<never>((_, reject) => (fail = reject));
    const controller = new AbortController();
    const waiting = abortable(op, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(Aborted);
    fail(new Error('page closed'));
    await expect(abortable(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});
