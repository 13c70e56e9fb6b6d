import { randomUUID } from 'node:crypto';
import { JSONPath } from 'jsonpath-plus';
import type { Adapter, AdapterReply, Conversation, HttpJsonAdapterConfig } from '../domain/types.js';
import { expandEnv, redact } from '../config/env.js';
import { UserError } from '../util/errors.js';
import { AdapterError, parseRetryAfter, RAW_LIMIT, redactError } from './utils/adapter-error.js';
import { CookieJar } from './utils/cookie-jar.js';
import { htmlToText } from './utils/html-to-text.js';
import { probeUrl } from './utils/probe.js';
import {
  cleanStructure,
  linksFromData,
  onlySuggestionsIn,
  suggestionsFromData,
  textStructure,
  type ReplyStructure,
} from './utils/reply-structure.js';
import { headerOf, httpRequest, type HttpRequestInit, type HttpResponse } from './utils/http-request.js';
import { MAX_BODY_BYTES, readBody, toAdapterError } from './utils/read-body.js';
import { safeUrl } from './utils/safe-url.js';
import { createSseParser } from './utils/sse.js';
import { renderTemplate, type TemplateVars } from './utils/template.js';

const ADAPTER_NAME = 'http-json';

/** Longer than any credential, so one straddling RAW_LIMIT is still masked whole. */
const RAW_MARGIN = 4096;


const DEFAULT_BODY = { message: '{{message}}', sessionId: '{{sessionId}}' };

interface HttpJsonAdapterOptions {
  config: HttpJsonAdapterConfig;
  env?: NodeJS.ProcessEnv;
}

/** What a response body yielded, before HTML is turned into text. */
interface Extracted {
  reply: string;
  session: string;
  /** What the suggestions and links JSONPaths found, when they are set. */
  suggestions: unknown[];
  links: unknown[];
  raw: string;
  firstMs: number;
  totalMs: number;
}

/**
 * A JSON API chatbot (SPEC §3): a templated request (JSON or form-encoded), a JSONPath to the reply
 * and to the session, optional cookie sessions and Server-Sent-Events streaming.
 */
export function createHttpJsonAdapter(opts: HttpJsonAdapterOptions): Adapter {
  const secrets = new Set<string>();
  const config = expandEnv(opts.config, opts.env ?? process.env, secrets);
  const clean = (s: string) => redact(s, secrets);
  validateBody(config);
  const accepted = (status: number) => (config.validateStatus ? config.validateStatus.includes(status) : status >= 200 && status < 300);

  const open = (): Conversation => {
    let sessionId: string = randomUUID();
    let turn = 0;
    const jar = config.cookies ? new CookieJar() : undefined;
    return {
      async send(message, signal): Promise<AdapterReply> {
        turn += 1;
        const vars = { message, sessionId, turn };
        const url = renderTemplate(config.url, vars, encodeURIComponent);
        // A secret in the URL's path would otherwise reach messages built here, which are not redacted.
        const where = clean(safeUrl(url));
        const init = buildRequest(config, vars, jar?.header(url), signal);
        const start = performance.now();
        let res: HttpResponse;
        try {
          res = await httpRequest(url, init);
        } catch (err) {
          const ms = performance.now() - start;
          throw redactError(toAdapterError(err, `asking ${where}`, signal), clean, { firstMs: ms, totalMs: ms });
        }
        jar?.store(url, res.headers['set-cookie'] ?? []);
        const status = res.status;
        if (!accepted(status)) throw await statusError(res, start, where, clean, signal);
        const streamed = config.stream === 'sse' && !/json/i.test(headerOf(res.headers, 'content-type') ?? '');
        let got: Extracted;
        try {
          got = streamed ? await readSse(res, start, config) : await readJson(res, start, config);
        } catch (err) {
          const e = toAdapterError(err, `reading ${where}`, signal);
          const ms = performance.now() - start;
          throw redactError(e, clean, { httpStatus: status, firstMs: e.details.firstMs ?? ms, totalMs: e.details.totalMs ?? ms });
        }
        if (got.session) sessionId = got.session;
        const text = clean(htmlToText(got.reply));
        const raw = clean(got.raw).slice(0, RAW_LIMIT);
        const timing = { firstMs: got.firstMs, totalMs: got.totalMs };
        if (text.trim() === '') {
          throw new AdapterError('empty', `empty reply at ${config.reply}`, { httpStatus: status, raw, ...timing });
        }
        return { text, raw, httpStatus: status, ...timing, ...cleanStructure(structureOf(text, got, config), clean) };
      },
      async close() {},
    };
  };

  const probe = (signal: AbortSignal): Promise<boolean> => {
    const health = config.health?.url ? config.health : undefined;
    if (health) {
      return probeUrl(
        health.url,
        { method: health.method ?? 'GET', headers: config.headers, ...(health.expectStatus && { expectStatus: health.expectStatus }) },
        signal,
      );
    }
    let origin: string;
    try {
      origin = new URL(config.url).origin;
    } catch {
      return Promise.resolve(false);
    }
    return probeUrl(`${origin}/`, { headers: config.headers }, signal);
  };

  return { name: ADAPTER_NAME, open, probe, redact: clean, async close() {} };
}

