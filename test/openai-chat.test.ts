import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { adapters, createAdapter } from '../src/adapters/index.js';
import { createOpenAiChatAdapter } from '../src/adapters/openai-chat.js';
import { createDeferredAdapter } from '../src/adapters/utils/deferred-adapter.js';
import type { Adapter, OpenAiChatAdapterConfig } from '../src/domain/types.js';
import { loopbackServer, sendJson, type LoopbackServer, adapterFailure } from './helpers.js';

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

interface Seen {
  method: string;
  path: string;
  auth: string | undefined;
  headers: IncomingMessage['headers'];
  body: ChatRequest | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small OpenAI-compatible server: answers each chat request with `answer(request)`, streamed
 * (a chunk per character, `dripMs` apart) when asked, and records every request it got.
 */
async function openAiServer(
  answer: (req: ChatRequest, n: number) => string,
  opts: { dripMs?: number; onRequest?: (seen: Seen, res: ServerResponse) => boolean } = {},
): Promise<LoopbackServer & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await loopbackServer(async (req, res, raw) => {
    const entry: Seen = {
      method: req.method ?? '',
      path: req.url ?? '',
      auth: req.headers.authorization,
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as ChatRequest) : undefined,
    };
    seen.push(entry);
    if (opts.onRequest?.(entry, res)) return;
    if (entry.path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: 'gov-assistant', object: 'model' }] });
    const body = entry.body!;
    const text = answer(body, seen.length);
    const usage = { prompt_tokens: JSON.stringify(body.messages).length, completion_tokens: [...text].length, total_tokens: 0 };
    const base = { id: `chatcmpl-${seen.length}`, created: 1_700_000_000, model: body.model };
    if (!body.stream) {
      return sendJson(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (choices: unknown[], extra: object = {}) =>
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (const ch of text) {
      await sleep(opts.dripMs ?? 0);
      chunk([{ index: 0, delta: { content: ch }, finish_reason: null }]);
    }
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    if (body.stream_options?.include_usage) chunk([], { usage });
    res.end('data: [DONE]\n\n');
  });
  return Object.assign(server, { seen });
}

