import type { Frame } from 'playwright-core';
import { TYPING_BUBBLE } from '../adapters/utils/browser-reply.js';
import type { ChatLocation } from './find-chat.js';
import { call, markSeen, selectorFor } from './page-tools.js';

/** What sending the probe question showed: how to send, which elements hold the bot's replies. */
export interface ObservedReply {
  /** Absent: Enter in the input sends. */
  sendSelector?: string;
  botMessage: string;
  /** The reply as the page showed it once it stopped changing. */
  text: string;
  firstMs: number;
  /** Long enough to outlast the longest pause seen while the reply was being written. */
  quietMs: number;
}

export type WatchOutcome = { observed: ObservedReply } | { failed: string };

const POLL_MS = 100;
const REPLY_WAIT_MS = 25_000;
/** A reply is finished once nothing new was written for this long (or three times its longest pause). */
const MIN_QUIET_MS = 1_200;
const SENT_WAIT_MS = 2_500;
/** A control that cannot be used within this long is taken as unusable (disabled, covered). */
const ACT_TIMEOUT_MS = 3_000;
interface FreshNode {
  i: number;
  text: string;
}

/**
 * Sends the probe question and watches what appears: the echo of the question, typing indicators,
 * and the nodes that grow into the reply. The bot-message selector is chosen among selectors of the
 * reply's bubble and its ancestors as the one that finds the reply whole, never the echo, and no
 * node twice; one that also finds the greeting shown before is preferred, as it names every bot message.
 */
