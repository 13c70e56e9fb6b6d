import type { Conversation } from '../../domain/types.js';

/** Why a preparation was stopped: only the turn that claimed it makes its failure count. */
const STOPPED_BY_TURN = 'turn';
const STOPPED_UNCLAIMED = 'unclaimed';

/** Something prepared before any turn asks for it (a page, loaded and settled), then claimed by the first turn. */
export interface HeadStart<T> {
  /** True once prepared; false when it failed in a way no turn will hear of (the taker starts afresh). */
  readonly ready: Promise<boolean>;
  /**
   * Hands the preparation to a turn: from now on only the turn's signal stops it. Resolves to what
   * was prepared, or to undefined when the preparation had already failed (the turn then starts
   * afresh, and a real fault of the page fails that fresh start); a failure after the claim is the
   * turn's and is thrown, as it would have been had the turn started the preparation itself.
   */
  claim(signal: AbortSignal): Promise<T | undefined>;
  /** Stops an unclaimed preparation; resolves to what was prepared if it got that far, for the caller to close. */
  cancel(): Promise<T | undefined>;
}

export interface HeadStartOptions {
  /** An unclaimed preparation still running after this long is stopped: no turn is waiting for it. */
  limitMs: number;
  /** A failure no turn will see (the taker starts afresh): e.g. to remove the screenshot it saved. */
  onLost(error: unknown): void;
  /** Failures that reach the claiming turn even when they came first (our own bugs must not vanish). */
  passOn(error: unknown): boolean;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; lost: boolean };

export function headStart<T>(prepare: (signal: AbortSignal) => Promise<T>, opts: HeadStartOptions): HeadStart<T> {
  const stop = new AbortController();
  let claimed = false;
  const limit = setTimeout(() => stop.abort(STOPPED_UNCLAIMED), opts.limitMs);
  const outcome: Promise<Outcome<T>> = prepare(stop.signal).then(
    (value) => ({ ok: true, value }),
    (error: unknown) => {
      const lost = !opts.passOn(error) && (!claimed || stop.signal.reason === STOPPED_UNCLAIMED);
      if (lost) opts.onLost(error);
      return { ok: false, error, lost };
    },
  );
  void outcome.finally(() => clearTimeout(limit));

  return {
    ready: outcome.then((o) => o.ok || !o.lost),
    async claim(signal) {
      claimed = true;
      clearTimeout(limit);
      const onAbort = (): void => stop.abort(STOPPED_BY_TURN);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const o = await outcome;
      signal.removeEventListener('abort', onAbort);
      if (o.ok) return o.value;
      if (o.lost) return undefined;
      throw o.error;
    },
    async cancel() {
      if (!claimed) stop.abort(STOPPED_UNCLAIMED);
      const o = await outcome;
      return o.ok ? o.value : undefined;
    },
  };
}

/** A conversation that can prepare its page before its first message. */
export interface Warmable extends Conversation {
  /** Starts preparing; resolves false when that failed and the conversation is of no more use as a spare. */
  warm(): Promise<boolean>;
  readonly closed: boolean;
}

export interface WarmPoolOptions {
  /** A spare older than this is closed rather than handed out: portals expire idle chat sessions. */
  maxAgeMs: number;
  /** After a spare failed, none is prepared for this long: a broken site would otherwise load every page twice. */
  pauseMs: number;
}

export interface WarmPool<C> {
  /** A spare (ready, or on its way), else a new conversation. */
  take(): C;
  /**
   * Starts preparing one spare, unless there are as many as conversations in flight. Called as a
   * conversation sends, so that spares load while the bots think, one at a time, rather than all
   * alongside the pages that conversations are waiting for.
   */
  topUp(): void;
  /** Closes every spare. */
  close(): Promise<void>;
}

interface Spare<C> {
  conversation: C;
  at: number;
}

/**
 * Conversations prepared ahead of the turns that will use them: each conversation is still a
 * conversation of its own (its page in a fresh context), only opened earlier. There are at most as
 * many spares as conversations in flight, and none until a second conversation is asked for, so a
 * one-question check does not load a page nobody takes.
 */
export function createWarmPool<C extends Warmable>(make: () => C, opts: WarmPoolOptions): WarmPool<C> {
  let spares: Spare<C>[] = [];
  const inFlight = new Set<C>();
  let taken = 0;
  let pausedUntil = 0;
  let closed = false;

  const discard = (spare: Spare<C>): void => {
    spares = spares.filter((s) => s !== spare);
    void spare.conversation.close();
  };

  const topUp = (): void => {
    for (const c of inFlight) if (c.closed) inFlight.delete(c);
    if (!closed && taken > 1 && performance.now() >= pausedUntil && spares.length < inFlight.size) {
      const spare: Spare<C> = { conversation: make(), at: performance.now() };
      spares.push(spare);
      void spare.conversation.warm().then((ok) => {
        if (ok) return;
        pausedUntil = performance.now() + opts.pauseMs;
        // One already taken is its taker's to close.
        if (spares.includes(spare)) discard(spare);
      });
    }
  };

  return {
    take() {
      const now = performance.now();
      for (const s of spares.filter((s) => now - s.at > opts.maxAgeMs)) discard(s);
      const conversation = spares.shift()?.conversation ?? make();
      taken += 1;
      inFlight.add(conversation);
      return conversation;
    },
    topUp,
    async close() {
      closed = true;
      const all = spares;
      spares = [];
      await Promise.all(all.map((s) => s.conversation.close()));
    },
  };
}