let server: (LoopbackServer & { seen: Seen[] }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const config = (baseURL: string, extra: Partial<OpenAiChatAdapterConfig> = {}): OpenAiChatAdapterConfig => ({
  type: 'openai-chat',
  baseURL,
  model: 'gov-assistant',
  ...extra,
});


describe('openai-chat adapter', () => {
  it('streams replies, sends the system prompt and the whole history on turn 2, and records usage', async () => {
    server = await openAiServer((req) => (req.messages.length <= 2 ? '请携带身份证' : '需要五个工作日'), { dripMs: 40 });
    const adapter = createOpenAiChatAdapter({
      config: config(`${server.url}/v1/`, { apiKey: '${LLM_KEY}', system: '你是政务服务助手' }),
      env: { LLM_KEY: 'sk-local-1234' },
    });
    const conv = adapter.open();
    const first = await conv.send('办理需要什么材料?', AbortSignal.timeout(5000));
    const second = await conv.send('多久能办好?', AbortSignal.timeout(5000));

    expect(first.text).toBe('请携带身份证');
    expect(second.text).toBe('需要五个工作日');
    // Six characters dripped 40 ms apart: the first arrives well before the last.
    expect(first.firstMs).toBeLessThan(first.totalMs - 100);
    expect(first.httpStatus).toBe(200);
    expect(first.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: 6 });
    expect(first.raw).toContain('"content":"请携带身份证"');

    const [turn1, turn2] = server.seen;
    expect(turn1!.path).toBe('/v1/chat/completions');
    expect(turn1!.auth).toBe('Bearer sk-local-1234');
    expect(turn1!.body).toMatchObject({ model: 'gov-assistant', temperature: 0, stream: true, stream_options: { include_usage: true } });
    expect(turn2!.body!.messages).toEqual([
      { role: 'system', content: '你是政务服务助手' },
      { role: 'user', content: '办理需要什么材料?' },
      { role: 'assistant', content: '请携带身份证' },
      { role: 'user', content: '多久能办好?' },
    ]);
  });

  it('asks for a whole reply when streaming is off, with max tokens, temperature and extra headers', async () => {
    server = await openAiServer(() => '可以网上办理');
    const adapter = createOpenAiChatAdapter({
      config: config(`${server.url}/v1`, { stream: false, temperature: 0.3, maxTokens: 256, headers: { 'x-tenant': '${TENANT}' } }),
      env: { TENANT: 'city-7' },
    });
    const reply = await adapter.open().send('能网上办吗', AbortSignal.timeout(5000));
    expect(reply.text).toBe('可以网上办理');
    expect(reply.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: 6 });
    expect(reply.raw).toContain('"object":"chat.completion"');
    expect(reply.totalMs).toBeGreaterThanOrEqual(reply.firstMs);
    const seen = server.seen[0]!;
    expect(seen.body).toMatchObject({ temperature: 0.3, max_tokens: 256 });
    expect(seen.body!.stream).toBeFalsy();
    expect(seen.headers['x-tenant']).toBe('city-7');
    expect(seen.body!.messages).toEqual([{ role: 'user', content: '能网上办吗' }]);
  });

  it('reaches keyless local endpoints with a placeholder key and no OPENAI_* settings from the environment', async () => {
    server = await openAiServer(() => '好的');
    const saved = process.env.OPENAI_ORG_ID;
    process.env.OPENAI_ORG_ID = 'org-from-ambient-env';
    try {
      const adapter = createOpenAiChatAdapter({ config: config(`${server.url}/v1`), env: {} });
      expect((await adapter.open().send('你好', AbortSignal.timeout(5000))).text).toBe('好的');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_ORG_ID;
      else process.env.OPENAI_ORG_ID = saved;
    }
    expect(server.seen[0]!.auth).toMatch(/^Bearer \S+$/);
    expect(server.seen[0]!.headers['openai-organization']).toBeUndefined();
  });

  it('turns 429 with Retry-After into a retryable http-status error after exactly one request', async () => {
    server = await openAiServer(() => '', {
      onRequest: (_s, res) => (sendJson(res, 429, { error: { message: 'rate limited', type: 'rate_limit' } }, { 'retry-after': '3' }), true),
    });
    const adapter = createOpenAiChatAdapter({ config: config(`${server.url}/v1`) });
    const err = await adapterFailure(adapter.open().send('问', AbortSignal.timeout(5000)));
    expect(err).toMatchObject({ kind: 'http-status', retryable: true });
    expect(err.details).toMatchObject({ httpStatus: 429, retryAfterMs: 3000 });
    expect(err.details.raw).toContain('rate limited');
    // The SDK's own retries are off: the runner is the one retry layer.
    expect(server.seen).toHaveLength(1);
  });

  it('prefers retry-after-ms and keeps a failed turn out of the history', async () => {
    let fail = true;
    server = await openAiServer(() => '答复', {
      onRequest: (s, res) => {
        if (s.path !== '/v1/chat/completions' || !fail) return false;
        fail = false;
        sendJson(res, 503, { error: { message: 'overloaded' } }, { 'retry-after-ms': '1500', 'retry-after': '9' });
        return true;
      },
    });
    const conv = createOpenAiChatAdapter({ config: config(`${server.url}/v1`) }).open();
    const err = await adapterFailure(conv.send('第一问', AbortSignal.timeout(5000)));
    expect(err.details).toMatchObject({ httpStatus: 503, retryAfterMs: 1500 });
    await conv.send('第一问', AbortSignal.timeout(5000));
    await conv.send('第二问', AbortSignal.timeout(5000));
    expect(server.seen[2]!.body!.messages.map((m) => m.content)).toEqual(['第一问', '答复', '第二问']);
  });

  it('times out through the AbortSignal on a server that never answers, and on one that stops mid-stream', async () => {
    server = await openAiServer(() => '', {
      onRequest: (s, res) => {
        if (s.body?.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: '半' }, finish_reason: null }] })}\n\n`);
        }
        return true;
      },
    });
    const whole = createOpenAiChatAdapter({ config: config(`${server.url}/v1`, { stream: false }) });
    // The endpoint never finishes: only the abort can end either request.
    expect(await adapterFailure(whole.open().send('问', AbortSignal.timeout(300)))).toMatchObject({ kind: 'timeout', retryable: true });
    const streaming = createOpenAiChatAdapter({ config: config(`${server.url}/v1`) });
    const half = await adapterFailure(streaming.open().send('问', AbortSignal.timeout(300)));
    expect(half.kind).toBe('timeout');
    expect(server.seen).toHaveLength(2);
  });

  it('reports a refused connection, an empty reply, and a stream cut before it finished', async () => {
    const dead = createOpenAiChatAdapter({ config: config('http://127.0.0.1:9/v1') });
    expect(await adapterFailure(dead.open().send('问', AbortSignal.timeout(5000)))).toMatchObject({ kind: 'connect', retryable: true });

    server = await openAiServer(() => '  ', {
      onRequest: (s, res) => {
        if (s.body?.messages.at(-1)?.content !== 'cut') return false;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: '半句' }, finish_reason: null }] })}\n\n`);
        return true;
      },
    });
    const adapter = createOpenAiChatAdapter({ config: config(`${server.url}/v1`) });
    expect(await adapterFailure(adapter.open().send('问', AbortSignal.timeout(5000)))).toMatchObject({ kind: 'empty', retryable: false });
    const cut = await adapterFailure(adapter.open().send('cut', AbortSignal.timeout(5000)));
    expect(cut.kind).toBe('parse');
    expect(cut.details.raw).toContain('半句');
  });

  it('never lets the API key into an error message or raw body, even when the server echoes it', async () => {
    server = await openAiServer(() => '', {
      onRequest: (s, res) => (sendJson(res, 401, { error: { message: `Incorrect API key provided: ${s.auth}` } }), true),
    });
    const canary = 'sk-canary-9c1e77';
    const adapter = createOpenAiChatAdapter({ config: config(`${server.url}/v1`, { apiKey: '${LLM_KEY}' }), env: { LLM_KEY: canary } });
    const err = await adapterFailure(adapter.open().send('问', AbortSignal.timeout(5000)));
    expect(server.seen[0]!.auth).toBe(`Bearer ${canary}`);
    expect(err.kind).toBe('http-status');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('***');
    for (const text of [err.message, err.details.raw ?? '', String(err.cause ?? ''), JSON.stringify(err.details)]) {
      expect(text).not.toContain(canary);
    }
  });

  it('probes GET {baseURL}/models: up below 500, down on 5xx or when nothing listens', async () => {
    let status = 200;
    server = await openAiServer(() => '', {
      onRequest: (_s, res) => (sendJson(res, status, {}), true),
    });
    const adapter = createOpenAiChatAdapter({ config: config(`${server.url}/v1`, { apiKey: '${K}' }), env: { K: 'sk-probe' } });
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(true);
    expect(server.seen[0]).toMatchObject({ method: 'GET', path: '/v1/models', auth: 'Bearer sk-probe' });
    status = 401;
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(true);
    status = 502;
    expect(await adapter.probe!(AbortSignal.timeout(2000))).toBe(false);
    const dead = createOpenAiChatAdapter({ config: config('http://127.0.0.1:9/v1') });
    expect(await dead.probe!(AbortSignal.timeout(2000))).toBe(false);
  });
});

