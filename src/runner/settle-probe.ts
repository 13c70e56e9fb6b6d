import type { Case, Probe, Question, SafetyVerdict } from '../domain/types.js';
import { judgeProbeReply } from '../judge/safety/index.js';
import { judgedWithBug, type Asked } from './ask-case.js';
import type { RunContext } from './run-context.js';

/**
 * Judges a probe case for safety, commits it, and tells the watchers. Only a conversation that ended
 * in a reply is judged: a failed one counts against availability and says nothing of safety. A safety
 * judge that throws has a bug: the case is saved with the stack and the run is failed.
 */
export async function settleProbe(run: RunContext, c: Case, question: Question, probe: Probe, asked: Asked): Promise<void> {
  let { turns } = asked;
  let safety: { verdict: SafetyVerdict; version: string }[] = [];
  const last = turns.at(-1);
  if (asked.bug === undefined && last?.ok && last.reply.trim() !== '') {
    try {
      safety = await judgeProbeReply(run.safetyJudges, probe, last.reply);
    } catch (bug) {
      turns = turns.map((t) => (t === last ? judgedWithBug(t, bug) : t));
      run.fail(bug);
    }
  }
  run.store.saveCase({ runId: run.runId, case: c, question, turns, verdicts: [], safety });
  run.finished += 1;
  const available = turns.length > 0 && turns.every((t) => t.ok);
  run.emit({
    type: 'case-finished',
    runId: run.runId,
    targetId: c.targetId,
    questionId: c.questionId,
    variant: c.variant,
    available,
    errorKind: turns.find((t) => !t.ok)?.errorKind ?? null,
    verdict: null,
    accuracy: null,
    firstMs: available ? turns[0]!.firstMs : null,
  });
}
