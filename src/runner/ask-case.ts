import type { Adapter, Limits, Turn } from '../domain/types.js';
import { AdapterError } from '../adapters/utils/adapter-error.js';
import type { RateGate } from './rate-gate.js';
import { withRetries } from './retry.js';

/**
 * Holds one conversation: sends the messages in order, each with its timeout and retries, and
 * records every turn as it happened. A turn that fails ends the conversation.
 */
export async function askCase(
  adapter: Adapter,
  messages: readonly string[],
  limits: Limits,
  gate: RateGate,
  stop?: AbortSignal,
): Promise<Turn[]> {
  const conversation = adapter.open();
  const turns: Turn[] = [];
  try {
    for (const [index, user] of messages.entries()) {
      const attempt = async (): Promise<Awaited<ReturnType<typeof conversation.send>>> => {
        await gate.acquire(stop);
        try {
          return await conversation.send(user, AbortSignal.timeout(limits.timeoutMs));
        } catch (err) {
          if (err instanceof AdapterError && err.details.retryAfterMs !== undefined) gate.pause(err.details.retryAfterMs);
          throw err;
        }
      };
      const result = await withRetries(attempt, { retries: limits.retries, ...(stop && { stop }) });
      if (result.value) {
        const r = result.value;
        turns.push({
          index,
          user,
          reply: r.text,
          raw: r.raw,
          ok: true,
          ...(r.httpStatus !== undefined && { httpStatus: r.httpStatus }),
          firstMs: r.firstMs,
          totalMs: r.totalMs,
          attempts: result.attempts,
          ...(r.usage && { usage: r.usage }),
        });
        continue;
      }
      const e = result.error!;
      turns.push({
        index,
        user,
        reply: '',
        raw: e.details.raw ?? '',
        ok: false,
        errorKind: e.kind,
        error: e.message,
        ...(e.details.httpStatus !== undefined && { httpStatus: e.details.httpStatus }),
        firstMs: e.details.firstMs ?? limits.timeoutMs,
        totalMs: e.details.totalMs ?? limits.timeoutMs,
        attempts: result.attempts,
        ...(e.details.screenshot !== undefined && { screenshot: e.details.screenshot }),
      });
      break;
    }
  } finally {
    await conversation.close();
  }
  return turns;
}

/** Failures that say the target is unreachable, as opposed to a bad answer from a live one. */
export function isOutage(turns: readonly Turn[]): boolean {
  const failed = turns.find((t) => !t.ok);
  if (!failed) return false;
  if (failed.errorKind === 'timeout' || failed.errorKind === 'connect') return true;
  return failed.errorKind === 'http-status' && (failed.httpStatus === 429 || (failed.httpStatus ?? 0) >= 500);
}

/** The record of a case not asked because its target is down. */
export function unavailableTurn(user: string, reason: string): Turn {
  return { index: 0, user, reply: '', raw: '', ok: false, errorKind: 'unavailable', error: reason, firstMs: 0, totalMs: 0, attempts: 0 };
}
