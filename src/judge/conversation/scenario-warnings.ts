/** Scenario bugs `govbench validate` reports: a goal its own reference cannot reach, an opening that gives the goal away. */
import type { BankSet } from '../../domain/types.js';
import { normalize } from '../../text/normalize.js';
import { formatPos } from '../../util/errors.js';
import { saysGoal, scoreConversation } from './score.js';

/** One line per problem, `file:line:column: scenario <id>: …`. */
export function scenarioWarnings(banks: BankSet): string[] {
  const out: string[] = [];
  for (const s of banks.scenarios) {
    const at = `${formatPos(s.pos)}: scenario ${s.id}`;
    const score = scoreConversation({ scenario: s, exchanges: [{ user: s.opening, reply: s.reference.answer }], ended: 'goal', matters: banks.matters });
    if (!score.goalReached) {
      const errors = score.factErrors.length > 0 ? `, stated wrong: ${score.factErrors.join(', ')}` : '';
      out.push(`${at}: its reference answer does not reach the goal (key points ${score.keyPointsHit.length} of ${s.reference.minKeyPoints} needed${errors}); no bot could`);
    }
    if (saysGoal(normalize(s.opening), normalize(s.goal))) out.push(`${at}: the opening says the goal; a citizen asks in its own words`);
  }
  return out;
}
