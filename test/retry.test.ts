/**
 * The retry layer's schedule, exactly: the waits are recorded instead of slept (the module's timer is
 * mocked), so no assertion depends on how busy the machine is. faults-target.test.ts checks the same
 * backoff end to end against a real server.
 */
import { describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import { withRetries } from '../src/runner/retry.js';

const { waits } = vi.hoisted(() => ({ waits: [] as number[] }));
vi.mock('node:timers/promises', () => ({
  setTimeout: async (ms: number) => {
    waits.push(ms);
  },
}));

/** An attempt that fails with `errors` in turn, then answers 'ok'; it counts its calls. */
function failing(...errors: unknown[]) {
  let calls = 0;
  const attempt = async (): Promise<string> => {
    const error = errors[calls++];
    if (error !== undefined) throw error;
    return 'ok';
  };
  return { attempt, calls: () => calls };
}

const busy = (extra: Partial<AdapterError['details']> = {}) => new AdapterError('http-status', 'HTTP 503', { httpStatus: 503, ...extra });

describe('withRetries', () => {
  it.each([
    ['the least random share: half the cap', () => 0, [125, 250, 500]],
    ['the most: the whole cap', () => 1, [250, 500, 1000]],
    ['halfway', () => 0.5, [188, 375, 750]],
  ])('waits with equal jitter over a doubling cap, %s', async (_, random, expected) => {
    waits.length = 0;
    const f = failing(busy(), busy(), busy());
    expect(await withRetries(f.attempt, { retries: 3, random })).toEqual({ value: 'ok', attempts: 4 });
    expect(waits).toEqual(expected);
  });

  it('never waits longer than maxMs, and waits what Retry-After asks (up to a minute)', async () => {
    waits.length = 0;
    await withRetries(failing(busy(), busy(), busy()).attempt, { retries: 3, baseMs: 250, maxMs: 400, random: () => 1 });
    expect(waits).toEqual([250, 400, 400]);
    waits.length = 0;
    await withRetries(failing(busy({ retryAfterMs: 1500 }), busy({ retryAfterMs: 3_600_000 })).attempt, { retries: 2, random: () => 0 });
    expect(waits).toEqual([1500, 60_000]);
  });

  it('gives up after `retries`, on a failure asking again cannot mend, and when the run is stopping', async () => {
    waits.length = 0;
    const down = failing(busy(), busy(), busy());
    expect(await withRetries(down.attempt, { retries: 1 })).toMatchObject({ error: { kind: 'http-status' }, attempts: 2 });
    const garbled = failing(new AdapterError('parse', 'not JSON'));
    expect(await withRetries(garbled.attempt, { retries: 3 })).toMatchObject({ error: { kind: 'parse' }, attempts: 1 });
    const stopped = failing(busy(), busy());
    expect(await withRetries(stopped.attempt, { retries: 3, stop: AbortSignal.abort() })).toMatchObject({ attempts: 1 });
    expect(waits).toHaveLength(1);
  });

  it('throws anything but an AdapterError at once: a bug of ours is neither retried nor the target’s failure', async () => {
    waits.length = 0;
    const bug = new TypeError("Cannot read properties of undefined (reading 'text')");
    const f = failing(bug);
    await expect(withRetries(f.attempt, { retries: 5 })).rejects.toBe(bug);
    expect(f.calls()).toBe(1);
    expect(waits).toEqual([]);
  });
});
