import { afterEach, describe, expect, it } from 'vitest';
import { createHttpJsonAdapter } from '../src/adapters/http-json.js';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import { CookieJar } from '../src/adapters/utils/cookie-jar.js';
import type { HttpJsonAdapterConfig } from '../src/domain/types.js';
import { UserError } from '../src/util/errors.js';
import { loopbackServer, sendJson, type LoopbackServer } from './helpers.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const config = (url: string, extra: Partial<HttpJsonAdapterConfig> = {}): HttpJsonAdapterConfig => ({
  type: 'http-json',
  url,
  method: 'POST',
  headers: {},
  reply: '$.answer',
  ...extra,
});

describe('http-json adapter: request bodies and sessions', () => {
  it('sends a form-encoded body from a flat template', async () => {
    let contentType = '';
    let received = '';
    server = await loopbackServer((req, res, body) => {
      contentType = req.headers['content-type'] ?? '';
      received = body;
      sendJson(res, 200, { answer: '收到' });
    });
    const adapter = createHttpJsonAdapter({
      config: config(server.url, {
        bodyFormat: 'form',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=GBK-ignored' },
        body: { question: '{{message}}', turn: '{{turn}}', channel: 7, token: '${FORM_TOKEN}' },
      }),
      env: { FORM_TOKEN: 'ft-1' },
    });
    await adapter.open().send('社保 & 医保?', AbortSignal.timeout(2000));
    // A configured header replaces the default whatever its case, rather than being appended to it.
    expect(contentType).toBe('application/x-www-form-urlencoded; charset=GBK-ignored');
    expect(received).toContain('question=%E7%A4%BE%E4%BF%9D+%26+%E5%8C%BB%E4%BF%9D%3F');
    expect(Object.fromEntries(new URLSearchParams(received))).toEqual({ question: '社保 & 医保?', turn: '1', channel: '7', token: 'ft-1' });
  });

  it('refuses a nested form template when the adapter is built', () => {
    expect(() => createHttpJsonAdapter({ config: config('http://127.0.0.1:1', { bodyFormat: 'form', body: { a: { b: 1 } } }) })).toThrow(UserError);
    expect(() => createHttpJsonAdapter({ config: config('http://127.0.0.1:1', { bodyFormat: 'form', body: ['x'] }) })).toThrow(/flat mapping/);
  });

  it('carries cookies across the turns of a conversation but never into another conversation', async () => {
    const cookiesSeen: (string | undefined)[] = [];
    let visitor = 0;
    server = await loopbackServer((req, res) => {
      cookiesSeen.push(req.headers.cookie);
      if (!req.headers.cookie?.includes('JSESSIONID=')) {
        visitor += 1;
        res.setHeader('set-cookie', [`JSESSIONID=v${visitor}; Path=/; HttpOnly`, 'lang=zh; Path=/api']);
      }
      sendJson(res, 200, { answer: `访客${visitor}` });
    });
    const adapter = createHttpJsonAdapter({ config: config(`${server.url}/api/chat`, { cookies: true, headers: { Cookie: 'fixed=1' } }) });
    const a = adapter.open();
    const b = adapter.open();
    await a.send('一', AbortSignal.timeout(2000));
    await a.send('二', AbortSignal.timeout(2000));
    await b.send('一', AbortSignal.timeout(2000));
    const last = await b.send('二', AbortSignal.timeout(2000));
    expect(cookiesSeen[0]).toBe('fixed=1');
    expect(cookiesSeen[1]).toBe('fixed=1; lang=zh; JSESSIONID=v1');
    expect(cookiesSeen[2]).toBe('fixed=1');
    expect(cookiesSeen[3]).toBe('fixed=1; lang=zh; JSESSIONID=v2');
    expect(last.text).toBe('访客2');
  });

  it('sends no cookies back unless cookies: true', async () => {
    const cookiesSeen: (string | undefined)[] = [];
    server = await loopbackServer((req, res) => {
      cookiesSeen.push(req.headers.cookie);
      sendJson(res, 200, { answer: '好' }, { 'set-cookie': 'sid=1' });
    });
    const conv = createHttpJsonAdapter({ config: config(server.url) }).open();
    await conv.send('一', AbortSignal.timeout(2000));
    await conv.send('二', AbortSignal.timeout(2000));
    expect(cookiesSeen).toEqual([undefined, undefined]);
  });

  it('accepts only the statuses validateStatus names', async () => {
    let status = 202;
    server = await loopbackServer((_req, res) => sendJson(res, status, { answer: '已受理' }));
    const only202 = createHttpJsonAdapter({ config: config(server.url, { validateStatus: [202] }) });
    expect((await only202.open().send('问', AbortSignal.timeout(2000))).httpStatus).toBe(202);
    status = 200;
    const err = await only202
      .open()
      .send('问', AbortSignal.timeout(2000))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ kind: 'http-status', retryable: false, details: { httpStatus: 200 } });
    status = 202;
    const byDefault = createHttpJsonAdapter({ config: config(server.url) });
    expect((await byDefault.open().send('问', AbortSignal.timeout(2000))).text).toBe('已受理');
  });
});

