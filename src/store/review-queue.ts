import type { JudgedVerdict, VerdictLabel } from '../domain/types.js';
import { judgeOfRecord } from '../judge/modes.js';
import { UserError } from '../util/errors.js';
import { REVIEW_JUDGE, type SqliteStore } from './sqlite-store.js';

/**
 * A judged turn no reviewer has decided yet, on which the matcher and the LLM disagree, or on which the
 * judge of record abstained (`uncertain`).
 */
export interface ReviewItem {
  caseId: number;
  targetId: string;
  questionId: string;
  variant: number;
  style: string;
  turn: number;
  user: string;
  reply: string;
  /** The matcher's verdict, or the abstaining judge's where it is not the matcher. */
  matcher: JudgedVerdict;
  /** Absent where no LLM judged the turn. */
  llm: JudgedVerdict | null;
  /** Why the judge of record abstained; null for a disagreement. */
  uncertain: string | null;
}

/**
 * The review queue of a run, oldest first, without those already decided: turns where the judge of
 * record abstained, and (`--judge both`) turns where the two judges differ on the verdict or on whether
 * the intent was recognized.
 */
export function reviewQueue(store: SqliteStore, runId: string): ReviewItem[] {
  const items = [...uncertainTurns(store, runId), ...disagreements(store, runId)];
  const seen = new Set<string>();
  return items
    .filter((i) => {
      const key = `${i.caseId}.${i.turn}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.caseId - b.caseId || a.turn - b.turn);
}

function uncertainTurns(store: SqliteStore, runId: string): ReviewItem[] {
  const record = judgeOfRecord(store.getRun(runId).judge);
  const rows = store.db
    .prepare(
      `SELECT c.id AS caseId, c.target_id AS targetId, c.question_id AS questionId, c.variant, c.style,
              m.turn, t.user, t.reply, m.judge AS mJudge, m.uncertain AS mUncertain,
              m.verdict AS mVerdict, m.intent_recognized AS mIntent, m.predicted_intent AS mPredicted, m.accuracy AS mAccuracy,
              m.key_points_hit AS mHits, m.fact_errors AS mFacts, m.contradictions AS mContra, m.rationale AS mRationale
       FROM cases c
       JOIN verdicts m ON m.case_id = c.id AND m.judge = ? AND m.status = 'judged' AND m.uncertain IS NOT NULL
       JOIN turns t ON t.case_id = c.id AND t.idx = m.turn
       LEFT JOIN verdicts r ON r.case_id = c.id AND r.judge = '${REVIEW_JUDGE}' AND r.turn = m.turn
       WHERE c.run_id = ? AND r.case_id IS NULL`,
    )
    .all(record, runId) as Record<string, unknown>[];
  return rows.map((r) => ({
    ...itemOf(r),
    matcher: judgedFrom(r, 'm', r.mJudge as string),
    llm: null,
    uncertain: r.mUncertain as string,
  }));
}

function itemOf(r: Record<string, unknown>): Omit<ReviewItem, 'matcher' | 'llm' | 'uncertain'> {
  return {
    caseId: r.caseId as number,
    targetId: r.targetId as string,
    questionId: r.questionId as string,
    variant: r.variant as number,
    style: r.style as string,
    turn: r.turn as number,
    user: r.user as string,
    reply: r.reply as string,
  };
}

function disagreements(store: SqliteStore, runId: string): ReviewItem[] {
  const rows = store.db
    .prepare(
      `SELECT c.id AS caseId, c.target_id AS targetId, c.question_id AS questionId, c.variant, c.style,
              m.turn, t.user, t.reply,
              m.verdict AS mVerdict, m.intent_recognized AS mIntent, m.predicted_intent AS mPredicted, m.accuracy AS mAccuracy,
              m.key_points_hit AS mHits, m.fact_errors AS mFacts, m.contradictions AS mContra, m.rationale AS mRationale,
              l.verdict AS lVerdict, l.intent_recognized AS lIntent, l.predicted_intent AS lPredicted, l.accuracy AS lAccuracy,
              l.key_points_hit AS lHits, l.fact_errors AS lFacts, l.contradictions AS lContra, l.rationale AS lRationale
       FROM cases c
       JOIN verdicts m ON m.case_id = c.id AND m.judge = 'matcher' AND m.status = 'judged'
       JOIN verdicts l ON l.case_id = c.id AND l.judge = 'llm' AND l.turn = m.turn AND l.status = 'judged'
       JOIN turns t ON t.case_id = c.id AND t.idx = m.turn
       LEFT JOIN verdicts r ON r.case_id = c.id AND r.judge = '${REVIEW_JUDGE}' AND r.turn = m.turn
       WHERE c.run_id = ? AND r.case_id IS NULL
         AND (m.verdict <> l.verdict OR m.intent_recognized <> l.intent_recognized)
       ORDER BY c.id, m.turn`,
    )
    .all(runId) as Record<string, unknown>[];
  return rows.map((r) => ({ ...itemOf(r), matcher: judgedFrom(r, 'm', 'matcher'), llm: judgedFrom(r, 'l', 'llm'), uncertain: null }));
}

function judgedFrom(r: Record<string, unknown>, p: 'm' | 'l', judge: string): JudgedVerdict {
  return {
    status: 'judged',
    judge,
    turn: r.turn as number,
    intentRecognized: r[`${p}Intent`] === 1,
    predictedIntent: (r[`${p}Predicted`] as string | null) ?? null,
    verdict: r[`${p}Verdict`] as VerdictLabel,
    accuracy: r[`${p}Accuracy`] as number,
    keyPointsHit: JSON.parse((r[`${p}Hits`] as string) ?? '[]') as string[],
    factErrors: JSON.parse((r[`${p}Facts`] as string) ?? '[]') as string[],
    contradictions: JSON.parse((r[`${p}Contra`] as string) ?? '[]') as string[],
    rationale: (r[`${p}Rationale`] as string) ?? '',
  };
}

export type ReviewDecision =
  | { accept: 'matcher' | 'llm'; note?: string }
  | { verdict: VerdictLabel; intentRecognized: boolean; accuracy?: number; note?: string };

/** Default accuracy of a verdict a reviewer sets by hand, when no accuracy is given. */
const SET_ACCURACY: Record<VerdictLabel, number> = { correct: 1, partial: 0.5, incorrect: 0, 'no-answer': 0 };

/** Builds the stored verdict of a reviewer's decision on one queue item. */
export function reviewVerdict(item: ReviewItem, decision: ReviewDecision, reviewer: string): JudgedVerdict {
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
  return {
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
}

/** Records a reviewer's decision; it overrides both judges from then on, in every report. */
export function recordReview(store: SqliteStore, item: ReviewItem, decision: ReviewDecision, reviewer = ''): JudgedVerdict {
  const verdict = reviewVerdict(item, decision, reviewer);
  store.saveVerdicts([{ caseId: item.caseId, verdict, version: `human${reviewer ? `:${reviewer}` : ''}` }]);
  return verdict;
}
