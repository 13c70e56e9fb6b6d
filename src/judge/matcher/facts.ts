/**
 * Fact errors (SPEC §2): a value stated with a fact's unit — in a sentence holding one of the fact's
 * context phrases, or anywhere when it has none — that differs from the fact's value and from every
 * other fact of that unit in the reference. A value the answer corrects (不是30日，而是20日) is not stated.
 */
import { CLAUSE_END, stripPunctuation } from '../../text/normalize.js';
import type { AnswerText } from './answer-text.js';
import type { CompiledQuestion } from './compile-question.js';
import type { MatcherPhrases } from './phrases.js';

const EPSILON = 1e-9;
/** Characters allowed between a correction cue and the value it corrects (不是在30日内). */
const CORRECTION_GAP = 1;

/** Ids of the facts the answer states with another value. */
export function findFactErrors(cq: CompiledQuestion, answer: AnswerText, negation: MatcherPhrases['negation']): string[] {
  if (cq.facts.length === 0) return [];
  const errors = new Set<string>();
  for (const sentence of answer.sentences()) {
    for (const q of sentence.quantities) {
      if (q.ordinal) continue;
      const accepted = cq.acceptedValues.get(q.unit);
      if (!accepted) continue;
      const relevant = cq.facts.filter((f) => f.unit === q.unit && (f.context === null || f.context.test(sentence.forms)));
      if (relevant.length === 0) continue;
      // A range (3至5个工作日) is right when one of its bounds is.
      const stated = q.range ?? [q.value];
      if (stated.some((v) => accepted.some((a) => Math.abs(a - v) < EPSILON))) continue;
      if (corrected(answer.clean, q.index, negation.correction)) continue;
      for (const f of relevant) errors.add(f.id);
    }
  }
  return cq.facts.filter((f) => errors.has(f.id)).map((f) => f.id);
}

/** True when a correction cue ends right before the value at `index`, in the same clause. */
function corrected(clean: string, index: number, cues: readonly string[]): boolean {
  if (cues.length === 0) return false;
  let start = index;
  while (start > 0 && !CLAUSE_END_CHAR.test(clean[start - 1]!)) start--;
  const before = stripPunctuation(clean.slice(start, index));
  return cues.some((cue) => {
    const at = before.lastIndexOf(cue);
    return at >= 0 && before.length - (at + cue.length) <= CORRECTION_GAP;
  });
}

const CLAUSE_END_CHAR = new RegExp(`^${CLAUSE_END.source}$`);
