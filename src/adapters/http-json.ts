import { randomUUID } from 'node:crypto';
import { JSONPath } from 'jsonpath-plus';
import type { Adapter, AdapterReply, Conversation, HttpJsonAdapterConfig } from '../domain/types.js';
import { expandEnv, redact } from '../config/env.js';
import { AdapterError, parseRetryAfter } from './utils/adapter-error.js';
import { readBody, toAdapterError } from './utils/read-body.js';
import { renderTemplate } from './utils/template.js';
import { htmlToText } from './utils/html-to-text.js';

export const ADAPTER_NAME = 'http-json';

/** Raw bodies are kept for audits and re-judging, but not without bound. */
const RAW_LIMIT = 64 * 1024;

export interface HttpJsonAdapterOptions {
  config: HttpJsonAdapterConfig;
  env?: NodeJS.ProcessEnv;
}

/** A JSON API chatbot (SPEC §3): a templated request, a JSONPath to the reply and to the session. */
export function createHttpJsonAdapter(opts: HttpJsonAdapterOptions): Adapter {
  const secrets = new Set<string>();
  const config = expandEnv(opts.config, opts.env ?? process.env, secrets);
  const clean = (s: string) => redact(s, secrets);

  const open = (): Conversation => {
    let sessionId: string = randomUUID();
    let turn = 0;
    return {
      async send(message, signal): Promise<AdapterReply> {
        turn += 1;
        const vars = { message, sessionId, turn };
        const url = renderTemplate(config.url, vars, encodeURIComponent);
        const init: RequestInit = { method: config.method, headers: { ...config.headers }, signal };
        if (config.method === 'POST') {
          const body = config.body === undefined ? { message: '{{message}}', sessionId: '{{sessionId}}' } : config.body;
          init.body = JSON.stringify(renderTemplate(body, vars));
          init.headers = { 'content-type': 'application/json', ...config.headers };
        }
        const start = performance.now();
        let res: Response;
        try {
          res = await fetch(url, init);
        } catch (err) {
          throw redacted(toAdapterError(err, `asking ${safeUrl(url)}`), clean);
        }
        const body = await readBody(res, start).catch((err: unknown) => {
          throw redacted(toAdapterError(err, `reading ${safeUrl(url)}`), clean);
        });
        const timing = { firstMs: body.firstMs, totalMs: performance.now() - start };
        const raw = clean(body.text.slice(0, RAW_LIMIT));
        if (!res.ok) {
          throw new AdapterError('http-status', `HTTP ${res.status} from ${safeUrl(url)}: ${raw.slice(0, 256)}`, {
            httpStatus: res.status,
            retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
            raw,
            ...timing,
          });
        }
        if (body.truncated) {
          throw new AdapterError('parse', `reply larger than the cap was cut off`, { httpStatus: res.status, raw, ...timing });
        }
        let json: unknown;
        try {
          json = JSON.parse(body.text);
        } catch {
          throw new AdapterError('parse', `reply is not JSON: ${raw.slice(0, 256)}`, { httpStatus: res.status, raw, ...timing });
        }
        const reply = pickText(json, config.reply);
        if (config.session) {
          const next = pickText(json, config.session);
          if (next) sessionId = next;
        }
        const text = clean(htmlToText(reply));
        if (text.trim() === '') {
          throw new AdapterError('empty', `empty reply at ${config.reply}`, { httpStatus: res.status, raw, ...timing });
        }
        return { text, raw, httpStatus: res.status, ...timing };
      },
      async close() {},
    };
  };
  return { name: ADAPTER_NAME, open, async close() {} };
}

/** The text at a JSONPath; several matches (a reply split over messages) are joined by new lines. */
export function pickText(json: unknown, path: string): string {
  const found = JSONPath({ path, json: json as object, wrap: true }) as unknown[];
  return found
    .flat()
    .map((v) => (typeof v === 'string' ? v : v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
    .filter((s) => s !== '')
    .join('\n');
}

/** Query strings often carry keys; messages show the origin and path only. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function redacted(err: AdapterError, clean: (s: string) => string): AdapterError {
  return new AdapterError(err.kind, clean(err.message.replace(/^\[govbench\] \[adapter\] /, '')), err.details);
}
