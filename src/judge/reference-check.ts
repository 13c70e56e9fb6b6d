/**
 * A bank's own reference answers, judged against their questions: a reference the matcher fails is a
 * bank bug (a contradiction pattern that matches the reference, a fact whose context catches another
 * figure, a key point no phrase of the reference matches), and it would fail right answers too.
 */
import type { BankSet, JudgedVerdict, Question } from '../domain/types.js';
import { formatPos } from '../util/errors.js';
import { createMatcherJudge } from './matcher/index.js';

interface ReferenceFailure {
  question: Question;
  verdict: JudgedVerdict;
}

/** The questions whose own reference answer the matcher judges incorrect, partial or no answer. */
export function failingReferences(banks: BankSet): ReferenceFailure[] {
  const judge = createMatcherJudge(banks);
  const out: ReferenceFailure[] = [];
  for (const question of banks.questions) {
    const turn = (question.turns?.length ?? 1) - 1;
    const verdict = judge.judge({ question, turn, answer: question.reference.answer });
    if ('then' in verdict || verdict.status !== 'judged') continue;
    if (verdict.verdict !== 'correct') out.push({ question, verdict });
  }
  return out;
}

/** One line per failing reference, with the question's position. */
export function describeReferenceFailure(f: ReferenceFailure): string {
  return `${formatPos(f.question.pos)}: ${f.question.id}: the matcher judges its own reference answer ${f.verdict.rationale}; check the bank's patterns and facts`;
}