describe('http-json adapter: availability probe', () => {
  it('asks the configured health URL with its method and expected statuses', async () => {
    const seen: string[] = [];
    let status = 204;
    server = await loopbackServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-key']}`);
      res.writeHead(status).end();
    });
    const adapter = createHttpJsonAdapter({
      config: config(`${server.url}/chat`, { headers: { 'x-key': '${K}' }, health: { url: `${server.url}/ping`, method: 'POST', expectStatus: [204] } }),
      env: { K: 'probe-key' },
    });
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(true);
    status = 200;
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(false);
    expect(seen[0]).toBe('POST /ping probe-key');
  });

  it('without a health URL, any answer below 500 from the chat origin means up', async () => {
    const seen: string[] = [];
    let status = 404;
    server = await loopbackServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.method === 'HEAD' && status === 501 ? 501 : status).end();
      if (status === 501) status = 302;
    });
    const adapter = createHttpJsonAdapter({ config: config(`${server.url}/api/chat?q={{message}}`) });
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(true);
    expect(seen).toEqual(['HEAD /']);
    status = 503;
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(false);
    // A server without HEAD is asked again with GET; a redirect (to a login page, say) is still an answer.
    status = 501;
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(true);
    expect(seen.slice(-2)).toEqual(['HEAD /', 'GET /']);
  });

  it('is down when nothing listens or the probe times out', async () => {
    const dead = createHttpJsonAdapter({ config: config('http://127.0.0.1:9/chat') });
    expect(await dead.probe!(AbortSignal.timeout(2000))).toBe(false);
    server = await loopbackServer(() => undefined);
    const hanging = createHttpJsonAdapter({ config: config(`${server.url}/chat`) });
    expect(await hanging.probe!(AbortSignal.timeout(200))).toBe(false);
  });
});

describe('CookieJar', () => {
  const now = Date.parse('2025-06-01T00:00:00Z');

  it('matches host, domain and path, and keeps Secure cookies to https', () => {
    const jar = new CookieJar();
    jar.store(
      'https://chat.example.gov.cn/api/v1/ask',
      ['host=1', 'wide=2; Domain=.example.gov.cn', 'deep=3; Path=/api/v1/ask/more', 'safe=4; Secure', 'other=5; Domain=elsewhere.cn'],
      now,
    );
    expect(jar.header('https://chat.example.gov.cn/api/v1/x', now)).toBe('host=1; wide=2; safe=4');
    expect(jar.header('http://chat.example.gov.cn/api/v1/x', now)).toBe('host=1; wide=2');
    expect(jar.header('https://www.example.gov.cn/api/v1/x', now)).toBe('wide=2');
    expect(jar.header('https://chat.example.gov.cn/', now)).toBeUndefined();
    expect(jar.header('https://chat.example.gov.cn/api/v1/ask/more/x', now)).toBe('deep=3; host=1; wide=2; safe=4');
    expect(jar.header('https://chat.example.gov.cn/api/v1/ask/moreover', now)).toBe('host=1; wide=2; safe=4');
  });

  it('expires by Max-Age over Expires, replaces by name, and deletes with Max-Age=0', () => {
    const jar = new CookieJar();
    const url = 'http://bot.local/chat';
    jar.store(url, ['a=1; Max-Age=60; Expires=Wed, 01 Jan 2020 00:00:00 GMT', 'b=2; Expires=Sun, 01 Jun 2025 00:00:30 GMT', 'c=3'], now);
    expect(jar.header(url, now)).toBe('a=1; b=2; c=3');
    expect(jar.header(url, now + 45_000)).toBe('a=1; c=3');
    jar.store(url, ['c=new', 'a=gone; Max-Age=0'], now + 50_000);
    expect(jar.header(url, now + 50_000)).toBe('c=new');
    expect(jar.header(url, now + 61_000)).toBe('c=new');
  });
});
