/**
 * Scenarios and the simulated citizens that play them (issue 16): a goal a citizen pursues over a
 * conversation, where single questions cannot show whether a bot clarifies, remembers and stays
 * consistent.
 */

import type { Scenario } from './bank.js';

export const CITIZEN_KINDS = ['rule', 'llm'] as const;
export type CitizenKind = (typeof CITIZEN_KINDS)[number];

/** One finished exchange the citizen has seen: what it said and what the bot replied. */
export interface Exchange {
  user: string;
  reply: string;
}

/** What the citizen does next: say something, or end the conversation and why. */
export type CitizenMove = { say: string } | { stop: 'goal' | 'max-turns' | 'gave-up' };

/** A simulated citizen. `rule` is deterministic and offline; `llm` asks a model. */
export interface Citizen {
  kind: CitizenKind;
  /** The next move given the conversation so far (empty history: the opening). */
  next(scenario: Scenario, history: readonly Exchange[]): Promise<CitizenMove>;
}

/**
 * Why a conversation says nothing of the bot: the simulator broke it. Such a conversation is marked
 * and kept out of the bot's conversation scores.
 */
export type BrokenConversation = 'empty-turn' | 'goal-leaked' | 'persona-dropped' | 'stopped-early';

/** The scores of one played conversation (issue 16 §2). */
export interface ConversationScore {
  /** Enough reference key points covered over the bot's turns, and no fact stated wrong. */
  goalReached: boolean;
  keyPointsHit: string[];
  factErrors: string[];
  /** Citizen turns until the goal was reached; null when it never was. */
  turnsToGoal: number | null;
  /** Fact keys the bot asked for again after the citizen had given them (memory). */
  reasked: string[];
  /** Pairs of the bot's own turns that state different values for the same fact (consistency). */
  contradictions: string[];
  /** Set when the simulator broke the conversation; the scores above then do not count. */
  broken: BrokenConversation | null;
}