export async function watchReply(chat: ChatLocation, question: string, notes: string[]): Promise<WatchOutcome> {
  const { frame, inputSelector } = chat;
  const field = frame.locator(inputSelector).filter({ visible: true }).first();
  await markSeen(chat.page);
  if (!(await field.fill(question, { timeout: ACT_TIMEOUT_MS }).then(() => true, () => false))) {
    return { failed: `the input ${inputSelector} takes no text` };
  }
  const buttons = (await call<{ i: number; score: number; text: string }[]>(frame, 'sendButtons', chat.input.i)) ?? [];
  let sendSelector: string | undefined;
  const best = buttons.find((b) => b.score >= 2);
  if (best) sendSelector = await selectorFor({ frame, i: best.i });
  const sentAt = performance.now();
  const done = await (sendSelector ? frame.locator(sendSelector).filter({ visible: true }).first().click({ timeout: ACT_TIMEOUT_MS }) : field.press('Enter', { timeout: ACT_TIMEOUT_MS })).then(
    () => true,
    () => false,
  );
  if (!done) return { failed: sendSelector ? `the send button ${sendSelector} could not be clicked` : 'Enter could not be pressed in the input' };
  if (!(await sent(frame, field, question))) {
    if (!sendSelector) return { failed: 'pressing Enter in the input sent nothing, and no send button was found next to it' };
    notes.push(`clicking ${sendSelector} sent nothing; pressing Enter instead`);
    sendSelector = undefined;
    await field.press('Enter', { timeout: ACT_TIMEOUT_MS }).catch(() => undefined);
    if (!(await sent(frame, field, question))) return { failed: 'neither the send button nor Enter sent the question' };
  }
  notes.push(sendSelector ? `sends with ${sendSelector}` : 'sends with Enter');

  const isEcho = (t: string): boolean => normalize(t) === normalize(question) || (normalize(t).includes(normalize(question)) && t.length <= question.length + 24);
  let last = '';
  let changedAt = performance.now();
  let firstAt: number | undefined;
  let maxGap = 0;
  /** When the first sign of the bot appeared, a typing bubble perhaps: a run must wait out what follows it. */
  let busyAt: number | undefined;
  let nodes: FreshNode[] = [];
  while (performance.now() - sentAt < REPLY_WAIT_MS) {
    nodes = (await call<FreshNode[]>(frame, 'fresh')) ?? nodes;
    const reply = nodes.filter((n) => !isEcho(n.text) && !TYPING_BUBBLE.test(n.text));
    const key = reply.map((n) => n.text).join('\n');
    const now = performance.now();
    if (busyAt === undefined && nodes.some((n) => !isEcho(n.text))) busyAt = now;
    if (key !== last) {
      if (last !== '') maxGap = Math.max(maxGap, now - changedAt);
      if (key !== '' && firstAt === undefined) {
        firstAt = now;
        maxGap = Math.max(maxGap, now - (busyAt ?? now));
      }
      last = key;
      changedAt = now;
    } else if (key !== '' && now - changedAt >= Math.max(MIN_QUIET_MS, maxGap * 3)) {
      break;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const replyNodes = nodes.filter((n) => !isEcho(n.text) && !TYPING_BUBBLE.test(n.text));
  if (replyNodes.length === 0 || firstAt === undefined) return { failed: `no reply appeared within ${REPLY_WAIT_MS / 1000} s of sending` };
  const echo = nodes.filter((n) => isEcho(n.text)).map((n) => n.i);
  const botMessage = await chooseBotMessage(frame, replyNodes, echo);
  if (!botMessage) return { failed: 'a reply appeared, but no selector finds it without also finding the echoed question' };
  notes.push(`bot messages: ${botMessage.selector}${botMessage.old > 0 ? ' (the greeting matches too)' : ''}`);
  return {
    observed: {
      ...(sendSelector !== undefined && { sendSelector }),
      botMessage: botMessage.selector,
      text: botMessage.text,
      firstMs: Math.round(firstAt - sentAt),
      quietMs: Math.min(5_000, Math.max(1_000, Math.ceil((maxGap * 2 + 500) / 100) * 100)),
    },
  };
}

/** Whether the question left the input: the input emptied, or something new appeared. */
async function sent(frame: Frame, field: ReturnType<Frame['locator']>, question: string): Promise<boolean> {
  const deadline = performance.now() + SENT_WAIT_MS;
  while (performance.now() < deadline) {
    const value = await field
      .evaluate((el) => {
        const e = el as unknown as { value?: unknown; innerText?: string };
        return typeof e.value === 'string' ? e.value : (e.innerText ?? '');
      })
      .catch(() => '');
    if (!value.includes(question)) return true;
    if (((await call<FreshNode[]>(frame, 'fresh')) ?? []).length > 0) return true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return false;
}

interface Verdict {
  count: number;
  old: number;
  inReply: number;
  strayNew: number;
  touchesEcho: boolean;
  nested: boolean;
  text: string;
}

async function chooseBotMessage(frame: Frame, reply: FreshNode[], echo: number[]): Promise<{ selector: string; old: number; text: string } | undefined> {
  const replyIdx = reply.map((n) => n.i);
  const bubbles = await Promise.all(reply.map(async (n) => (await call<number>(frame, 'bubbleOf', n.i)) ?? n.i));
  // The bubbles' text, not the rows' name tags or clocks: the closer a selector's finds come to it, the better.
  const whole = normalize((await Promise.all(bubbles.map((i) => call<string>(frame, 'text', i)))).join(''));
  const candidates = new Set<string>();
  for (const i of [...bubbles, ...replyIdx]) {
    for (const s of (await call<string[]>(frame, 'selectorsFor', i)) ?? []) candidates.add(s);
    for (const s of (await call<string[]>(frame, 'contrast', i, echo)) ?? []) candidates.add(s);
  }
  let best: { selector: string; old: number; text: string; score: number } | undefined;
  for (const selector of candidates) {
    const v = await frame
      .locator(selector)
      .evaluateAll(
        (els, [r, e]) =>
          (globalThis as unknown as { __govbenchDetect: { judgeMatches(m: Element[], r: number[], e: number[]): Verdict } }).__govbenchDetect.judgeMatches(els, r, e),
        [replyIdx, echo] as const,
      )
      .catch(() => undefined);
    if (!v || v.inReply === 0 || v.touchesEcho || v.nested || v.strayNew > 0) continue;
    const found = normalize(v.text);
    if (found.length < whole.length * 0.6) continue;
    const score = (v.old > 0 ? 2 : 0) - (10 * Math.abs(whole.length - found.length)) / Math.max(1, whole.length) - selector.length / 200;
    if (!best || score > best.score) best = { selector, old: v.old, text: v.text, score };
  }
  return best && { selector: best.selector, old: best.old, text: best.text };
}

function normalize(s: string): string {
  return s.replace(/\s+/g, '');
}
