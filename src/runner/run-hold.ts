/**
 * A pause for a run that keeps it going: while held, no new case starts; the cases in flight are
 * asked, judged and saved as usual. The run stays `running` in the store, and nothing is planned
 * again when the hold is released.
 */
export class RunHold {
  private gate: { released: Promise<void>; release: () => void } | null = null;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  get held(): boolean {
    return this.gate !== null;
  }

  hold(): void {
    if (this.gate) return;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.gate = { released, release };
  }

  release(): void {
    this.gate?.release();
    this.gate = null;
  }

  /** Resolves once no case is in flight while held: the pause has taken effect. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * The runner, before a case: waits while held (or until `signal` aborts), then counts the case in
   * flight. Checking and counting happen in one turn, so no case starts after `idle` resolved.
   */
  async enter(signal?: AbortSignal): Promise<void> {
    while (this.gate && !signal?.aborted) {
      const { released } = this.gate;
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        void released.then(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.inFlight += 1;
  }

  /** The runner, when a case entered is saved (or turned out to be nothing to do). */
  leave(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