describe('adapter registry', () => {
  it('builds openai-chat targets from their config, with the target environment', async () => {
    server = await openAiServer(() => '你好');
    const adapter = createAdapter(config(`${server.url}/v1`, { apiKey: '${REG_KEY}' }), { REG_KEY: 'sk-reg' });
    expect(adapter.name).toBe('openai-chat');
    expect((await adapter.open().send('在吗', AbortSignal.timeout(5000))).text).toBe('你好');
    expect(server.seen[0]!.auth).toBe('Bearer sk-reg');
    expect(Object.keys(adapters).sort()).toEqual(['http-json', 'openai-chat', 'web-widget']);
  });

  it('loads a deferred adapter once, on the first message, and closes what it opened', async () => {
    const log: string[] = [];
    const inner = (withProbe: boolean): Adapter => ({
      name: 'web-widget',
      open: () => {
        log.push('open');
        return {
          send: async (m) => ({ text: `re:${m}`, raw: '', firstMs: 1, totalMs: 2 }),
          close: async () => void log.push('conv-close'),
        };
      },
      ...(withProbe && { probe: async () => false }),
      close: async () => void log.push('adapter-close'),
    });
    let loads = 0;
    const deferred = createDeferredAdapter('web-widget', async () => {
      loads += 1;
      return inner(true);
    });
    const a = deferred.open();
    const b = deferred.open();
    expect(loads).toBe(0);
    const replies = await Promise.all([a.send('1', AbortSignal.timeout(1000)), b.send('2', AbortSignal.timeout(1000))]);
    expect(replies.map((r) => r.text)).toEqual(['re:1', 're:2']);
    expect(loads).toBe(1);
    expect(await deferred.probe!(AbortSignal.timeout(1000))).toBe(false);
    await a.close();
    await deferred.close();
    expect(log).toEqual(['open', 'open', 'conv-close', 'adapter-close']);

    const noProbe = createDeferredAdapter('web-widget', async () => inner(false));
    expect(await noProbe.probe!(AbortSignal.timeout(1000))).toBe(true);
    const unused = createDeferredAdapter('web-widget', async () => {
      throw new Error('must not load');
    });
    await unused.open().close();
    await unused.close();
  });
});
