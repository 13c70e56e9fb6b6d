import type { Adapter, AdapterReply, Limits, Turn } from '../domain/types.js';
import { AdapterError } from '../adapters/utils/adapter-error.js';
import type { RateGate } from './rate-gate.js';
import { withRetries, type AttemptResult } from './retry.js';

/** A conversation as it went; `bug` is what our code threw if that ended it (the last turn records it). */
export interface Asked {
  turns: Turn[];
  bug?: unknown;
}

/**
 * Holds one conversation: sends the messages in order, each with its timeout and retries, and
 * records every turn as it happened. A turn that fails ends the conversation; so does a bug, which
 * is recorded on its turn and returned, not thrown, so the turns before it are kept.
 */
export async function askCase(
  adapter: Adapter,
  messages: readonly string[],
  limits: Limits,
  gate: RateGate,
  stop?: AbortSignal,
): Promise<Asked> {
  const conversation = adapter.open();
  const turns: Turn[] = [];
  try {
    for (const [index, user] of messages.entries()) {
      let tried = 0;
      // The last attempt's, so a reply and its screenshot can be matched to the moment it was asked.
      let at = new Date().toISOString();
      const attempt = async (n: number): Promise<AdapterReply> => {
        tried = n + 1;
        await gate.acquire(stop);
        at = new Date().toISOString();
        try {
          return await conversation.send(user, AbortSignal.timeout(limits.timeoutMs));
        } catch (err) {
          if (err instanceof AdapterError && err.details.retryAfterMs !== undefined) gate.pause(err.details.retryAfterMs);
          throw err;
        }
      };
      let result: AttemptResult<AdapterReply>;
      try {
        result = await withRetries(attempt, { retries: limits.retries, ...(stop && { stop }) });
      } catch (thrown) {
        const bug = redactBug(thrown, adapter);
        turns.push({ ...bugTurn(index, user, bug, tried), at });
        return { turns, bug };
      }
      if (result.value) {
        turns.push({ ...answeredTurn(index, user, result.value, result.attempts), at });
        continue;
      }
      turns.push({ ...failedTurn(index, user, result.error!, result.attempts, limits), at });
      break;
    }
  } finally {
    await conversation.close();
  }
  return { turns };
}

function answeredTurn(index: number, user: string, r: AdapterReply, attempts: number): Turn {
  return {
    index,
    user,
    reply: r.text,
    raw: r.raw,
    ok: true,
    ...(r.httpStatus !== undefined && { httpStatus: r.httpStatus }),
    firstMs: r.firstMs,
    totalMs: r.totalMs,
    attempts,
    ...(r.usage && { usage: r.usage }),
    ...(r.screenshot !== undefined && { screenshot: r.screenshot }),
  };
}

/** A turn the target failed; without timings of its own, it took the whole timeout. */
function failedTurn(index: number, user: string, e: AdapterError, attempts: number, limits: Limits): Turn {
  return {
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
    attempts,
    ...(e.details.screenshot !== undefined && { screenshot: e.details.screenshot }),
  };
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

/** The record of a turn our code failed: the stack, so the report shows where. */
export function bugTurn(index: number, user: string, bug: unknown, attempts: number): Turn {
  return { index, user, reply: '', raw: '', ok: false, errorKind: 'bug', error: stackOf(bug), firstMs: 0, totalMs: 0, attempts };
}

/** An answered turn whose judging failed with a bug: the reply is kept, the stack added. */
export function judgedWithBug(turn: Turn, bug: unknown): Turn {
  return { ...turn, ok: false, errorKind: 'bug', error: stackOf(bug) };
}

function stackOf(bug: unknown): string {
  return bug instanceof Error ? (bug.stack ?? `${bug.name}: ${bug.message}`) : String(bug);
}

/**
 * A bug thrown by adapter code with the adapter's secrets masked in its message and stack, which may
 * quote a URL or header: both are stored with the case and printed when the run fails.
 */
export function redactBug(bug: unknown, adapter: Pick<Adapter, 'redact'>): unknown {
  const redact = adapter.redact;
  if (!redact) return bug;
  if (!(bug instanceof Error)) return redact(String(bug));
  bug.message = redact(bug.message);
  if (bug.stack !== undefined) bug.stack = redact(bug.stack);
  return bug;
}
