import { afterEach, describe, expect, it } from 'vitest';
import { createHttpJsonAdapter, pickText } from '../src/adapters/http-json.js';
import type { HttpJsonAdapterConfig } from '../src/domain/types.js';
import { loopbackServer, sendJson, type LoopbackServer, adapterFailure } from './helpers.js';

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
  reply: '$.data.answer',
  ...extra,
});


describe('http-json adapter', () => {
  it('fills the body template, sends ${VAR} headers and carries the session across turns', async () => {
    const seen: { auth?: string; body: unknown }[] = [];
    server = await loopbackServer((req, res, body) => {
      seen.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      sendJson(res, 200, { data: { answer: `第${seen.length}答`, sid: 'server-session-7' } });
    });
    const adapter = createHttpJsonAdapter({
      config: config(`${server.url}/chat`, {
        headers: { Authorization: 'Bearer ${TOKEN}' },
        body: { q: '{{message}}', sid: '{{sessionId}}', meta: { turn: '{{turn}}' } },
        session: '$.data.sid',
      }),
      env: { TOKEN: 'tok-1' },
    });
    const conv = adapter.open();
    const first = await conv.send('你好', AbortSignal.timeout(2000));
    const second = await conv.send('再问', AbortSignal.timeout(2000));
    expect(first.text).toBe('第1答');
    expect(second.text).toBe('第2答');
    expect(first.httpStatus).toBe(200);
    expect(first.totalMs).toBeGreaterThanOrEqual(first.firstMs);
    expect(seen[0]!.auth).toBe('Bearer tok-1');
    expect(seen[0]!.body).toMatchObject({ q: '你好', meta: { turn: '1' } });
    expect((seen[0]!.body as { sid: string }).sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.body).toMatchObject({ q: '再问', sid: 'server-session-7', meta: { turn: '2' } });
  });

  it('encodes the message into a GET URL template', async () => {
    let url = '';
    server = await loopbackServer((req, res) => {
      url = req.url ?? '';
      sendJson(res, 200, { data: { answer: 'ok' } });
    });
    const adapter = createHttpJsonAdapter({ config: config(`${server.url}/ask?q={{message}}`, { method: 'GET' }) });
    await adapter.open().send('社保卡 怎么办?', AbortSignal.timeout(2000));
    expect(decodeURIComponent(url.split('q=')[1]!)).toBe('社保卡 怎么办?');
  });

  it('joins replies split over several messages and turns HTML into text, keeping the raw body', async () => {
    server = await loopbackServer((_req, res) =>
      sendJson(res, 200, { msgs: [{ t: '<p>第一段</p>' }, { t: '第二段&nbsp;<br>第三行' }] }),
    );
    const adapter = createHttpJsonAdapter({ config: config(server.url, { reply: '$.msgs[*].t' }) });
    const r = await adapter.open().send('问', AbortSignal.timeout(2000));
    expect(r.text).toBe('第一段\n第二段\n第三行');
    expect(r.raw).toContain('<p>第一段</p>');
  });

  it('classifies failures: HTTP status with Retry-After, non-JSON, empty reply, timeout, refused connection', async () => {
    let mode = '';
    server = await loopbackServer((_req, res) => {
      if (mode === '429') return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '2' });
      if (mode === '500') {
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body>Internal Server Error</body></html>');
      }
      if (mode === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>维护中</html>');
      }
      if (mode === 'empty') return sendJson(res, 200, { data: { answer: '  ' } });
      if (mode === 'hang') return; // never answers
    });
    const adapter = createHttpJsonAdapter({ config: config(server.url) });
    const send = (m: string, ms = 2000) => {
      mode = m;
      return adapter.open().send('问', AbortSignal.timeout(ms));
    };
    const rateLimited = await adapterFailure(send('429'));
    expect(rateLimited).toMatchObject({ kind: 'http-status', retryable: true });
    expect(rateLimited.details).toMatchObject({ httpStatus: 429, retryAfterMs: 2000 });
    const serverError = await adapterFailure(send('500'));
    expect(serverError).toMatchObject({ kind: 'http-status', retryable: true });
    expect(serverError.details.raw).toContain('Internal Server Error');
    expect(await adapterFailure(send('html'))).toMatchObject({ kind: 'parse', retryable: false });
    expect(await adapterFailure(send('empty'))).toMatchObject({ kind: 'empty', retryable: false });
    expect(await adapterFailure(send('hang', 200))).toMatchObject({ kind: 'timeout', retryable: true });
    const dead = createHttpJsonAdapter({ config: config('http://127.0.0.1:9/chat') });
    expect(await adapterFailure(dead.open().send('问', AbortSignal.timeout(2000)))).toMatchObject({ kind: 'connect', retryable: true });
  });

  it('never lets a secret from the environment into an error or a raw body', async () => {
    server = await loopbackServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `bad token ${req.headers['x-key']}` }));
    });
    const adapter = createHttpJsonAdapter({ config: config(`${server.url}/chat`, { headers: { 'x-key': '${KEY}' } }), env: { KEY: 'canary-7f3a' } });
    const err = await adapterFailure(adapter.open().send('问', AbortSignal.timeout(2000)));
    expect(err.message).not.toContain('canary-7f3a');
    expect(err.details.raw).not.toContain('canary-7f3a');
    expect(err.details.raw).toContain('bad token ***');
    expect(err.retryable).toBe(false);
  });
});

describe('pickText', () => {
  it.each([
    [{ a: { b: 'x' } }, '$.a.b', 'x'],
    [{ a: [{ t: 'x' }, { t: 'y' }] }, '$.a[*].t', 'x\ny'],
    [{ a: 42 }, '$.a', '42'],
    [{ a: null }, '$.a', ''],
    [{}, '$.missing', ''],
    [null, '$.a', ''],
  ])('%j at %s is %j', (json, path, expected) => {
    expect(pickText(json, path)).toBe(expected);
  });
});
