/** What both judges share of the rubric (SPEC §4), so a verdict means the same whichever judge gave it. */
import type { JudgedVerdict } from '../domain/types.js';

/** The verdict a judge decides; the caller adds whose it is and which turn it is about. */
export type VerdictFields = Omit<JudgedVerdict, 'status' | 'judge' | 'turn'>;

/** A `no-answer` decided without weighing the answer (an empty reply, a list of suggestions only). */
export function noAnswerFields(rationale: string): VerdictFields {
  return {
    intentRecognized: false,
    predictedIntent: null,
    verdict: 'no-answer',
    accuracy: 0,
    keyPointsHit: [],
    factErrors: [],
    contradictions: [],
    rationale,
  };
}

/** SPEC §4: min(1, hits ÷ minKeyPoints); a question that needs no key point is fully conveyed. */
export function keyPointAccuracy(hits: number, minKeyPoints: number): number {
  return minKeyPoints <= 0 ? 1 : Math.min(1, hits / minKeyPoints);
}