/** A status the target should not have answered with, carrying its body and any Retry-After. */
async function statusError(res: HttpResponse, start: number, where: string, clean: (s: string) => string, signal: AbortSignal): Promise<AdapterError> {
  const body = await readBody(res.body, start).catch((err: unknown) => {
    throw redactError(toAdapterError(err, `reading ${where}`, signal), clean);
  });
  const raw = clean(body.text).slice(0, RAW_LIMIT);
  return new AdapterError('http-status', `HTTP ${res.status} from ${where}: ${raw.slice(0, 256)}`, {
    httpStatus: res.status,
    retryAfterMs: parseRetryAfter(headerOf(res.headers, 'retry-after')),
    raw,
    firstMs: body.firstMs,
    totalMs: performance.now() - start,
  });
}

/** Form bodies are flat `key=value` pairs; a nested template is a configuration mistake, caught at load. */
function validateBody(config: HttpJsonAdapterConfig): void {
  if (config.bodyFormat !== 'form' || config.body === undefined) return;
  const body = config.body;
  const flat =
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    Object.values(body).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (!flat) {
    throw new UserError(
      'adapter.body: expected a flat mapping of field names to strings, numbers or booleans for bodyFormat: form',
      'nest nothing under body, e.g. body: { question: "{{message}}", sid: "{{sessionId}}" }',
    );
  }
}

function buildRequest(config: HttpJsonAdapterConfig, vars: TemplateVars, cookies: string | undefined, signal: AbortSignal): HttpRequestInit {
  const headers = new Headers();
  let body: string | undefined;
  if (config.method === 'POST') {
    const rendered = renderTemplate(config.body === undefined ? DEFAULT_BODY : config.body, vars);
    if (config.bodyFormat === 'form') {
      const fields = Object.entries(rendered as Record<string, unknown>).map(([k, v]): [string, string] => [k, v == null ? '' : String(v)]);
      body = new URLSearchParams(fields).toString();
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    } else {
      body = JSON.stringify(rendered);
      headers.set('content-type', 'application/json');
    }
  }
  if (config.stream === 'sse') headers.set('accept', 'text/event-stream');
  // Configured headers win, whatever their case.
  for (const [name, value] of Object.entries(config.headers)) headers.set(name, value);
  if (cookies) {
    const fixed = headers.get('cookie');
    headers.set('cookie', fixed ? `${fixed}; ${cookies}` : cookies);
  }
  return { method: config.method, headers: Object.fromEntries(headers), signal, ...(body !== undefined && { body }) };
}

