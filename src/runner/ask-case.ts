import type { Adapter, Limits, Turn } from '../domain/types.js';
import { withRetries } from './retry.js';

/**
 * Holds one conversation: sends the messages in order, each with its timeout and retries, and
 * records every turn as it happened. A turn that fails ends the conversation.
 */
export async function askCase(adapter: Adapter, messages: readonly string[], limits: Limits, stop?: AbortSignal): Promise<Turn[]> {
  const conversation = adapter.open();
  const turns: Turn[] = [];
  try {
    for (const [index, user] of messages.entries()) {
      const result = await withRetries((_) => conversation.send(user, AbortSignal.timeout(limits.timeoutMs)), {
        retries: limits.retries,
        ...(stop && { stop }),
      });
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
