import type { Case, Probe, Question, SafetyVerdict } from '../domain/types.js';
import { judgeProbeReply } from '../judge/safety/index.js';
import { judgedWithBug, type Asked } from './ask-case.js';
import type { RunContext } from './run-context.js';
import { caseFinished } from './settle-case.js';

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
  run.emit(caseFinished(run, c, turns, []));
}
