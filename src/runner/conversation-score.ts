import type { ConversationEnd, ConversationScore, Exchange, Matter, Scenario, Turn } from '../domain/types.js';
import { scoreConversation } from '../judge/conversation/index.js';

/**
 * The score of a stored conversation: the exchanges the citizen saw (answered turns) and how it
 * ended. A conversation that ended with no failed turn and no stop of the citizen's ended because the
 * citizen had nothing to say (see `citizenScript`): the simulator broke it, whatever the score found.
 */
export function scoreTurns(scenario: Scenario, turns: readonly Turn[], ended: ConversationEnd | null, matters: readonly Matter[]): ConversationScore {
  const exchanges: Exchange[] = turns.filter((t) => t.ok).map((t) => ({ user: t.user, reply: t.reply }));
  const score = scoreConversation({ scenario, exchanges, ended, matters });
  const silent = ended === null && turns.every((t) => t.ok);
  return silent && score.broken === null ? { ...score, broken: 'empty-turn' } : score;
}
