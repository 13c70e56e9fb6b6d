/**
 * Fact errors (SPEC §2): a value stated with a fact's unit — in a sentence holding one of the fact's
 * context phrases, or anywhere when it has none — that differs from the fact's value and from every
 * other fact of that unit in the reference.
 */
import type { AnswerSentence } from './answer-text.js';
import type { CompiledQuestion } from './compile-question.js';

const EPSILON = 1e-9;

/** Ids of the facts the answer states with another value. */
export function findFactErrors(cq: CompiledQuestion, sentences: readonly AnswerSentence[]): string[] {
  if (cq.facts.length === 0) return [];
  const errors = new Set<string>();
  for (const sentence of sentences) {
    for (const q of sentence.quantities) {
      if (q.ordinal) continue;
      const accepted = cq.acceptedValues.get(q.unit);
      if (!accepted) continue;
      const relevant = cq.facts.filter((f) => f.unit === q.unit && (f.context === null || f.context.test(sentence.forms)));
      if (relevant.length === 0) continue;
      // A range (3至5个工作日) is right when one of its bounds is.
      const stated = q.range ?? [q.value];
      if (stated.some((v) => accepted.some((a) => Math.abs(a - v) < EPSILON))) continue;
      for (const f of relevant) errors.add(f.id);
    }
  }
  return cq.facts.filter((f) => errors.has(f.id)).map((f) => f.id);
}
