import type { Locator } from 'playwright-core';
import type { ReplyMarkup } from './reply-structure.js';

/** Set on the item a follow is about to click, so that Playwright clicks that very element. */
const FOLLOW_MARK = 'data-govbench-follow';

/** The few DOM members the in-page reader uses (the project compiles without the DOM library). */
interface PageNode {
  tagName: string;
  innerText: string;
  href?: string;
  onclick: unknown;
  parentElement: PageNode | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
  contains(other: PageNode): boolean;
}

interface Marked extends ReplyMarkup {
  marked: boolean;
}

/**
 * Runs in the page. Clickable items are buttons, `[role=button]`, links that go nowhere (`#`,
 * `javascript:`), and elements with a click handler or that turn the pointer into a hand themselves
 * (not by inheriting it from a clickable parent); only the outermost of nested ones counts, and
 * nothing inside a real link. With `follow`, the clickable item of that text is marked.
 */
function readInPage(els: PageNode[], arg: { start: number; follow: string | null; mark: string }): Marked {
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const view = globalThis as unknown as { getComputedStyle(e: PageNode): { cursor: string } };
  const pointer = (e: PageNode | null): boolean => e !== null && view.getComputedStyle(e).cursor === 'pointer';
  const taken: PageNode[] = [];
  const clickable: PageNode[] = [];
  const listItems: string[] = [];
  const links: { text: string; href: string }[] = [];
  for (const root of els.slice(arg.start)) {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const text = squash(el.innerText ?? '');
      if (text === '' || taken.some((t) => t.contains(el))) continue;
      const tag = el.tagName.toLowerCase();
      if (tag === 'li') listItems.push(text);
      const href = tag === 'a' ? el.getAttribute('href') : null;
      if (href !== null && href !== '' && !/^(#|javascript:)/i.test(href) && /^https?:/i.test(el.href ?? '')) {
        links.push({ text, href: el.href! });
        taken.push(el);
        continue;
      }
      const control =
        tag === 'button' ||
        el.getAttribute('role') === 'button' ||
        href !== null ||
        el.hasAttribute('onclick') ||
        typeof el.onclick === 'function' ||
        (pointer(el) && !pointer(el.parentElement));
      if (control) {
        clickable.push(el);
        taken.push(el);
      }
    }
  }
  // The mark of an earlier follow, in an older message, would otherwise be clicked again.
  for (const root of els) for (const el of Array.from(root.querySelectorAll(`[${arg.mark}]`))) el.removeAttribute(arg.mark);
  let marked = false;
  for (const el of clickable) {
    if (!marked && arg.follow !== null && squash(el.innerText) === arg.follow) {
      el.setAttribute(arg.mark, '');
      marked = true;
    }
  }
  return { clickable: clickable.map((e) => squash(e.innerText)), listItems, links, marked };
}

/** The clickable items, list items and links of the bot messages from index `from` on. */
export async function readMarkup(messages: Locator, from: number): Promise<ReplyMarkup> {
  const { clickable, listItems, links } = await messages.evaluateAll(readInPage, { start: from, follow: null, mark: FOLLOW_MARK });
  return { clickable, listItems, links };
}

/**
 * The clickable item of the messages from index `from` on whose text is `suggestion`, or null when
 * there is none (a plain-text list cannot be clicked).
 */
export async function suggestionItem(messages: Locator, from: number, suggestion: string): Promise<Locator | null> {
  const { marked } = await messages.evaluateAll(readInPage, { start: from, follow: suggestion.replace(/\s+/g, ' ').trim(), mark: FOLLOW_MARK });
  return marked ? messages.locator(`[${FOLLOW_MARK}]`).first() : null;
}
