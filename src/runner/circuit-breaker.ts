import { setTimeout as sleep } from 'node:timers/promises';

export interface CircuitBreakerOptions {
  /** Consecutive failed cases (after retries) that open the circuit. @default 5 */
  threshold?: number;
  /** Asks whether the target is up, without a conversation. */
  probe: (signal: AbortSignal) => Promise<boolean>;
  /** First wait before probing an open circuit; doubled after each failed probe. @default 1000 */
  probeMinMs?: number;
  /** @default 30_000 */
  probeMaxMs?: number;
  /** A case's worth of failure never takes longer than this to record. */
  maxPaceMs: number;
}

type BreakerDecision = { send: true } | { send: false; paceMs: number; reason: string };

/**
 * Stops asking a target that keeps failing. While open, no request reaches the target: cases are
 * recorded as unavailable at the pace its failures took (so down-time costs the run no more time than
 * failing would, and the share of unavailable cases reflects how long it was down), while a probe with
 * growing intervals watches for it to come back; then cases are sent again (half-open), and the first
 * to succeed closes the circuit, the first to fail opens it again.
 */
export class CircuitBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private failureMs: number[] = [];
  private probing: Promise<void> | undefined;
  private readonly threshold: number;
  private readonly stop = new AbortController();

  constructor(private readonly opts: CircuitBreakerOptions) {
    this.threshold = opts.threshold ?? 5;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  before(): BreakerDecision {
    if (this.state !== 'open') return { send: true };
    const mean = this.failureMs.reduce((a, b) => a + b, 0) / Math.max(this.failureMs.length, 1);
    return {
      send: false,
      paceMs: Math.min(this.opts.maxPaceMs, mean),
      reason: `target down: ${this.failures} cases in a row failed; not asked while the availability probe fails`,
    };
  }

  /** Records a case's outcome; `durationMs` is how long the case took to fail or succeed. */
  after(ok: boolean, durationMs: number): void {
    if (ok) {
      this.state = 'closed';
      this.failures = 0;
      this.failureMs = [];
      return;
    }
    this.failures += 1;
    this.failureMs = [...this.failureMs.slice(-(this.threshold - 1)), durationMs];
    if (this.state === 'half-open' || this.failures >= this.threshold) this.open();
  }

  private open(): void {
    this.state = 'open';
    this.probing ??= this.probeUntilUp().finally(() => (this.probing = undefined));
  }

  private async probeUntilUp(): Promise<void> {
    let wait = this.opts.probeMinMs ?? 1000;
    while (this.state === 'open' && !this.stop.signal.aborted) {
      await sleep(wait, undefined, { signal: this.stop.signal }).catch(() => undefined);
      if (this.stop.signal.aborted) return;
      const up = await this.opts.probe(AbortSignal.any([AbortSignal.timeout(this.opts.maxPaceMs), this.stop.signal])).catch(() => false);
      if (up) this.state = 'half-open';
      else wait = Math.min(wait * 2, this.opts.probeMaxMs ?? 30_000);
    }
  }

  /** Ends the probe loop (the run is over for this target). */
  close(): void {
    this.stop.abort();
  }
}
