import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AdapterReply } from '../src/domain/types.js';
import { createWarmPool, headStart, type Warmable } from '../src/adapters/utils/warm-pages.js';

class OwnBug extends Error {}

/** A preparation that ends when the test says so, or fails with Aborted-like errors when its signal fires. */
function controllable<T>() {
  let settle: { resolve(v: T): void; reject(e: unknown): void } | undefined;
  let seen: AbortSignal | undefined;
  const prepare = (signal: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      seen = signal;
      settle = { resolve, reject };
      signal.addEventListener('abort', () => reject(new Error(`stopped: ${String(signal.reason)}`)), { once: true });
    });
  return { prepare, resolve: (v: T) => settle!.resolve(v), reject: (e: unknown) => settle!.reject(e), signal: () => seen! };
}

const options = (lost: unknown[], limitMs = 10_000) => ({ limitMs, onLost: (e: unknown) => lost.push(e), passOn: (e: unknown) => e instanceof OwnBug });

describe('a head start (a page prepared before its turn)', () => {
  it('hands over what was prepared, and only the claiming turn may stop it', async () => {
    const p = controllable<string>();
    const lost: unknown[] = [];
    const h = headStart(p.prepare, options(lost));
    const turn = new AbortController();
    const claimed = h.claim(turn.signal);
    p.resolve('page');
    expect(await claimed).toBe('page');
    expect(await h.ready).toBe(true);
    turn.abort();
    expect(p.signal().aborted).toBe(false);
    expect(lost).toEqual([]);
  });

  it('a failure before the claim is nobody’s: the turn gets nothing and starts afresh', async () => {
    const p = controllable<string>();
    const lost: unknown[] = [];
    const h = headStart(p.prepare, options(lost));
    const broken = new Error('HTTP 503');
    p.reject(broken);
    expect(await h.ready).toBe(false);
    expect(await h.claim(new AbortController().signal)).toBeUndefined();
    expect(lost).toEqual([broken]);
  });

  it('a failure after the claim is the turn’s, and so is its timeout', async () => {
    const p = controllable<string>();
    const lost: unknown[] = [];
    const h = headStart(p.prepare, options(lost));
    const claimed = h.claim(new AbortController().signal);
    p.reject(new Error('net::ERR_CONNECTION_RESET'));
    await expect(claimed).rejects.toThrow('ERR_CONNECTION_RESET');

    const q = controllable<string>();
    const h2 = headStart(q.prepare, options(lost));
    const turn = new AbortController();
    const waiting = h2.claim(turn.signal);
    turn.abort();
    await expect(waiting).rejects.toThrow('stopped: turn');
    expect(lost).toEqual([]);
  });

  it('our own bug reaches the turn even when it came before the claim', async () => {
    const p = controllable<string>();
    const lost: unknown[] = [];
    const h = headStart(p.prepare, options(lost));
    p.reject(new OwnBug('cannot read x of undefined'));
    expect(await h.ready).toBe(true);
    await expect(h.claim(new AbortController().signal)).rejects.toBeInstanceOf(OwnBug);
    expect(lost).toEqual([]);
  });

  it('stops an unclaimed preparation after its limit, and on cancel hands back a finished one to close', async () => {
    const p = controllable<string>();
    const lost: unknown[] = [];
    const h = headStart(p.prepare, options(lost, 30));
    expect(await h.ready).toBe(false);
    expect(p.signal().reason).toBe('unclaimed');
    expect(lost).toHaveLength(1);

    const q = controllable<string>();
    const h2 = headStart(q.prepare, options(lost));
    q.resolve('page');
    expect(await h2.cancel()).toBe('page');
    const r = controllable<string>();
    const h3 = headStart(r.prepare, options(lost));
    expect(await h3.cancel()).toBeUndefined();
    expect(r.signal().aborted).toBe(true);
  });
});

/** A conversation whose page is imaginary: it records what the pool did to it. */
class FakeConversation implements Warmable {
  static made = 0;
  readonly id = ++FakeConversation.made;
  warmed = false;
  closed = false;
  constructor(private readonly prepared: Promise<boolean>) {}
  warm(): Promise<boolean> {
    this.warmed = true;
    return this.prepared;
  }
  send(): Promise<AdapterReply> {
    return Promise.resolve({ text: `from ${this.id}`, raw: '', firstMs: 1, totalMs: 1 });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('the pool of spare conversations', () => {
  const pool = (outcome: () => Promise<boolean>, maxAgeMs = 10_000) => {
    const made: FakeConversation[] = [];
    const p = createWarmPool(
      () => {
        const c = new FakeConversation(outcome());
        made.push(c);
        return c;
      },
      { maxAgeMs, pauseMs: 10_000 },
    );
    return { p, made };
  };

  it('prepares nothing for a single conversation, then one spare per conversation in flight, handed out in order', async () => {
    const { p, made } = pool(async () => true);
    const first = p.take();
    p.topUp();
    expect(made).toHaveLength(1);
    await first.close();

    const a = p.take();
    const b = p.take();
    // One spare a call, so that they do not all load at once.
    p.topUp();
    expect(made.filter((c) => c.warmed)).toHaveLength(1);
    p.topUp();
    expect(made.filter((c) => c.warmed)).toHaveLength(2);
    const spares = made.filter((c) => c.warmed);
    await a.close();
    p.topUp();
    // Two spares for one conversation in flight: no more are made until they are used.
    expect(made.filter((c) => c.warmed)).toHaveLength(2);
    expect(p.take()).toBe(spares[0]);
    p.topUp();
    // Two in flight again (b and the spare taken), one spare left: one more is made.
    expect(made.filter((c) => c.warmed)).toHaveLength(3);
    await p.close();
    // Closing the adapter closes the spares, not the conversations in use.
    expect(made.filter((c) => c.closed)).toEqual([first, a, spares[1], made.at(-1)]);
  });

  it('closes a spare that grew too old instead of handing it out', async () => {
    const { p, made } = pool(async () => true, 40);
    p.take();
    const second = p.take();
    p.topUp();
    p.topUp();
    const spare = made.at(-1)!;
    expect(spare.warmed).toBe(true);
    await second.close();
    await sleep(60);
    const next = p.take();
    expect(next).not.toBe(spare);
    expect(spare.closed).toBe(true);
    await p.close();
  });

  it('drops a spare that failed and prepares none for a while, so a broken site is not loaded twice per case', async () => {
    const { p, made } = pool(async () => false);
    p.take();
    p.take();
    p.topUp();
    p.topUp();
    const failed = made.filter((c) => c.warmed);
    expect(failed).toHaveLength(2);
    await sleep(0);
    expect(failed.every((c) => c.closed)).toBe(true);
    const next = p.take();
    expect(failed).not.toContain(next);
    p.topUp();
    expect(made.filter((c) => c.warmed)).toHaveLength(2);
    await p.close();
  });
});
