import type { Frame, Page } from 'playwright-core';
import { IN_PAGE } from './in-page.js';

/** An element `IN_PAGE` numbered, in the frame that holds it. */
export interface Found {
  frame: Frame;
  i: number;
}

export interface InputCandidate extends Found {
  score: number;
  why: string[];
  tag: string;
}

export interface LauncherCandidate extends Found {
  score: number;
  text: string;
}

/** Bounds every look at the page: a frame that is navigating away would otherwise hold a call for 30 s. */
const LOOK_TIMEOUT_MS = 3_000;

/** Installs the detector in every frame of the page (again after a frame navigated). */
export async function prepare(page: Page): Promise<void> {
  await Promise.all(page.frames().map((f) => f.evaluate(IN_PAGE).catch(() => undefined)));
}

/** Calls a detector function in a frame; undefined when the frame is gone or not ready. */
export async function call<T>(frame: Frame, fn: string, ...args: unknown[]): Promise<T | undefined> {
  const run = frame.evaluate(
    ([name, rest]) => {
      const detect = (globalThis as unknown as { __govbenchDetect?: Record<string, (...a: unknown[]) => unknown> }).__govbenchDetect;
      return detect ? detect[name as string]?.(...(rest as unknown[])) : undefined;
    },
    [fn, args] as const,
  ) as Promise<T | undefined>;
  return withTimeout(run.catch(() => undefined), LOOK_TIMEOUT_MS);
}

function withTimeout<T>(p: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Chat inputs in every frame of the page, best first. */
export async function findInputs(page: Page): Promise<InputCandidate[]> {
  const lists = await Promise.all(
    page.frames().map(async (frame) => ((await call<Omit<InputCandidate, 'frame'>[]>(frame, 'inputs')) ?? []).map((c) => ({ ...c, frame }))),
  );
  return lists.flat().sort((a, b) => b.score - a.score);
}

/** What could open a chat, in the page and its frames, best first. */
export async function findLaunchers(page: Page): Promise<LauncherCandidate[]> {
  const lists = await Promise.all(
    page.frames().map(async (frame) => ((await call<Omit<LauncherCandidate, 'frame'>[]>(frame, 'launchers')) ?? []).map((c) => ({ ...c, frame }))),
  );
  return lists.flat().sort((a, b) => b.score - a.score);
}

/** Marks what every frame shows now, so that what appears later can be told apart. */
export async function markSeen(page: Page): Promise<void> {
  await Promise.all(page.frames().map((f) => call(f, 'markSeen')));
}

/**
 * A selector that the web-widget adapter, which takes the first visible match in its scope, resolves
 * to this element. Candidates come from the page (ids, attributes, classes, ancestors' classes); each
 * is checked with Playwright's own engine, which pierces open shadow roots as the adapter's does.
 */
export async function selectorFor(found: Found): Promise<string | undefined> {
  const candidates = (await call<string[]>(found.frame, 'selectorsFor', found.i)) ?? [];
  for (const selector of candidates) {
    if (await resolvesTo(found, selector)) return selector;
  }
  return undefined;
}

async function resolvesTo({ frame, i }: Found, selector: string): Promise<boolean> {
  const first = frame.locator(selector).filter({ visible: true }).first();
  try {
    if ((await frame.locator(selector).count()) === 0) return false;
    return await first.evaluate(
      (el, index) => (globalThis as unknown as { __govbenchDetect: { els: Element[] } }).__govbenchDetect.els[index] === el,
      i,
      { timeout: LOOK_TIMEOUT_MS },
    );
  } catch {
    return false;
  }
}

/** The selector of the iframe element that holds `frame`, in its parent frame. */
export async function frameSelector(frame: Frame): Promise<string | undefined> {
  const parent = frame.parentFrame();
  if (!parent) return undefined;
  const element = await frame.frameElement().catch(() => undefined);
  if (!element) return undefined;
  const i = await parent
    .evaluate((el) => (globalThis as unknown as { __govbenchDetect?: { idOf(e: Element): number } }).__govbenchDetect?.idOf(el), element)
    .catch(() => undefined);
  return i === undefined ? undefined : selectorFor({ frame: parent, i });
}

/** The chain of frames from the page down to `frame`, outermost first, without the page itself. */
export function frameChain(frame: Frame): Frame[] {
  const chain: Frame[] = [];
  for (let f: Frame | null = frame; f?.parentFrame(); f = f.parentFrame()) chain.unshift(f);
  return chain;
}
