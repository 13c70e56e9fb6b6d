import { setTimeout as sleep } from 'node:timers/promises';
import { AdapterError } from '../adapters/utils/adapter-error.js';

interface BackoffOptions {
  retries: number;
  /** First delay; doubled each attempt. @default 250 */
  baseMs?: number;
  /** @default 10_000 */
  maxMs?: number;
  random?: () => number;
}

/**
 * Exponential backoff with equal jitter — half the doubling cap, plus a random share of the other
 * half — or what Retry-After asked for when it asked. Equal rather than full jitter: full jitter
 * (anywhere from 0 to the cap) may send a retry at once, into a chatbot that has just failed; a
 * floor of half the cap keeps every retry waiting, while the random half still spreads the workers
 * of a target apart.
 */
function backoffDelay(attempt: number, err: AdapterError, opts: BackoffOptions): number {
  if (err.details.retryAfterMs !== undefined) return Math.min(err.details.retryAfterMs, 60_000);
  const cap = Math.min(opts.maxMs ?? 10_000, (opts.baseMs ?? 250) * 2 ** attempt);
  return Math.round(cap / 2 + ((opts.random ?? Math.random)() * cap) / 2);
}

export interface AttemptResult<T> {
  value?: T;
  error?: AdapterError;
  attempts: number;
}

/**
 * The one retry layer: retries what may pass (timeouts, pages that did not load, refused connections,
 * 5xx, 429), waits as told, and gives up early when the run is being stopped. A wall is not asked
 * again — a captcha, a login or a hand-off to a human agent is there the next time too (an expired
 * session is the one exception, asked again by `askCase` in a fresh conversation). Only an AdapterError is the target's
 * failure; anything else is a bug of ours, thrown at once: asking again would only repeat it, and
 * recording it as the target's failure would blame the city.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  opts: BackoffOptions & { stop?: AbortSignal },
): Promise<AttemptResult<T>> {
  for (let n = 0; ; n++) {
    try {
      return { value: await attempt(n), attempts: n + 1 };
    } catch (error) {
      if (!(error instanceof AdapterError)) throw error;
      if (!error.retryable || n >= opts.retries || opts.stop?.aborted) return { error, attempts: n + 1 };
      await sleep(backoffDelay(n, error, opts), undefined, { signal: opts.stop }).catch(() => undefined);
    }
  }
}
