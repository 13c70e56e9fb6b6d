import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpJsonAdapter } from '../src/adapters/http-json.js';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import { createSseParser, type SseEvent } from '../src/adapters/utils/sse.js';
import type { HttpJsonAdapterConfig } from '../src/domain/types.js';
import { loopbackServer, sendJson, type LoopbackServer } from './helpers.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const config = (url: string, extra: Partial<HttpJsonAdapterConfig> = {}): HttpJsonAdapterConfig => ({
  type: 'http-json',
  url,
  method: 'POST',
  headers: {},
  reply: '$.delta',
  stream: 'sse',
  ...extra,
});

/** Writes the given SSE frames with a pause before each; `end: false` keeps the connection open. */
async function drip(res: ServerResponse, frames: string[], gapMs: number, end = true): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  for (const frame of frames) {
    await sleep(gapMs);
    if (res.destroyed) return;
    res.write(frame);
  }
  if (end) res.end();
}

describe('http-json adapter with stream: sse', () => {
  it('assembles fragments from JSON events; the first token comes well before the end of the stream', async () => {
    let accept = '';
    server = await loopbackServer((req, res) => {
      accept = req.headers.accept ?? '';
      const events = [
        ': keep-alive comment\n\n',
        `data: ${JSON.stringify({ delta: '' })}\n\n`,
        `data: ${JSON.stringify({ other: 'no fragment here' })}\n\n`,
        `data: ${JSON.stringify({ delta: '请到' })}\n\n`,
        `event: answer\ndata: ${JSON.stringify({ delta: '政务服务' })}\n\n`,
        `data: ${JSON.stringify({ delta: '大厅办理' })}\n\n`,
        'data: [DONE]\n\n',
      ];
      return drip(res, events, 60);
    });
    const adapter = createHttpJsonAdapter({ config: config(`${server.url}/chat`) });
    const r = await adapter.open().send('怎么办理', AbortSignal.timeout(5000));
    expect(accept).toBe('text/event-stream');
    expect(r.text).toBe('请到政务服务大厅办理');
    expect(r.httpStatus).toBe(200);
    // Frames come 60 ms apart: the first non-empty fragment is the fourth (≥ 240 ms), though data
    // without text arrived from the second on; the stream ends after the seventh (≥ 420 ms).
    expect(r.firstMs).toBeGreaterThan(200);
    expect(r.totalMs - r.firstMs).toBeGreaterThan(120);
    expect(r.raw).toContain('data: [DONE]');
  });

  it('stops at [DONE] even when the server keeps the connection open', async () => {
    let hungUp: Promise<void> | undefined;
    server = await loopbackServer((_req, res) => {
      hungUp = new Promise((resolve) => res.once('close', () => resolve()));
      return drip(res, ['data: {"delta":"好"}\n\n', 'data: [DONE]\n\n'], 10, false);
    });
    const adapter = createHttpJsonAdapter({ config: config(server.url) });
    // An adapter that read on past [DONE] would wait for this signal and fail with a timeout.
    const r = await adapter.open().send('问', AbortSignal.timeout(10_000));
    expect(r.text).toBe('好');
    // The adapter closed the response the server never ended.
    await hungUp;
  });

  it('carries a session id found in an event into the next turn', async () => {
    const bodies: { sid: string }[] = [];
    server = await loopbackServer((_req, res, body) => {
      bodies.push(JSON.parse(body) as { sid: string });
      return drip(res, [`data: {"delta":"答","sid":"s-${bodies.length}"}\n\n`], 0);
    });
    const conv = createHttpJsonAdapter({
      config: config(server.url, { session: '$.sid', body: { q: '{{message}}', sid: '{{sessionId}}' } }),
    }).open();
    await conv.send('一', AbortSignal.timeout(3000));
    await conv.send('二', AbortSignal.timeout(3000));
    expect(bodies[1]!.sid).toBe('s-1');
  });

  it('takes plain-text event data as text, and multi-line data with its line breaks', async () => {
    server = await loopbackServer((_req, res) => drip(res, ['data: 第一行\ndata: 第二行\n\n', 'data: 42\n\n'], 0));
    const r = await createHttpJsonAdapter({ config: config(server.url) }).open().send('问', AbortSignal.timeout(3000));
    expect(r.text).toBe('第一行\n第二行42');
  });

  it('reads a JSON answer normally when the server ignores the stream request', async () => {
    server = await loopbackServer((_req, res) => sendJson(res, 200, { delta: '整段答复' }));
    const r = await createHttpJsonAdapter({ config: config(server.url) }).open().send('问', AbortSignal.timeout(3000));
    expect(r.text).toBe('整段答复');
  });

  it('fails as a timeout when the stream stalls, and as empty when no fragment had text', async () => {
    let stall = true;
    server = await loopbackServer((_req, res) =>
      stall ? drip(res, ['data: {"delta":"一半"}\n\n'], 0, false) : drip(res, ['data: {"other":"x"}\n\n', 'data: [DONE]\n\n'], 0),
    );
    const adapter = createHttpJsonAdapter({ config: config(server.url) });
    const timedOut = await adapter
      .open()
      .send('问', AbortSignal.timeout(300))
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(AdapterError);
    expect(timedOut).toMatchObject({ kind: 'timeout', details: { httpStatus: 200 } });
    stall = false;
    const empty = await adapter
      .open()
      .send('问', AbortSignal.timeout(3000))
      .catch((e: unknown) => e);
    expect(empty).toMatchObject({ kind: 'empty' });
  });
});

describe('createSseParser', () => {
  const parse = (chunks: string[]): SseEvent[] => {
    const out: SseEvent[] = [];
    const p = createSseParser((e) => out.push(e));
    for (const c of chunks) p.push(c);
    p.end();
    return out;
  };

  it.each<[string, string[], SseEvent[]]>([
    ['one event', ['data: a\n\n'], [{ event: 'message', data: 'a' }]],
    ['lines split across chunks', ['da', 'ta: he', 'llo\n', '\n'], [{ event: 'message', data: 'hello' }]],
    ['CRLF split between \\r and \\n', ['data: a\r', '\n\r\n', 'data: b\r\n\r\n'], [{ event: 'message', data: 'a' }, { event: 'message', data: 'b' }]],
    ['bare CR line ends', ['data: a\r\rdata: b\r\r'], [{ event: 'message', data: 'a' }, { event: 'message', data: 'b' }]],
    ['comments and unknown fields ignored', [': ping\nretry: 10\nfoo: bar\ndata: x\n\n'], [{ event: 'message', data: 'x' }]],
    ['multi-line data joined by new lines', ['data: a\ndata:b\ndata\n\n'], [{ event: 'message', data: 'a\nb\n' }]],
    ['event type and id', ['event: delta\nid: 7\ndata: {}\n\n'], [{ event: 'delta', data: '{}', id: '7' }]],
    ['only one leading space removed', ['data:  two\n\n'], [{ event: 'message', data: ' two' }]],
    ['a byte-order mark at the start', ['\uFEFFdata: a\n\n'], [{ event: 'message', data: 'a' }]],
    ['no data: nothing dispatched', ['event: ping\n\n'], []],
    ['last event without its blank line', ['data: a\n\ndata: tail'], [{ event: 'message', data: 'a' }, { event: 'message', data: 'tail' }]],
  ])('%s', (_name, chunks, expected) => {
    expect(parse(chunks)).toEqual(expected);
  });
});
