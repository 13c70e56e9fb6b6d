import type { BrowserContext, Frame, Page } from 'playwright-core';
import { findWall, type Wall } from '../adapters/utils/blocked-page.js';
import type { WidgetStep } from '../domain/types.js';
import { findInputs, findLaunchers, frameChain, frameSelector, markSeen, prepare, selectorFor, type InputCandidate, type LauncherCandidate } from './page-tools.js';

/** Where the chat is once found: the steps that reach it, its frame, its input. */
export interface ChatLocation {
  page: Page;
  frame: Frame;
  steps: WidgetStep[];
  input: InputCandidate;
  inputSelector: string;
}


export type FindOutcome = { found: ChatLocation } | { wall: Wall } | { missing: true };

/** An input this sure is a chat even without a launcher: a search box never gets here (see IN_PAGE). */
const INLINE_SCORE = 4;
/** After a launcher was clicked, an input that appeared then needs less to go on. */
const OPENED_SCORE = 2;
const LAUNCHERS_TRIED = 6;
/** How long a launcher's panel or window may take to show an input. */
const OPEN_WAIT_MS = 4_000;
const POLL_MS = 150;
const LATE_WIDGET_MS = 2_500;
/** Matches nothing: a page without a known chat input. */
const NO_INPUT = 'govbench-no-chat-input';

/**
 * Finds the chat on a loaded page as a visitor would: an input already there that asks for a question;
 * else each likely launcher in turn (智能客服, 在线咨询 … at the edge of the screen), clicked, watching
 * for a new window or a panel, in a frame or not, whose input appears. Between launchers the page is
 * loaded again, so that one launcher's half-open panel does not hide the next. `notes` collects what
 * was tried, for a report of where it stopped.
 */
export async function findChat(context: BrowserContext, page: Page, url: string, notes: string[]): Promise<FindOutcome> {
  let launchers: LauncherCandidate[] = [];
  // Many portals load their chat's script last, after everything else: one more look a little later.
  for (const wait of [0, LATE_WIDGET_MS]) {
    if (wait > 0) await page.waitForTimeout(wait);
    await prepare(page);
    const inline = (await findInputs(page)).find((c) => c.score >= INLINE_SCORE);
    const located = inline && (await locate(page, inline, []));
    if (inline && located) {
      notes.push(`the chat input is on the page (${inline.why.join(', ')})`);
      return { found: located };
    }
    launchers = (await findLaunchers(page)).slice(0, LAUNCHERS_TRIED);
    if (launchers.length > 0) break;
  }
  if (launchers.length === 0) notes.push('nothing on the page looks like a chat launcher (智能客服, 在线咨询, 智能问答 …)');
  let current = page;
  for (const [n, launcher] of launchers.entries()) {
    if (n > 0) {
      await current.goto(url, { waitUntil: 'domcontentloaded' });
      await settle(current);
      await prepare(current);
    }
    const fresh = n === 0 ? launcher : (await findLaunchers(current)).find((l) => l.text === launcher.text);
    if (!fresh) continue;
    const selector = await selectorFor(fresh);
    if (!selector) {
      notes.push(`launcher 「${launcher.text}」: no selector reaches it`);
      continue;
    }
    const outcome = await tryLauncher(context, current, fresh.frame, selector);
    if (outcome && 'wall' in outcome) {
      notes.push(`「${launcher.text}」 (${selector}) opened no chat but ${outcome.wall.message}`);
      return outcome;
    }
    if (outcome) {
      notes.push(`opened the chat with 「${launcher.text}」 (${selector})${outcome.found.page !== current ? ' in a new window' : ''}`);
      return outcome;
    }
    notes.push(`launcher 「${launcher.text}」 (${selector}) opened no chat input`);
  }
  const wall = await wallIn(context);
  if (wall) notes.push(wall.message);
  return wall ? { wall } : { missing: true };
}

async function tryLauncher(context: BrowserContext, page: Page, frame: Frame, selector: string): Promise<{ found: ChatLocation } | { wall: Wall } | undefined> {
  await markSeen(page);
  const wallBefore = await wallOn(page);
  const before = new Set(context.pages());
  const framePath = await framePathSteps(frame);
  if (!framePath) return undefined;
  try {
    await frame.locator(selector).filter({ visible: true }).first().click({ timeout: OPEN_WAIT_MS });
  } catch {
    return undefined;
  }
  const deadline = performance.now() + OPEN_WAIT_MS;
  while (performance.now() < deadline) {
    const popup = context.pages().find((p) => !before.has(p));
    const where = popup ?? page;
    if (popup) await popup.waitForLoadState('domcontentloaded').catch(() => undefined);
    await prepare(where);
    const best = (await findInputs(where)).find((c) => c.score + (popup ? 2 : 0) >= OPENED_SCORE);
    if (best) {
      const step: WidgetStep = popup ? { popup: selector } : { click: selector };
      const located = await locate(where, best, [...framePath, step]);
      if (located) return { found: located };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  // A wall that came with the click (a new window's, or one that was not there before) is what the
  // launcher leads to; a login box the page showed all along is not.
  const opened = context.pages().find((p) => !before.has(p));
  const wall = await wallOn(opened ?? page);
  return wall && (opened || !wallBefore) ? { wall } : undefined;
}

/** The steps that enter a frame's chain of iframes; undefined when one of them has no selector. */
async function framePathSteps(frame: Frame): Promise<WidgetStep[] | undefined> {
  const steps: WidgetStep[] = [];
  for (const f of frameChain(frame)) {
    const selector = await frameSelector(f);
    if (!selector) return undefined;
    steps.push({ frame: selector });
  }
  return steps;
}

async function locate(page: Page, input: InputCandidate, before: WidgetStep[]): Promise<ChatLocation | undefined> {
  const frames = await framePathSteps(input.frame);
  const inputSelector = await selectorFor(input);
  if (!frames || !inputSelector) return undefined;
  return { page, frame: input.frame, steps: [...before, ...frames], input, inputSelector };
}

/** Lets a page's scripts draw what they draw after the DOM is ready, without waiting for every tracker. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load', { timeout: 5_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle', { timeout: 1_500 }).catch(() => undefined);
}

async function wallIn(context: BrowserContext): Promise<Wall | undefined> {
  for (const page of context.pages()) {
    const wall = await wallOn(page);
    if (wall) return wall;
  }
  return undefined;
}

/** A captcha or login wall on the page; no chat input is known, so a login form counts wherever it is. */
function wallOn(page: Page): Promise<Wall | undefined> {
  return findWall(page, page.locator(NO_INPUT));
}
