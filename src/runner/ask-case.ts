import type { Adapter, AdapterReply, ErrorKind, Limits, Turn } from '../domain/types.js';
import { AdapterError } from '../adapters/utils/adapter-error.js';
import { BLOCKED_REPLY_ERRORS, blockedReplyKind } from '../text/blocked-reply.js';
import type { RateGate } from './rate-gate.js';
import { followSuggestionsOf, type Exchanged } from './follow-suggestions.js';
import { withRetries, type AttemptResult } from './retry.js';

/**
 * What the user says: fixed messages, or the next message given the turns so far (a simulated
 * citizen), undefined to end the conversation.
 */
export type Script = readonly string[] | ((turns: readonly Turn[]) => Promise<string | undefined>);

/** A conversation as it went; `bug` is what our code threw if that ended it (the last turn records it). */
export interface Asked {
  turns: Turn[];
  bug?: unknown;
}

/**
 * Holds one conversation: sends the messages in order, each with its timeout and retries, and
 * records every turn as it happened. A reply made only of suggested questions is followed up to
 * `followSuggestions` times (see follow-suggestions.ts), each follow a turn of its own. A turn that
 * fails ends the conversation; so does a bug, which is recorded on its turn and returned, not thrown,
 * so the turns before it are kept. A reply that is only a wall — a hand-off to a human agent, an expired
 * session — fails its turn with that kind and keeps its text as evidence: it is never judged, and counts
 * against availability.
 */
export async function askCase(
  adapter: Adapter,
  messages: Script,
  limits: Limits,
  gate: RateGate,
  stop?: AbortSignal,
  followSuggestions = 0,
): Promise<Asked> {
  let conversation = adapter.open();
  const turns: Turn[] = [];
  const exchange = async (user: string, call: (signal: AbortSignal) => Promise<AdapterReply>): Promise<Exchanged> => {
    const index = turns.length;
    let tried = 0;
    // The last attempt's, so a reply and its screenshot can be matched to the moment it was asked.
    let at = new Date().toISOString();
    const attempt = async (n: number): Promise<AdapterReply> => {
      tried = n + 1;
      await gate.acquire(stop);
      at = new Date().toISOString();
      try {
        return await call(AbortSignal.timeout(limits.timeoutMs));
      } catch (err) {
        if (err instanceof AdapterError && err.details.retryAfterMs !== undefined) gate.pause(err.details.retryAfterMs);
        throw err;
      }
    };
    const ask = (): Promise<AttemptResult<AdapterReply>> => withRetries(attempt, { retries: limits.retries, ...(stop && { stop }) });
    let result: AttemptResult<AdapterReply>;
    try {
      result = await ask();
      // A session that has expired before the first answer is a stale page or cookie, which a fresh
      // conversation clears: asked once more there. Later in a conversation a fresh one would lose
      // what the earlier turns set up, and a second expiry is the city's: both are recorded.
      if (index === 0 && wallOf(result) === 'expired' && !stop?.aborted) {
        const before = result.attempts;
        await conversation.close();
        conversation = adapter.open();
        result = await ask();
        result = { ...result, attempts: before + result.attempts };
      }
    } catch (thrown) {
      const bug = redactBug(thrown, adapter);
      return { turn: { ...bugTurn(index, user, bug, tried), at }, bug };
    }
    if (result.value) return { turn: { ...replyTurn(index, user, result.value, result.attempts), at } };
    return { turn: { ...failedTurn(index, user, result.error!, result.attempts, limits), at } };
  };
  const follow = async (suggestion: string): Promise<Exchanged> => {
    const followed = await exchange(suggestion, (signal) => conversation.follow?.(suggestion, signal) ?? conversation.send(suggestion, signal));
    const turn: Turn = { ...followed.turn, followed: true };
    turns.push(turn);
    return { ...followed, turn };
  };
  const nextUser = typeof messages === 'function' ? messages : fixed(messages);
  try {
    for (;;) {
      let user: string | undefined;
      try {
        user = await nextUser(turns);
      } catch (thrown) {
        // The script is ours (a simulated citizen): its failure is our bug, kept after the turns so far.
        const bug = redactBug(thrown, adapter);
        turns.push(bugTurn(turns.length, '', bug, 0));
        return { turns, bug };
      }
      if (user === undefined) break;
      const said = user;
      let asked = await exchange(said, (signal) => conversation.send(said, signal));
      turns.push(asked.turn);
      asked = await followSuggestionsOf(asked, said, followSuggestions, follow);
      if (asked.bug !== undefined) return { turns, bug: asked.bug };
      if (!asked.turn.ok) break;
    }
  } finally {
    await conversation.close();
  }
  return { turns };
}

function fixed(messages: readonly string[]): (turns: readonly Turn[]) => Promise<string | undefined> {
  let next = 0;
  return () => Promise.resolve(messages[next++]);
}

/** The wall an attempt ran into, as a reply or as an adapter's failure. */
function wallOf(result: AttemptResult<AdapterReply>): ErrorKind | undefined {
  return result.value ? blockedReplyKind(result.value.text) : result.error?.kind;
}

/** An answered turn, unless the reply is only a wall: then a failed turn of that kind that keeps the reply. */
function replyTurn(index: number, user: string, r: AdapterReply, attempts: number): Turn {
  const answered = answeredTurn(index, user, r, attempts);
  const wall = blockedReplyKind(r.text);
  return wall ? { ...answered, ok: false, errorKind: wall, error: BLOCKED_REPLY_ERRORS[wall] } : answered;
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
    ...(r.suggestions && r.suggestions.length > 0 && { suggestions: r.suggestions, suggestionsOnly: r.suggestionsOnly === true }),
    ...(r.links && r.links.length > 0 && { links: r.links }),
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
  if (failed.errorKind === 'timeout' || failed.errorKind === 'connect' || failed.errorKind === 'page-load') return true;
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
