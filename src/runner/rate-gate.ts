import { setTimeout as sleep } from 'node:timers/promises';

interface RateGateOptions {
  /** Requests per minute at most; absent: no rate limit. */
  perMinute?: number;
  now?: () => number;
}

/**
 * Paces one target's requests: starts are spaced 60 s / perMinute apart (so no 60-second window ever
 * holds more than perMinute, unlike a bucket that allows a burst on top of the rate), and a 429's
 * Retry-After holds every request of the target, not only the one that was refused.
 */
export class RateGate {
  private nextStart = 0;
  private pausedUntil = 0;
  private readonly spacingMs: number;
  private readonly now: () => number;

  constructor(opts: RateGateOptions = {}) {
    this.spacingMs = opts.perMinute ? 60_000 / opts.perMinute : 0;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Waits for this request's turn; resolves early (without a slot) when the run is being stopped. */
  async acquire(stop?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      const at = Math.max(now, this.nextStart, this.pausedUntil);
      if (at <= now) {
        this.nextStart = now + this.spacingMs;
        return;
      }
      // Re-check after waking: a pause may have been extended meanwhile.
      await sleep(at - now, undefined, stop ? { signal: stop } : undefined).catch(() => undefined);
      if (stop?.aborted) return;
    }
  }

  /** The target asked us to wait (429 / 503 with Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
