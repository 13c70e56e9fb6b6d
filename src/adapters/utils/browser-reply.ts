import type { Locator } from 'playwright-core';
import { abortable, delay } from './browser-failure.js';

/** How often the messages are read while waiting; also the resolution of firstMs and totalMs. */
const POLL_MS = 50;

/**
 * Reads per quiet period while a greeting settles. Each read costs the page and this process a few
 * milliseconds of CPU, and nothing is timed here, so it is read less often than a reply.
 */
const SETTLE_READS = 5;

/** What the bot has said since the question was sent, as far as it got. */
export interface ReplyProgress {
  /** innerText of every bot message after the ones counted before sending, joined by new lines. */
  text: string;
  /** Their innerHTML, joined the same way. */
  html: string;
  /** Since sending, when the first non-empty text appeared. */
  firstMs?: number;
  /** Since sending, when the text last changed. */
  totalMs?: number;
}

interface Snapshot {
  count: number;
  text: string;
  html: string;
}

/**
 * A bubble that says the bot is busy rather than what it answers (正在输入…, loading dots): read as
 * empty, so that it neither counts as the first sign of a reply nor ends as the reply when the answer
 * takes longer than the quiet time to replace it.
 */
export const TYPING_BUBBLE = /^(?:对方)?(?:正在输入|输入中|正在思考|思考中|正在生成|加载中|请稍[候等])[.。…\s]*$|^[.。…·\s]+$|^(?:loading|typing)[.…\s]*$/i;

/** Reads the bot messages from index `from` on in one round trip to the page. */
function readFrom(messages: Locator, from: number): Promise<Snapshot> {
  return messages.evaluateAll(
    (els: { innerText: string; innerHTML: string }[], [start, typing]: readonly [number, string]) => {
      const busy = new RegExp(typing, 'i');
      const fresh = els.slice(start);
      return {
        count: els.length,
        text: fresh
          .map((e) => e.innerText.trim())
          .filter((t) => t !== '' && !busy.test(t))
          .join('\n'),
        html: fresh.map((e) => e.innerHTML).join('\n'),
      };
    },
    [from, TYPING_BUBBLE.source] as const,
  );
}

/**
 * Waits until the bot messages after the first `before` hold text that has not changed for
 * `quietMs`: a streaming or typing widget is finished only when it stops writing. Several new
 * messages (an answer followed by suggested questions) count as one reply. Empty bubbles, such as
 * loading dots, do not count as the first sign of a reply. `progress` is kept current so that a
 * caller whose signal fires still knows what had arrived.
 */
export async function awaitReply(
  messages: Locator,
  before: number,
  opts: { quietMs: number; sentAt: number; signal: AbortSignal },
  progress: ReplyProgress,
): Promise<Required<ReplyProgress>> {
  let changedAt = 0;
  for (;;) {
    const snap = await abortable(readFrom(messages, before), opts.signal);
    const now = performance.now();
    if (snap.text !== '') {
      progress.firstMs ??= now - opts.sentAt;
      if (snap.text !== progress.text) {
        progress.text = snap.text;
        progress.html = snap.html;
        progress.totalMs = now - opts.sentAt;
        changedAt = now;
      } else if (now - changedAt >= opts.quietMs) {
        return { text: progress.text, html: progress.html, firstMs: progress.firstMs, totalMs: progress.totalMs ?? progress.firstMs };
      }
    }
    await delay(POLL_MS, opts.signal);
  }
}

/**
 * Lets the messages already on the page finish (a greeting typed out letter by letter) so that
 * none of them is later taken for the reply. Gives up waiting after `capMs`: a page with a ticking
 * message would otherwise never be ready.
 */
export async function settleMessages(messages: Locator, opts: { quietMs: number; capMs: number; signal: AbortSignal }): Promise<void> {
  const start = performance.now();
  const every = Math.max(POLL_MS, opts.quietMs / SETTLE_READS);
  let last: string | undefined;
  let changedAt = start;
  while (performance.now() - start < opts.capMs) {
    const snap = await abortable(readFrom(messages, 0), opts.signal);
    const key = `${snap.count}\u0000${snap.text}`;
    const now = performance.now();
    if (key !== last) {
      last = key;
      changedAt = now;
    } else if (now - changedAt >= opts.quietMs) {
      return;
    }
    await delay(every, opts.signal);
  }
}
