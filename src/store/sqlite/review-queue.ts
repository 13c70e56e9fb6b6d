import type Database from 'better-sqlite3';
import { REVIEW_JUDGE, type JudgedVerdict, type ReviewItem } from '../../domain/types.js';
import { LLM_JUDGE, MATCHER_JUDGE } from '../../judge/modes.js';
import { VERDICT_COLUMN_COUNT, verdictColumns, verdictFromRow } from './rows.js';

/** The review queue of a run, given its judge of record (see `Store.reviewQueue`). */
export type ReviewQueue = (runId: string, judgeOfRecord: string) => ReviewItem[];

/**
 * Turns where the judge of record abstained, and turns where the matcher and the LLM differ on the
 * verdict or on whether the intent was recognized; a turn a reviewer decided is in neither.
 */
export function reviewQueue(db: Database.Database): ReviewQueue {
  const item = `c.id, c.target_id, c.question_id, c.variant, c.style, t.user, t.reply, c.matter_id, c.intent`;
  const undecided = `
    JOIN turns t ON t.case_id = c.id AND t.idx = m.turn
    LEFT JOIN verdicts r ON r.case_id = c.id AND r.judge = @review AND r.turn = m.turn
    WHERE c.run_id = @runId AND r.case_id IS NULL`;
  const selectUncertain = db
    .prepare(
      `SELECT ${item}, ${verdictColumns('m')}
       FROM cases c
       JOIN verdicts m ON m.case_id = c.id AND m.judge = @record AND m.status = 'judged' AND m.uncertain IS NOT NULL
       ${undecided}`,
    )
    .raw(true);
  const selectDisagreements = db
    .prepare(
      `SELECT ${item}, ${verdictColumns('m')}, ${verdictColumns('l')}
       FROM cases c
       JOIN verdicts m ON m.case_id = c.id AND m.judge = @matcher AND m.status = 'judged'
       JOIN verdicts l ON l.case_id = c.id AND l.judge = @llm AND l.turn = m.turn AND l.status = 'judged'
       ${undecided}
         AND (m.verdict <> l.verdict OR m.intent_recognized <> l.intent_recognized)`,
    )
    .raw(true);
  // Where each verdict's columns start in a row: after the item's nine, then the matcher's.
  const MATCHER_AT = 9;
  const LLM_AT = MATCHER_AT + VERDICT_COLUMN_COUNT;
  const itemOf = (r: unknown[], matcher: JudgedVerdict, llm: JudgedVerdict | null, uncertain: string | null): ReviewItem => ({
    caseId: r[0] as number,
    targetId: r[1] as string,
    questionId: r[2] as string,
    matterId: r[7] as string,
    intent: r[8] as string,
    variant: r[3] as number,
    style: r[4] as string,
    turn: matcher.turn,
    user: r[5] as string,
    reply: r[6] as string,
    matcher,
    llm,
    uncertain,
  });

  return (runId, record) => {
    const uncertain = (selectUncertain.all({ runId, record, review: REVIEW_JUDGE }) as unknown[][]).map((r) => {
      const abstained = verdictFromRow(r, MATCHER_AT) as JudgedVerdict;
      return itemOf(r, abstained, null, abstained.uncertain!);
    });
    const disagreements = (selectDisagreements.all({ runId, matcher: MATCHER_JUDGE, llm: LLM_JUDGE, review: REVIEW_JUDGE }) as unknown[][]).map((r) =>
      itemOf(r, verdictFromRow(r, MATCHER_AT) as JudgedVerdict, verdictFromRow(r, LLM_AT) as JudgedVerdict, null),
    );
    // A turn both uncertain and disputed is listed once, as uncertain.
    const seen = new Set<string>();
    return [...uncertain, ...disagreements]
      .filter((i) => {
        const key = `${i.caseId}.${i.turn}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => a.caseId - b.caseId || a.turn - b.turn);
  };
}
