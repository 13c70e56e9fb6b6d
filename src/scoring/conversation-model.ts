/**
 * Conversation results (issue 16 §2–3). A conversation the simulator broke says nothing of the bot,
 * and one the target failed (no reply) belongs to availability: both are counted apart, and only the
 * rest — `scored` — enter the shares and means.
 */
export interface ConversationCounts {
  played: number;
  /** Broken by the simulated citizen (`ConversationScore.broken`). */
  broken: number;
  /** A turn of the target failed (timeout, error, empty reply). */
  failed: number;
  scored: number;
  goalReached: number;
  /** goalReached ÷ scored, 0–1; null when none was scored. */
  goalShare: number | null;
  /** Mean citizen turns to the goal over scored conversations that reached it; null when none did. */
  meanTurnsToGoal: number | null;
  /** Facts the bot asked for again after the citizen gave them, summed over scored conversations. */
  reasked: number;
  /** Pairs of its own turns stating different values for one fact, summed. */
  contradictions: number;
}

export interface ScenarioResult extends ConversationCounts {
  scenario: string;
  /** The citizen kind that played it. */
  citizen: string;
}

export interface TargetConversations {
  summary: ConversationCounts;
  /** By scenario id, then citizen kind. */
  scenarios: ScenarioResult[];
}

/**
 * How often the two simulated citizens, playing the same scenario on the same bot, reached different
 * outcomes (goal reached or not), over the pairs where both conversations were scored.
 */
export interface SimulatorAgreement {
  pairs: number;
  differing: number;
  /** differing ÷ pairs, 0–1; null without pairs. */
  share: number | null;
  /** The pairs that differ, as `target/scenario` (repeat > 1 appended as `#n`). */
  examples: string[];
}

export interface ConversationResults {
  byTarget: Map<string, TargetConversations>;
  /** Null unless both citizens played in the run. */
  simulator: SimulatorAgreement | null;
}
