import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { Adapter, AdapterReply, Conversation, OpenAiChatAdapterConfig, TokenUsage } from '../domain/types.js';
import { expandEnv, redact } from '../config/env.js';
import { AdapterError, parseRetryAfter, redactError, RAW_LIMIT } from './utils/adapter-error.js';
import { probeUrl } from './utils/probe.js';
import { readBody, toAdapterError } from './utils/read-body.js';
import { safeUrl } from './utils/safe-url.js';

const ADAPTER_NAME = 'openai-chat';

/** Local servers (vLLM, Ollama, llama.cpp) take any key, but the SDK refuses to start without one. */
const KEYLESS = 'govbench-keyless';

/**
 * The SDK's own timer must never fire before the runner's AbortSignal does (the runner owns timeouts
 * and retries). It is a setTimeout, so it must stay below 2^31 ms.
 */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;


type Sdk = typeof import('openai');
let sdk: Promise<Sdk> | undefined;
/** The SDK takes half a second to import under tsx; runs without openai-chat targets never load it. */
const loadSdk = (): Promise<Sdk> => (sdk ??= import('openai'));

interface OpenAiChatAdapterOptions {
  config: OpenAiChatAdapterConfig;
  env?: NodeJS.ProcessEnv;
}

type Params = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

/** What one completion brought back, before checks that apply to streamed and whole replies alike. */
interface Completion {
  text: string;
  raw: string;
  httpStatus: number;
  firstMs: number;
  totalMs: number;
  usage?: TokenUsage;
}

/**
 * Any OpenAI-compatible chat endpoint (SPEC §3). The conversation keeps the message history, so
 * each turn sends the system prompt and every earlier exchange.
 */
