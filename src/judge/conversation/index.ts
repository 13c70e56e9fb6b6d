import type { ConversationScore, Exchange, Matter, Scenario } from '../../domain/types.js';

/** A placeholder score: key points found verbatim in the replies, facts asked again by their key. */
export function scoreConversation(input: {
  scenario: Scenario;
  exchanges: readonly Exchange[];
  ended: 'goal' | 'max-turns' | 'gave-up' | null;
  matters: readonly Matter[];
}): ConversationScore {
  const { scenario, exchanges } = input;
  const hit = new Set<string>();
  let turnsToGoal: number | null = null;
  const given = new Set<string>();
  const reasked = new Set<string>();
  exchanges.forEach((e, i) => {
    for (const kp of scenario.reference.keyPoints) if ([kp.text, ...kp.match].some((p) => p !== '' && e.reply.includes(p))) hit.add(kp.id);
    if (turnsToGoal === null && hit.size >= scenario.reference.minKeyPoints) turnsToGoal = i + 1;
    for (const [key, value] of Object.entries(scenario.facts)) if (e.user.includes(value)) given.add(key);
    for (const key of given) if (e.reply.includes(key) && /[？?]/.test(e.reply)) reasked.add(key);
  });
  return {
    goalReached: turnsToGoal !== null,
    keyPointsHit: [...hit],
    factErrors: [],
    turnsToGoal,
    reasked: [...reasked],
    contradictions: [],
    broken: exchanges.some((e) => e.user.trim() === '') ? 'empty-turn' : null,
  };
}
