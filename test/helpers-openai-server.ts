/**
 * A local OpenAI-compatible chat server for tests: node:http on 127.0.0.1, port 0. It records every
 * request and answers POST …/chat/completions from a script of replies, shaped for what the request
 * asked for — a tool call when the request offers tools, message content otherwise.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { loopbackServer, sendJson } from './helpers.js';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body text. */
  text: string;
  /** The parsed JSON body (`messages`, `tools`, `response_format`, …). */
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  tools?: { type: string; function: { name: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: unknown };
  temperature?: number;
  [key: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** What the server does with one request; `delayMs` holds a 200 reply back that long. */
export type Reply =
  /** A JSON value: as tool-call arguments when the request offers tools, else as message content. */
  | { json: unknown; usage?: Usage; delayMs?: number }
  /** Text as is (malformed output): as tool-call arguments or as content, like `json`. */
  | { text: string; usage?: Usage; delayMs?: number }
  /** An HTTP error status with an OpenAI-style error body. */
  | { status: number; message?: string }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { hang: true };

export type ReplyScript = Reply | ((req: RecordedRequest, index: number) => Reply);

export interface OpenAiTestServer {
  /** Base URL including `/v1`, for `configuration.baseURL`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** The most requests that were open at the same time. */
  readonly maxInFlight: number;
  /** Queues replies used before the fallback, in order. */
  push(...replies: ReplyScript[]): void;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: Usage = { prompt_tokens: 120, completion_tokens: 30 };

/**
 * Starts the server. Queued replies are used first, one per request; after them `fallback` answers
 * (default: HTTP 500, so an unexpected request shows up as a failure).
 */
export async function startOpenAiServer(fallback: ReplyScript = { status: 500, message: 'no scripted reply' }): Promise<OpenAiTestServer> {
  const requests: RecordedRequest[] = [];
  const queue: ReplyScript[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await loopbackServer((req, res, text) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    let body: ChatRequestBody = {};
    try {
      body = JSON.parse(text) as ChatRequestBody;
    } catch {
      // Recorded with an empty body; the test sees the raw text.
    }
    const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, body };
    const index = requests.push(recorded) - 1;
    if (req.method !== 'POST' || !recorded.path.endsWith('/chat/completions')) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${recorded.path}`, type: 'invalid_request_error' } });
      return;
    }
    const script = queue.shift() ?? fallback;
    const reply = typeof script === 'function' ? script(recorded, index) : script;
    if ('hang' in reply) return;
    if ('status' in reply) {
      sendJson(res, reply.status, { error: { message: reply.message ?? `status ${reply.status}`, type: 'server_error' } });
      return;
    }
    const payload = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
    const send = () => sendJson(res, 200, completion(body, payload, reply.usage ?? DEFAULT_USAGE));
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  });
  return {
    baseURL: `${server.url}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    push: (...replies) => queue.push(...replies),
    close: () => server.close(),
  };
}

function completion(body: ChatRequestBody, payload: string, usage: Usage) {
  const tool = body.tools?.[0]?.function.name;
  const message = tool
    ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool, arguments: payload } }] }
    : { role: 'assistant', content: payload };
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'test-model',
    choices: [{ index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** The text of every message of a request, joined: what a model would read. */
export function promptText(req: RecordedRequest): string {
  return (req.body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}
