/**
 * Where a text names something by one of its names, and the same text with another name in its place:
 * how a question that names its matter officially is asked again by a colloquial alias, and back.
 */
import { toSimplified } from './simplify.js';

/** One place a text names something: `[start, end)` in the text as written, and which name it used. */
export interface Mention {
  start: number;
  end: number;
  /** Index into the names searched for. */
  name: number;
}

/** The text restated with another name: every mention of the thing now uses `names[name]`. */
export interface Renaming {
  name: number;
  text: string;
}

// Title marks and quotes are part of how a name is written (《渔业捕捞许可证》), not of the name.
const IGNORED = /[\s《》〈〉“”‘’"'「」『』]/u;

/** One character as names are compared: NFKC, simplified, lower-cased; '' where it is ignored. */
function foldChar(ch: string): string {
  const f = toSimplified(ch.normalize('NFKC')).toLowerCase();
  return [...f].filter((c) => !IGNORED.test(c)).join('');
}

/** A text folded for matching, with the span of the original text each folded code unit came from. */
function foldWithOrigin(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  return { folded, from, to };
}

// Planning folds the same few names for every question: once each is enough.
const foldedNames = new Map<string, string>();

/** A name folded the way texts are; '' for a name made only of ignored characters. */
export function foldName(name: string): string {
  let f = foldedNames.get(name);
  if (f === undefined) foldedNames.set(name, (f = [...name].map(foldChar).join('')));
  return f;
}

/**
 * Where `text` names any of `names`, left to right, as a reader would see it: full- and half-width,
 * traditional and simplified, upper and lower case alike, spaces and title marks ignored. Longer
 * names win: a name inside a longer one that the text uses (捕捞许可证 inside
 * 渔业捕捞许可证核发) is not a mention of its own, and mentions never overlap.
 */
export function findMentions(text: string, names: readonly string[]): Mention[] {
  const { folded, from, to } = foldWithOrigin(text);
  const found: { start: number; end: number; name: number }[] = [];
  names.forEach((name, index) => {
    const f = foldName(name);
    if (f.length === 0) return;
    for (let at = folded.indexOf(f); at !== -1; at = folded.indexOf(f, at + 1)) found.push({ start: at, end: at + f.length, name: index });
  });
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.name - b.name);
  const kept: typeof found = [];
  for (const m of found) if (kept.every((k) => m.end <= k.start || m.start >= k.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start).map((m) => ({ start: from[m.start]!, end: to[m.end - 1]!, name: m.name }));
}

/** `text` with each mention replaced by what `by` gives for it. */
export function replaceMentions(text: string, mentions: readonly Mention[], by: (m: Mention) => string): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += text.slice(at, m.start) + by(m);
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * The text restated with each of `names` that it does not already use alone: every mention of the
 * thing, by whichever of its names, becomes that name. A text that names it nowhere gives none.
 * `others` are names of other things: a name of ours inside one of theirs (a longer name the text
 * uses) is theirs, and left alone. Names that fold alike are asked once, under the first.
 */
export function renamings(text: string, names: readonly string[], others: readonly string[] = []): Renaming[] {
  const mentions = findMentions(text, [...names, ...others]).filter((m) => m.name < names.length);
  if (mentions.length === 0) return [];
  const seen = new Set<string>();
  const out: Renaming[] = [];
  names.forEach((name, index) => {
    const f = foldName(name);
    if (f.length === 0 || seen.has(f)) return;
    seen.add(f);
    if (mentions.every((m) => foldName(names[m.name]!) === f)) return;
    out.push({ name: index, text: replaceMentions(text, mentions, () => name) });
  });
  return out;
}
