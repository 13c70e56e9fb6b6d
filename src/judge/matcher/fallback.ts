/**
 * Fallback and no-answer signals: error pages, "I don't understand", hand-offs to a hotline or a hall,
 * and how much the reply says beyond them and beyond echoing the question's own words.
 */
import { lazy } from '../../util/lazy.js';
import { wordsOf, type AnswerText, type Word } from './answer-text.js';
import type { MatcherPhrases } from './phrases.js';

export interface FallbackSignals {
  errorPage: boolean;
  notUnderstood: boolean;
  redirect: boolean;
  cannotHandle: boolean;
  /** The bot says it does not know (不太清楚, 不确定). */
  ignorant: boolean;
  /** All the reply says before a list of suggested questions (您是不是想问) is boilerplate or a redirect. */
  suggestionOnly: boolean;
  /** Every sentence is boilerplate, a redirect or an echo of the topic with next to no content of its own. */
  deferralOnly: boolean;
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
  const ignorant = lazy(() => phrases.claims.ignorance.test(f));
  const sentences = lazy(() => sentenceKinds(answer, phrases, echo));
  return {
    get ignorant() {
      return ignorant();
    },
    get suggestionOnly() {
      if (!phrases.claims.suggestion.test(f)) return false;
      const kinds = sentences();
      const first = kinds.indexOf('suggestion');
      return first >= 0 && kinds.slice(0, first).every((k) => k === 'nothing');
    },
    get deferralOnly() {
      // No sentence says more than a deferring one may: the whole says at most that much per sentence.
      if (content().chars > DEFERRING_NOTHING_CHARS * answer.sentences().length) return false;
      const kinds = sentences();
      return kinds.length > 0 && kinds.every((k) => k === 'nothing');
    },
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

type SentenceKind = 'nothing' | 'suggestion' | 'content';

/**
 * Each sentence: one that says nothing (no figure, and at most a few characters of content besides
 * boilerplate, redirects and echoes of the topic), the start or rest of a suggestion list, or content.
 */
function sentenceKinds(answer: AnswerText, phrases: MatcherPhrases, echo: ReadonlySet<string>): SentenceKind[] {
  let suggesting = false;
  return answer.sentences().map((s): SentenceKind => {
    suggesting ||= phrases.claims.suggestion.test(s.forms);
    if (suggesting) return 'suggestion';
    if (s.quantities.some((q) => !q.ordinal)) return 'content';
    const plain = s.forms.plain;
    const { chars } = countContent(plain, wordsOf(plain), phrases, echo);
    // A sentence that sends the asker elsewhere may name the place (户籍地派出所窗口咨询) and still say nothing.
    const defers = phrases.redirect.test(s.forms) || phrases.boilerplate.test(s.forms) || phrases.notUnderstood.test(s.forms);
    return chars <= (defers ? DEFERRING_NOTHING_CHARS : SENTENCE_NOTHING_CHARS) ? 'nothing' : 'content';
  });
}

/** At most this many content characters: a sentence says nothing of its own (办理所需材料请以窗口为准). */
const SENTENCE_NOTHING_CHARS = 4;
const DEFERRING_NOTHING_CHARS = 12;

function contentOf(answer: AnswerText, phrases: MatcherPhrases, echo: ReadonlySet<string>): { chars: number; words: string[] } {
  const { chars, words } = countContent(answer.forms.plain, answer.words(), phrases, echo);
  // Numbers with units are content even when every word around them echoes the question.
  const quantities = answer.quantities().filter((q) => !q.ordinal).length;
  return { chars: chars + 2 * quantities, words };
}

function countContent(plain: string, allWords: readonly Word[], phrases: MatcherPhrases, echo: ReadonlySet<string>): { chars: number; words: string[] } {
  const masked = new Uint8Array(plain.length);
  for (const hit of phrases.noContent.hits({ plain, numeric: plain })) {
    if (hit.form === 'plain') masked.fill(1, hit.start, hit.end);
  }
  const words: string[] = [];
  let chars = 0;
  for (const w of allWords) {
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
  return { chars, words };
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
