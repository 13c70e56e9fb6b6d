/**
 * Contradictions: statements that make an answer wrong — unless the answer negates them in the same
 * clause (不需要验资报告, 已取消年检) or reports them wrong or abolished right after (年检已经取消,
 * 这种说法是错误的).
 */
import type { AnswerSentence, AnswerText } from './answer-text.js';
import type { MatcherPhrases } from './phrases.js';
import type { PatternSet } from './text-pattern.js';

/** Sources of the contradiction patterns the answer asserts, in the reference's order. */
export function findContradictions(
  patterns: PatternSet,
  answer: AnswerText,
  negation: MatcherPhrases['negation'],
  /** Sentences whose statements do not count (an old rule reported as past). */
  skip: (sentence: AnswerSentence) => boolean = () => false,
): string[] {
  if (patterns.sources.length === 0) return [];
  // A pattern found in a clause is found in the whole answer too (a clause's matching form is a piece
  // of the answer's), so most answers are settled by one scan; only anchored regexes need the clauses.
  if (patterns.foundInLongerText && !patterns.test(answer.forms)) return [];
  const asserted = new Uint8Array(patterns.sources.length);
  for (const sentence of answer.sentences()) {
    if (skip(sentence)) continue;
    const { clauses } = sentence;
    clauses.forEach((clause, i) => {
      for (const hit of patterns.hits(clause)) {
        if (asserted[hit.index] === 1) continue;
        const text = clause[hit.form];
        // What follows may run into the next clauses of the sentence (……，这种说法是错误的).
        const after = (text.slice(hit.end) + clauses.slice(i + 1).map((c) => c[hit.form]).join('')).slice(0, negation.window);
        if (!isNegated(text.slice(0, hit.start), text.slice(hit.start, hit.end), after, negation)) asserted[hit.index] = 1;
      }
    });
  }
  return patterns.sources.filter((_, i) => asserted[i] === 1);
}

/**
 * True when a negation ends shortly before the phrase (`before` is the clause up to the phrase) or an
 * abolition or rebuttal follows it (`after`).
 */
function isNegated(before: string, phrase: string, after: string, negation: MatcherPhrases['negation']): boolean {
  const start = before.length;
  const from = Math.max(0, start - negation.window);
  for (const cue of negation.before) {
    for (let i = before.indexOf(cue, from); i >= 0; i = before.indexOf(cue, i + 1)) {
      const distance = start - (i + cue.length);
      if (cue.length === 1 && distance > negation.shortWindow) continue;
      if (negation.exceptions.some((e) => covers(before + phrase, i, e, cue))) continue;
      return true;
    }
  }
  return negation.after.some((cue) => after.includes(cue));
}

/** True when the exception word covers the cue found at `at` (未满 covers 未, 无论 covers 无). */
function covers(text: string, at: number, exception: string, cue: string): boolean {
  const offset = exception.indexOf(cue);
  if (offset < 0) return false;
  return text.startsWith(exception, at - offset);
}
