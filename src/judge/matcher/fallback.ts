/**
 * Fallback and no-answer signals: error pages, "I don't understand", hand-offs to a hotline or a hall,
 * and how much the reply says beyond them and beyond echoing the question's own words.
 */
import { lazy } from '../../util/lazy.js';
import type { AnswerText } from './answer-text.js';
import type { MatcherPhrases } from './phrases.js';

export interface FallbackSignals {
  errorPage: boolean;
  notUnderstood: boolean;
  redirect: boolean;
  cannotHandle: boolean;
  /** Characters of content words: not phrase-list text, not filler, not an echo of the topic. */
  contentChars: number;
  /** The content words themselves, for the rationale. */
  contentWords: string[];
}

/** The signals, each computed on first read (a reply with key points rarely needs its content counted). */
export function analyseFallback(answer: AnswerText, phrases: MatcherPhrases, echo: ReadonlySet<string>): FallbackSignals {
  const f = answer.forms;
  const content = lazy(() => contentOf(answer, phrases, echo));
  const errorPage = lazy(() => phrases.errorPage.test(f));
  const notUnderstood = lazy(() => phrases.notUnderstood.test(f));
  const redirect = lazy(() => phrases.redirect.test(f));
  const cannotHandle = lazy(() => phrases.cannotHandle.test(f));
  return {
    get errorPage() {
      return errorPage();
    },
    get notUnderstood() {
      return notUnderstood();
    },
    get redirect() {
      return redirect();
    },
    get cannotHandle() {
      return cannotHandle();
    },
    get contentChars() {
      return content().chars;
    },
    get contentWords() {
      return content().words;
    },
  };
}

function contentOf(answer: AnswerText, phrases: MatcherPhrases, echo: ReadonlySet<string>): { chars: number; words: string[] } {
  const plain = answer.forms.plain;
  const masked = new Uint8Array(plain.length);
  for (const hit of phrases.noContent.hits({ plain, numeric: plain })) {
    if (hit.form === 'plain') masked.fill(1, hit.start, hit.end);
  }
  const words: string[] = [];
  let chars = 0;
  for (const w of answer.words()) {
    // The dictionary glues some particles on (建议您): judge the word without them.
    const t = trimParticles(w.text, phrases.stopwords);
    if (t.length < 2 || phrases.filler.has(t) || echo.has(t) || NUMBER.test(t)) continue;
    // Latin-only tokens (markup, code, an English aside to the grader) say nothing to a Chinese asker.
    if (!HAN.test(t)) continue;
    // A word inside a redirect, an apology or a fallback phrase is not content.
    if (anyMarked(masked, w.start, w.start + w.text.length)) continue;
    words.push(t);
    chars += codePoints(t);
  }
  // Numbers with units are content even when every word around them echoes the question.
  const quantities = answer.quantities().filter((q) => !q.ordinal).length;
  return { chars: chars + 2 * quantities, words };
}

const NUMBER = /^\d+(?:\.\d+)?$/;
const HAN = /\p{Script=Han}/u;

function anyMarked(masked: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (masked[i] === 1) return true;
  return false;
}

/** Code points in a string (a surrogate pair counts once). */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** The word without one-character stopwords at either end. */
function trimParticles(word: string, stopwords: ReadonlySet<string>): string {
  let start = 0;
  let end = word.length;
  while (end - start > 1 && stopwords.has(word[start]!)) start++;
  while (end - start > 1 && stopwords.has(word[end - 1]!)) end--;
  return word.slice(start, end);
}