async function readJson(res: HttpResponse, start: number, config: HttpJsonAdapterConfig): Promise<Extracted> {
  const body = await readBody(res.body, start);
  const timing = { firstMs: body.firstMs, totalMs: performance.now() - start };
  const raw = body.text;
  if (body.truncated) throw new AdapterError('parse', 'reply larger than the cap was cut off', { raw, ...timing });
  // No body at all is no reply, not a malformed one.
  if (raw.trim() === '') throw new AdapterError('empty', 'empty body', { raw, ...timing });
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    throw new AdapterError('parse', `reply is not JSON: ${raw.slice(0, 256)}`, { raw, ...timing });
  }
  return {
    reply: pickText(json, config.reply),
    session: config.session ? pickText(json, config.session) : '',
    suggestions: config.suggestions ? pickValues(json, config.suggestions) : [],
    links: config.links ? pickValues(json, config.links) : [],
    raw,
    ...timing,
  };
}

/**
 * A streamed reply: each event's data is JSON (the reply JSONPath picks its fragment) or plain text;
 * fragments are concatenated until `[DONE]` or the end of the stream. The time to the first
 * non-empty fragment is the time to the first token.
 */
async function readSse(res: HttpResponse, start: number, config: HttpJsonAdapterConfig): Promise<Extracted> {
  const fragments: string[] = [];
  let session = '';
  const suggestions: unknown[] = [];
  const links: unknown[] = [];
  let firstMs: number | undefined;
  let finished = false;
  const parser = createSseParser(({ data }) => {
    if (finished) return;
    if (data.trim() === '[DONE]') {
      finished = true;
      return;
    }
    const json = parseObject(data);
    const fragment = json === undefined ? data : pickText(json, config.reply);
    if (fragment !== '') {
      firstMs ??= performance.now() - start;
      fragments.push(fragment);
    }
    if (json !== undefined && config.session) session = pickText(json, config.session) || session;
    if (json !== undefined && config.suggestions) suggestions.push(...pickValues(json, config.suggestions));
    if (json !== undefined && config.links) links.push(...pickValues(json, config.links));
  });

  const decoder = new TextDecoder();
  let raw = '';
  let size = 0;
  // Leaving the loop (at [DONE] or the cap) closes the response, even if the server keeps it open.
  for await (const value of res.body) {
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      const totalMs = performance.now() - start;
      throw new AdapterError('parse', 'streamed reply larger than the cap was cut off', { raw, firstMs: firstMs ?? totalMs, totalMs });
    }
    const text = decoder.decode(value, { stream: true });
    // Kept a little past the limit: the caller masks secrets first, then cuts.
    if (raw.length < RAW_LIMIT + RAW_MARGIN) raw = (raw + text).slice(0, RAW_LIMIT + RAW_MARGIN);
    parser.push(text);
    if (finished) break;
  }
  if (!finished) parser.end();
  const totalMs = performance.now() - start;
  return { reply: fragments.join(''), session, suggestions, links, raw, firstMs: firstMs ?? totalMs, totalMs };
}

/** Event data that is a JSON object or array; anything else (plain text, a bare number) is text. */
function parseObject(data: string): object | undefined {
  const t = data.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return undefined;
  try {
    const v: unknown = JSON.parse(data);
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A reply's suggestions and links: from the JSONPaths when they are set, else from a numbered list
 * in its text (an API that puts a 您是不是想问 list in the reply text).
 */
function structureOf(text: string, got: Extracted, config: HttpJsonAdapterConfig): ReplyStructure {
  const links = linksFromData(got.links);
  if (!config.suggestions) return { ...textStructure(text), links };
  const suggestions = suggestionsFromData(got.suggestions);
  return { suggestions, suggestionsOnly: onlySuggestionsIn(text, suggestions), links };
}

/** Every value at a JSONPath, as found. */
function pickValues(json: unknown, path: string): unknown[] {
  // JSONPath finds nothing in a JSON `null` as undefined rather than as an empty list.
  return (JSONPath({ path, json: json as object, wrap: true }) as unknown[] | undefined) ?? [];
}

/** The text at a JSONPath; several matches (a reply split over messages) are joined by new lines. */
export function pickText(json: unknown, path: string): string {
  return pickValues(json, path)
    .flat()
    .map((v) => (typeof v === 'string' ? v : v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
    .filter((s) => s !== '')
    .join('\n');
}
