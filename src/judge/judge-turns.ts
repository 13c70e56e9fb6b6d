import type { Judge, Question, Turn, Verdict } from '../domain/types.js';

/**
 * Judges the turns that have something to judge: every answered turn a script expects a clarifying
 * question for, and the last turn. A failed last turn is a technical failure, left unjudged.
 *
 * A judge that cannot judge says so in an `unjudged` verdict (the LLM judge does for a failing
 * endpoint or unusable output); one that throws has a bug, and the error goes to the caller.
 */
export async function judgeTurns(
  judges: readonly Judge[],
  question: Question,
  turns: readonly Turn[],
): Promise<{ verdict: Verdict; version: string }[]> {
  const last = (question.turns?.length ?? 1) - 1;
  const toJudge = turns.filter((t) => t.ok && (t.index === last || question.turns?.[t.index]?.expect === 'clarify'));
  const out: { verdict: Verdict; version: string }[] = [];
  for (const judge of judges) {
    for (const t of toJudge) out.push({ verdict: await judge.judge({ question, turn: t.index, answer: t.reply }), version: judge.version });
  }
  return out;
}
