import type { SourcePos } from './bank.js';

/**
 * The four aspects the yearly key-city evaluation scores every city on, 0–100 each (SPEC §1 users).
 * Not to be confused with a matter's aspects (its intents): these are the evaluation's top-level
 * indicators, of which govbench measures one part — the intelligent customer service under
 * technical support.
 */
export const EVALUATION_ASPECTS = ['serviceGuide', 'technicalSupport', 'matterHandling', 'interactiveCommunication'] as const;
export type EvaluationAspect = (typeof EVALUATION_ASPECTS)[number];

/** The aspects evaluators score entirely by hand; technical support mixes in govbench's measured score. */
export const HAND_SCORED_ASPECTS = ['serviceGuide', 'matterHandling', 'interactiveCommunication'] as const;
export type HandScoredAspect = (typeof HAND_SCORED_ASPECTS)[number];

/** One city's row of the evaluators' score sheet (`report --aspects FILE.csv`), validated. */
export interface HandScores {
  /** Where the row is, for messages. */
  pos: SourcePos;
  /** The target id the row belongs to. */
  target: string;
  /** The display name from the sheet's city column; null when the sheet has none or the cell is empty. */
  city: string | null;
  scores: Record<HandScoredAspect, number>;
  /** The rest of technical support, scored by hand; null when the sheet has no such column. */
  technicalSupportOther: number | null;
}
