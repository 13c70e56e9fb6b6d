import { REVIEW_JUDGE, type JudgedVerdict, type ReviewItem, type Store, type VerdictLabel } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { answerFailure } from './failure-kind.js';

/** A reviewer's decision on one review-queue item: take one judge's verdict, or set one by hand. */
export type ReviewDecision =
  | { accept: 'matcher' | 'llm'; note?: string }
  | { verdict: VerdictLabel; intentRecognized: boolean; accuracy?: number; note?: string };

/** Default accuracy of a verdict a reviewer sets by hand, when no accuracy is given. */
const SET_ACCURACY: Record<VerdictLabel, number> = { correct: 1, partial: 0.5, incorrect: 0, 'no-answer': 0 };

/** Builds the stored verdict of a reviewer's decision on one queue item. */
function reviewVerdict(item: ReviewItem, decision: ReviewDecision, reviewer: string): JudgedVerdict {
  const by = reviewer ? ` (${reviewer})` : '';
  if ('accept' in decision) {
    const chosen = decision.accept === 'matcher' ? item.matcher : item.llm;
    if (!chosen) throw new UserError(`case ${item.caseId} turn ${item.turn + 1} has no LLM verdict to accept`, 'accept the matcher, or set a verdict');
    const { uncertain: _unsure, confidence: _confidence, ...decided } = chosen;
    return {
      ...decided,
      judge: REVIEW_JUDGE,
      rationale: `reviewer${by} accepted the ${decision.accept} verdict${decision.note ? `: ${decision.note}` : ''} — ${chosen.rationale}`,
    };
  }
  const noAnswer = decision.verdict === 'no-answer';
  const set: JudgedVerdict = {
    status: 'judged',
    judge: REVIEW_JUDGE,
    turn: item.turn,
    intentRecognized: noAnswer ? false : decision.intentRecognized,
    predictedIntent: null,
    verdict: decision.verdict,
    accuracy: decision.accuracy ?? SET_ACCURACY[decision.verdict],
    keyPointsHit: [],
    factErrors: [],
    contradictions: [],
    rationale: `reviewer${by} set ${decision.verdict}${decision.note ? `: ${decision.note}` : ''}`,
  };
  const failure = handSetFailure(item, set);
  return failure === null ? set : { ...set, failure };
}

/**
 * A reviewer who sets what one judge said (label and intent) reads the answer as that judge did, so
 * its failure kind stands; otherwise the kind comes from the reviewer's label and the reply alone.
 */
function handSetFailure(item: ReviewItem, set: JudgedVerdict): JudgedVerdict['failure'] | null {
  const agreeing = [item.llm, item.matcher].find((v) => v && v.verdict === set.verdict && v.intentRecognized === set.intentRecognized);
  if (agreeing) return agreeing.failure ?? null;
  return answerFailure({ verdict: set, reply: item.reply, question: item });
}

/** Records a reviewer's decision; it overrides both judges from then on, in every report. */
export function recordReview(store: Store, item: ReviewItem, decision: ReviewDecision, reviewer = ''): JudgedVerdict {
  const verdict = reviewVerdict(item, decision, reviewer);
  store.saveVerdicts([{ caseId: item.caseId, verdict, version: `human${reviewer ? `:${reviewer}` : ''}` }]);
  return verdict;
}
