import type { Case, Question, Turn, Verdict } from '../domain/types.js';
import { judgeTurns } from '../judge/judge-turns.js';
import { judgedWithBug, type Asked } from './ask-case.js';
import type { RunEvent } from './events.js';
import type { RunContext } from './run-context.js';

/**
 * Judges an asked case, commits it, and tells the watchers. A judge that throws has a bug: the case
 * is saved all the same, its last turn carrying the stack, and the run is failed.
 */
export async function settleCase(run: RunContext, c: Case, question: Question, asked: Asked): Promise<void> {
  let { turns } = asked;
  let verdicts: { verdict: Verdict; version: string }[] = [];
  if (asked.bug === undefined) {
    try {
      verdicts = await judgeTurns(run.judges, question, turns);
    } catch (bug) {
      const last = turns.length - 1;
      turns = turns.map((t, i) => (i === last ? judgedWithBug(t, bug) : t));
      run.fail(bug);
    }
  }
  run.store.saveCase({ runId: run.runId, case: c, question, turns, verdicts });
  run.finished += 1;
  run.emit(caseFinished(run, c, turns, verdicts));
}

/** The event of a finished case; cases without verdicts (probes, conversations) report none. */
export function caseFinished(run: RunContext, c: Case, turns: readonly Turn[], verdicts: readonly { verdict: Verdict }[]): RunEvent {
  const available = turns.length > 0 && turns.every((t) => t.ok);
  const primary = verdicts.filter((v) => v.verdict.judge === run.judges[0]?.name).at(-1)?.verdict;
  return {
    type: 'case-finished',
    runId: run.runId,
    targetId: c.targetId,
    questionId: c.questionId,
    variant: c.variant,
    available,
    errorKind: turns.find((t) => !t.ok)?.errorKind ?? null,
    verdict: primary ? (primary.status === 'judged' ? primary.verdict : 'unjudged') : null,
    accuracy: primary?.status === 'judged' ? primary.accuracy : null,
    firstMs: available ? turns[0]!.firstMs : null,
  };
}
