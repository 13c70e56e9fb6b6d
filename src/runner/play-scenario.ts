import type { Case, Citizen, ConversationEnd, Scenario, Turn } from '../domain/types.js';
import type { Asked, Script } from './ask-case.js';
import { scoreTurns } from './conversation-score.js';
import type { RunContext } from './run-context.js';
import { caseFinished } from './settle-case.js';

/** A scenario case in play: the citizen, and how it ended the conversation once it has. */
export interface Play {
  scenario: Scenario;
  citizen: Citizen;
  ended: ConversationEnd | null;
}

/**
 * The citizen as the conversation's script: each move from the exchanges so far. A stop is recorded
 * on the play; an empty message ends the conversation unsent (a city's bot must not be blamed for it)
 * and leaves `ended` null, which scoring reads as the simulator's fault.
 */
export function citizenScript(play: Play): Script {
  return async (turns: readonly Turn[]) => {
    const move = await play.citizen.next(play.scenario, turns.map((t) => ({ user: t.user, reply: t.reply })));
    if ('stop' in move) {
      play.ended = move.stop;
      return undefined;
    }
    return move.say.trim() === '' ? undefined : move.say;
  };
}

/** Scores a played conversation and commits it as one case: a killed run loses only those in flight. */
export function settleConversation(run: RunContext, c: Case, play: Play, asked: Asked): void {
  const { scenario } = play;
  const conversation = asked.bug === undefined ? { ended: play.ended, score: scoreTurns(scenario, asked.turns, play.ended, run.matters) } : undefined;
  run.store.saveCase({ runId: run.runId, case: c, question: scenario, turns: asked.turns, verdicts: [], ...(conversation && { conversation }) });
  run.finished += 1;
  run.emit(caseFinished(run, c, asked.turns, []));
}