export function createOpenAiChatAdapter(opts: OpenAiChatAdapterOptions): Adapter {
  const secrets = new Set<string>();
  const config = expandEnv(opts.config, opts.env ?? process.env, secrets);
  const clean = (s: string) => redact(s, secrets);
  const baseURL = config.baseURL.replace(/\/+$/, '');
  const apiKey = config.apiKey || KEYLESS;
  // A key written literally in a targets file is still a key.
  if (config.apiKey) secrets.add(config.apiKey);
  const where = safeUrl(`${baseURL}/chat/completions`);
  let client: Promise<OpenAI> | undefined;
  const getClient = (): Promise<OpenAI> =>
    (client ??= loadSdk().then(
      ({ OpenAI }) =>
        new OpenAI({
          apiKey,
          baseURL,
          maxRetries: 0,
          timeout: SDK_TIMEOUT_MS,
          defaultHeaders: config.headers ?? {},
          // The SDK would otherwise pick these up from OPENAI_* variables and send them to a third party.
          organization: null,
          project: null,
          webhookSecret: null,
          // Errors are reported by the runner, redacted; the SDK's debug log would print request bodies.
          logLevel: 'off',
        }),
    ));

  const complete = async (params: Params, signal: AbortSignal, start: number): Promise<Completion> => {
    const res = await (await getClient()).chat.completions.create({ ...params, stream: false }, { signal }).asResponse();
    const body = await readBody(res.body, start);
    const totalMs = performance.now() - start;
    // Masked before it is cut, so a key straddling the cut cannot survive half-masked.
    const raw = clean(body.text).slice(0, RAW_LIMIT);
    const timing = { firstMs: body.firstMs, totalMs };
    if (body.truncated) throw new AdapterError('parse', 'reply larger than the cap was cut off', { httpStatus: res.status, raw, ...timing });
    let json: ChatCompletion;
    try {
      json = JSON.parse(body.text) as ChatCompletion;
    } catch {
      throw new AdapterError('parse', `reply is not JSON: ${raw.slice(0, 256)}`, { httpStatus: res.status, raw, ...timing });
    }
    const text = json.choices?.[0]?.message?.content ?? '';
    return { text, raw, httpStatus: res.status, ...timing, ...(json.usage && { usage: toUsage(json.usage) }) };
  };

  const streamed = async (params: Params, signal: AbortSignal, start: number): Promise<Completion> => {
    const { data: stream, response } = await (await getClient()).chat.completions
      .create({ ...params, stream: true, stream_options: { include_usage: true } }, { signal })
      .withResponse();
    let text = '';
    let firstMs: number | undefined;
    let finishReason: string | undefined;
    let usage: TokenUsage | undefined;
    let id = '';
    let model = '';
    for await (const chunk of stream) {
      id ||= chunk.id ?? '';
      model ||= chunk.model ?? '';
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content;
      if (delta) {
        firstMs ??= performance.now() - start;
        text += delta;
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = toUsage(chunk.usage);
    }
    const totalMs = performance.now() - start;
    // The SDK ends the iteration quietly when the request is aborted; a half reply is not a reply.
    if (signal.aborted) throw new AdapterError('timeout', `timed out reading ${where}`, { httpStatus: response.status, firstMs: firstMs ?? totalMs, totalMs });
    // Kept compact rather than as the chunk stream: one chunk per token would crowd out long replies.
    const raw = JSON.stringify({ id, model, finish_reason: finishReason ?? null, content: text, usage: usage ?? null }).slice(0, RAW_LIMIT);
    const timing = { firstMs: firstMs ?? totalMs, totalMs };
    if (text !== '' && finishReason === undefined && usage === undefined) {
      throw new AdapterError('parse', `stream from ${where} ended before the reply finished`, { httpStatus: response.status, raw, ...timing });
    }
    return { text, raw, httpStatus: response.status, ...timing, ...(usage && { usage }) };
  };

  const open = (): Conversation => {
    const history: ChatCompletionMessageParam[] = config.system ? [{ role: 'system', content: config.system }] : [];
    return {
      async send(message, signal): Promise<AdapterReply> {
        const user: ChatCompletionMessageParam = { role: 'user', content: message };
        const params: Params = {
          model: config.model,
          messages: [...history, user],
          temperature: config.temperature ?? 0,
          ...(config.maxTokens !== undefined && { max_tokens: config.maxTokens }),
        };
        const start = performance.now();
        let got: Completion;
        try {
          got = config.stream === false ? await complete(params, signal, start) : await streamed(params, signal, start);
        } catch (err) {
          const e = fromSdkError(err, signal, where, await loadSdk());
          const ms = performance.now() - start;
          throw redactError(e, clean, { firstMs: e.details.firstMs ?? ms, totalMs: e.details.totalMs ?? ms });
        }
        const reply: AdapterReply = { ...got, text: clean(got.text), raw: clean(got.raw) };
        if (reply.text.trim() === '') {
          throw new AdapterError('empty', `empty reply from ${where}`, { httpStatus: got.httpStatus, raw: reply.raw, firstMs: got.firstMs, totalMs: got.totalMs });
        }
        // A failed turn leaves no trace in the history, so the runner's retry asks the same question again.
        history.push(user, { role: 'assistant', content: got.text });
        return reply;
      },
      async close() {},
    };
  };

  const probe = (signal: AbortSignal) =>
    probeUrl(`${baseURL}/models`, { method: 'GET', headers: { authorization: `Bearer ${apiKey}`, ...config.headers } }, signal);

  return { name: ADAPTER_NAME, open, probe, redact: clean, async close() {} };
}

function toUsage(u: CompletionUsage): TokenUsage {
  return { promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 };
}

/**
 * The SDK's errors as adapter error kinds. An SDK error's body may echo the request (keys included),
 * so it is not kept as the cause; the caller redacts the message.
 */
function fromSdkError(err: unknown, signal: AbortSignal, where: string, sdk: Sdk): AdapterError {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (err instanceof AdapterError) return err;
  if (err instanceof APIUserAbortError || (signal.aborted && !(err instanceof APIError && err.status !== undefined))) {
    return new AdapterError('timeout', `timed out asking ${where}`);
  }
  if (err instanceof APIConnectionTimeoutError) return new AdapterError('timeout', `timed out asking ${where}`);
  if (err instanceof APIConnectionError) {
    const code = (err.cause as { cause?: { code?: string } } | undefined)?.cause?.code;
    return new AdapterError('connect', `connection failed asking ${where}${code ? ` (${code})` : ''}`, { cause: err.cause });
  }
  if (err instanceof APIError) {
    const raw = err.error === undefined ? '' : JSON.stringify(err.error);
    if (err.status === undefined) return new AdapterError('http-status', `error event in the stream from ${where}: ${err.message.slice(0, 256)}`, { raw });
    return new AdapterError('http-status', `HTTP ${err.status} from ${where}: ${err.message.slice(0, 256)}`, {
      httpStatus: err.status,
      retryAfterMs: retryAfter(err.headers),
      raw,
    });
  }
  if (err instanceof SyntaxError) return new AdapterError('parse', `stream from ${where} carried data that is not JSON`);
  return toAdapterError(err, `asking ${where}`);
}

/** OpenAI sends `retry-after-ms` beside the standard header; the finer one wins. */
function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers?.get('retry-after') ?? null);
}
