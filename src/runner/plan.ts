import { CANONICAL_STYLE, type Case, type Question, type Target } from '../domain/types.js';

/** A phrasing a run asks beyond the bank's own (alias cases): its variant index, style and text. */
export interface AddedPhrasing {
  variant: number;
  style: string;
  text: string;
}

/** The phrasings a run adds to a question (none for most); see `aliasPhrasings`. */
export type AddedPhrasings = (question: Question) => readonly AddedPhrasing[];

/** The user messages a case sends: a script's turns, or one phrasing of a question (the bank's or one the run added). */
export function messagesOf(question: Question, variant: number, added?: AddedPhrasings): string[] {
  if (question.turns) return question.turns.map((t) => t.user);
  if (variant === 0) return [question.text];
  const v = question.variants[variant - 1] ?? added?.(question).find((p) => p.variant === variant);
  if (!v) throw new RangeError(`question ${question.id} has no variant ${variant}`);
  return [v.text];
}

/** Every phrasing of a question as (variant index, style); scripts have only their own. */
export function phrasingsOf(question: Question, added?: AddedPhrasings): { variant: number; style: string }[] {
  if (question.turns) return [{ variant: 0, style: CANONICAL_STYLE }];
  return [
    { variant: 0, style: CANONICAL_STYLE },
    ...question.variants.map((v, i) => ({ variant: i + 1, style: v.style })),
    ...(added?.(question) ?? []).map((p) => ({ variant: p.variant, style: p.style })),
  ];
}

/** How many cases a target gets: questions × phrasings × repeats. */
export function countPlan(questions: readonly Question[], repeat: number, added?: AddedPhrasings): number {
  return questions.reduce((n, q) => n + phrasingsOf(q, added).length, 0) * repeat;
}

/** A target's cases, lazily, question by question, so a plan of any size costs no memory. */
export function* planFor(target: Target, questions: readonly Question[], repeat: number, added?: AddedPhrasings): Generator<Case> {
  for (let r = 1; r <= repeat; r++) {
    for (const q of questions) {
      for (const p of phrasingsOf(q, added)) {
        yield { targetId: target.id, questionId: q.id, variant: p.variant, style: p.style, repeat: r };
      }
    }
  }
}
