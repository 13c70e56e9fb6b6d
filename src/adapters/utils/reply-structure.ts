import type { AdapterReply, ReplyLink } from '../../domain/types.js';

/**
 * Lines that announce a list of questions to pick from instead of an answer. Portals phrase it a few
 * ways; the list only counts as suggestions after one of them, since a numbered list on its own is
 * usually the steps of an answer — and so is one after 如果您想咨询… or 请选择以下方式…, which these
 * leave out.
 */
const INTRO =
  /(您|你)(是不是|是否|可能还?|还)想问|(您|你)想问的是|猜(你|您)想问|(相关|热门|常见|推荐)问题|请选择(您|你)?(要|想)?(咨询|了解|问)|请选择(以下|下列)?(问题|事项)|(您|你)可能(关心|感兴趣)/;

/** `1.` `2、` `(3)` `④` `- ` `• ` before an item of a list. */
const ITEM = /^\s*(?:[(（]?\d{1,2}[.．、)）:：]|[①-⑳]|[-•·*]\s)\s*(.+?)\s*$/;

/** Fewer letters or digits than this is a control (赞, 有用, 转人工), not a question to follow. */
const MIN_SUGGESTION_CHARS = 4;

/** What a reply offers beyond its text. */
export interface ReplyStructure {
  suggestions: string[];
  /** Nothing but suggestions, with at most one line introducing them. */
  suggestionsOnly: boolean;
  links: ReplyLink[];
}

/** What a page's DOM says about a reply, read in the page (see reply-structure-dom.ts). */
export interface ReplyMarkup {
  /** Texts of the clickable items of the reply, outermost only, in order. */
  clickable: string[];
  /** Texts of the items of its lists (`li`), numbered or not in the text. */
  listItems: string[];
  links: ReplyLink[];
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

const wordChars = (s: string): number => (s.match(/[\p{L}\p{N}]/gu) ?? []).length;

/** A list item as a question: its number or bullet gone. */
function itemText(line: string): string {
  return squash(ITEM.exec(line)?.[1] ?? line);
}

/**
 * The structure of a reply known only as text: the numbered or bulleted list that follows a line
 * such as 您是不是想问, e.g. "您是不是想问：\n1. 如何办理？\n2. 需要哪些材料？". `listItems` are lines a
 * page showed as list items without numbers in its text.
 */
export function textStructure(text: string, listItems: readonly string[] = []): ReplyStructure {
  const lines = text.split('\n').map(squash).filter((l) => l !== '');
  const known = new Set(listItems.map(squash));
  const isItem = (l: string): boolean => ITEM.test(l) || known.has(l);
  const intro = lines.findIndex((l) => INTRO.test(l) && !isItem(l));
  if (intro < 0) return { suggestions: [], suggestionsOnly: false, links: [] };
  let end = intro + 1;
  while (end < lines.length && isItem(lines[end]!)) end++;
  const suggestions = dedupe(lines.slice(intro + 1, end).map(itemText));
  if (suggestions.length === 0) return { suggestions: [], suggestionsOnly: false, links: [] };
  return { suggestions, suggestionsOnly: lines.length === end - intro, links: [] };
}

/**
 * The structure of a reply a page showed: its clickable items are its suggestions (quick-reply
 * buttons, chips, a clickable 您是不是想问 list); without any, the text is read as `textStructure`
 * does. It is suggestions only when every other line of its text is at most one introducing line.
 */
export function pageStructure(text: string, markup: ReplyMarkup): ReplyStructure {
  const clickable = dedupe(markup.clickable.map(squash).filter((s) => wordChars(s) >= MIN_SUGGESTION_CHARS));
  const links = markup.links.filter((l) => /^https?:\/\//i.test(l.href)).map((l) => ({ text: squash(l.text), href: l.href }));
  if (clickable.length === 0) return { ...textStructure(text, markup.listItems), links };
  return { suggestions: clickable, suggestionsOnly: onlySuggestionsIn(text, clickable), links };
}

/**
 * Suggestions an API gave as data: strings, or objects whose `title`, `text`, `question`, `name` or
 * `content` is the question.
 */
export function suggestionsFromData(values: readonly unknown[]): string[] {
  const texts = values.flat().map((v) => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (v === null || typeof v !== 'object') return '';
    const o = v as Record<string, unknown>;
    const named = [o.title, o.text, o.question, o.name, o.content].find((x) => typeof x === 'string' && x.trim() !== '');
    return typeof named === 'string' ? named : '';
  });
  return dedupe(texts.map(squash).filter((s) => s !== ''));
}

/** Links an API gave as data: URLs, or objects with a `href`/`url`/`link` and a `text`/`title`/`name`. */
export function linksFromData(values: readonly unknown[]): ReplyLink[] {
  return values.flat().flatMap((v): ReplyLink[] => {
    if (typeof v === 'string') return /^https?:\/\//i.test(v) ? [{ text: v, href: v }] : [];
    if (v === null || typeof v !== 'object') return [];
    const o = v as Record<string, unknown>;
    const href = [o.href, o.url, o.link].find((x) => typeof x === 'string' && /^https?:\/\//i.test(x));
    if (typeof href !== 'string') return [];
    const text = [o.text, o.title, o.name].find((x) => typeof x === 'string' && x.trim() !== '');
    return [{ text: typeof text === 'string' ? squash(text) : href, href }];
  });
}

/**
 * A reply whose text is only the suggestions given as data (and at most a line introducing them):
 * an API that returns a 您是不是想问 list usually puts its intro in the text and the questions aside.
 */
export function onlySuggestionsIn(text: string, suggestions: readonly string[]): boolean {
  if (suggestions.length === 0) return false;
  const offered = new Set(suggestions);
  const rest = text
    .split('\n')
    .map(squash)
    .filter((l) => l !== '' && !offered.has(l) && !offered.has(itemText(l)));
  return rest.length === 0 || (rest.length === 1 && INTRO.test(rest[0]!));
}

/**
 * The structure as an adapter reply carries it: texts passed through `clean` (secrets masked, as in
 * the reply's text), and nothing at all for a reply that offers nothing.
 */
export function cleanStructure(r: ReplyStructure, clean: (s: string) => string): Pick<AdapterReply, 'suggestions' | 'suggestionsOnly' | 'links'> {
  return {
    ...(r.suggestions.length > 0 && { suggestions: r.suggestions.map(clean), suggestionsOnly: r.suggestionsOnly }),
    ...(r.links.length > 0 && { links: r.links.map((l) => ({ text: clean(l.text), href: clean(l.href) })) }),
  };
}

function dedupe(texts: readonly string[]): string[] {
  return [...new Set(texts)];
}
