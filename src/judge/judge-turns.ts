import type { Judge, JudgedVerdict, Question, Turn, Verdict } from '../domain/types.js';
import { answerFailure } from './failure-kind.js';
import { noAnswerFields } from './rubric.js';

/**
 * Judges the turns that have something to judge: the answer reached for every script turn that
 * expects a clarifying question, and for the last one. A failed last turn is a technical failure,
 * left unjudged. A reply that offers only suggested questions is no answer, for every judge alike,
 * without asking any.
 *
 * The judges are told which script turn an answer replies to; the verdict records which stored turn
 * it is about, which differs once suggestions were followed (each follow is a turn of its own).
 *
 * Every judged verdict carries the answer's failure kind (issue 15), so whichever verdict comes to
 * count — this judge's, or a reviewer's who accepts it — brings its kind along.
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
  const toJudge = answersReached(turns).filter(({ turn, step }) => turn.ok && (step === last || question.turns?.[step]?.expect === 'clarify'));
  const out: { verdict: Verdict; version: string }[] = [];
  for (const judge of judges) {
    for (const { turn, step } of toJudge) {
      const verdict = turn.suggestionsOnly
        ? suggestionsOnlyVerdict(judge.name, turn)
        : { ...(await judge.judge({ question, turn: step, answer: turn.reply })), turn: turn.index };
      out.push({ verdict: withFailure(verdict, question, turn, step), version: judge.version });
    }
  }
  return out;
}

function withFailure(verdict: Verdict, question: Question, turn: Turn, step: number): Verdict {
  if (verdict.status !== 'judged') return verdict;
  const failure = answerFailure({
    verdict,
    reply: turn.reply,
    suggestionsOnly: turn.suggestionsOnly === true,
    question,
    expectClarify: question.turns?.[step]?.expect === 'clarify',
  });
  return failure === null ? verdict : { ...verdict, failure };
}

/**
 * For each script turn (`step`) that was sent, the stored turn holding the answer it reached: the
 * turn itself, or the last of the suggestions followed after it.
 */
export function answersReached(turns: readonly Turn[]): { turn: Turn; step: number }[] {
  const reached: { turn: Turn; step: number }[] = [];
  for (const turn of turns) {
    if (turn.followed && reached.length > 0) reached[reached.length - 1]!.turn = turn;
    else reached.push({ turn, step: reached.length });
  }
  return reached;
}

function suggestionsOnlyVerdict(judge: string, turn: Turn): JudgedVerdict {
  const offered = turn.suggestions?.length ?? 0;
  const rationale = `the reply only offered ${offered} suggested question${offered === 1 ? '' : 's'} and none was followed`;
  return { status: 'judged', judge, turn: turn.index, ...noAnswerFields(rationale) };
}
