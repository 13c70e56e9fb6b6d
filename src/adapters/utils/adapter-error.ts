import type { ErrorKind } from '../../domain/types.js';

/** A technical failure reaching a chatbot: its category decides retrying and counts against availability. */
export class AdapterError extends Error {
  override name = 'AdapterError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: {
      httpStatus?: number;
      /** From a Retry-After header: how long the target asked us to wait. */
      retryAfterMs?: number;
      raw?: string;
      firstMs?: number;
      totalMs?: number;
      /** A page screenshot taken at the failure (web-widget). */
      screenshot?: string;
      cause?: unknown;
    } = {},
  ) {
    super(`[govbench] [adapter] ${message}`, { cause: details.cause });
  }

  /**
   * Timeouts, pages that did not load, refused connections, 5xx and 429 may pass; a parse error, an
   * empty reply, a captcha, a login wall or a hand-off will not.
   */
  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'connect' || this.kind === 'page-load') return true;
    const s = this.details.httpStatus;
    return this.kind === 'http-status' && s !== undefined && (s === 429 || s === 408 || s >= 500);
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Raw bodies are kept for audits and re-judging, but not without bound. */
export const RAW_LIMIT = 64 * 1024;

/** The same error with secrets masked in its message and raw body; `extra` adds what the caller knows. */
export function redactError(err: AdapterError, clean: (s: string) => string, extra: AdapterError['details'] = {}): AdapterError {
  const { raw, ...details } = err.details;
  const message = clean(err.message.replace(/^\[govbench\] \[adapter\] /, ''));
  // Masked before it is cut, so a secret straddling the cut cannot survive half-masked.
  return new AdapterError(err.kind, message, { ...details, ...(raw !== undefined && { raw: clean(raw).slice(0, RAW_LIMIT) }), ...extra });
}

/**
 * An exception of our own code rather than a failure of the target: a TypeError, RangeError,
 * ReferenceError or SyntaxError without a system error code (Node's network errors carry one, and a
 * page's own script errors reach us as plain Errors). Adapters throw it on unchanged, for the runner
 * to record as a bug, never as the city's outage.
 */
export function isOwnBug(err: unknown): boolean {
  if (!(err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError)) return false;
  const e = err as Error & { code?: unknown; cause?: { code?: unknown } };
  return !(e.code ?? e.cause?.code);
}

/** Playwright messages carry call logs after the first line; the first line says what went wrong. */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n', 1)[0]!.trim();
}
