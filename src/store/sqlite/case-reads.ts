import type Database from 'better-sqlite3';
import { caseFailure, REVIEW_JUDGE, type ErrorKind, type ReplyRoute, type Store, type StoredCase } from '../../domain/types.js';
import { toStoredCase, toTurn, verdictColumns, verdictFromRow } from './rows.js';

export type CaseReads = Pick<Store, 'caseRecords' | 'storedCases' | 'storedCasesAfter' | 'turnsOf'>;

/**
 * Finished cases as reports and review read them. The streaming reads prepare their statement on each
 * call: a statement iterates one result at a time, and a comparison streams two runs side by side.
 */
export function caseReads(db: Database.Database): CaseReads {
  const selectTurns = db.prepare(`SELECT * FROM turns WHERE case_id = ? ORDER BY idx`);
  const selectPage = db.prepare(`SELECT id, target_id, question_id, variant, style, repeat FROM cases WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`);
  // Found by the case's unique key: a few lookups need not read every case.
  const selectTurnsByKey = db.prepare(`
    SELECT t.* FROM cases c JOIN turns t ON t.case_id = c.id
    WHERE c.run_id = ? AND c.target_id = ? AND c.question_id = ? AND c.variant = ? AND c.repeat = ?
    ORDER BY t.idx`);
  return {
    *caseRecords(runId, judge, filter = {}) {
      // One pass over cases joined with the candidate verdicts, best first per case, read as arrays: a
      // correlated subquery per case, or an object per row, cost several times more on large runs.
      const stmt = db
        .prepare(
          `SELECT c.id, c.target_id, c.question_id, c.matter_id, c.aspect_id, c.intent, c.variant, c.style, c.repeat, c.critical,
                  c.available, c.error_kind, c.first_ms, c.total_ms, c.route, ${verdictColumns('v')}
           FROM cases c
           LEFT JOIN verdicts v ON v.case_id = c.id AND v.judge IN (@review, @judge)
           WHERE c.run_id = @runId ${filter.targetId !== undefined ? 'AND c.target_id = @targetId' : ''}
           ORDER BY c.id, v.turn DESC, v.judge = @review DESC`,
        )
        .raw(true);
      let last = -1;
      const params = { runId, judge, review: REVIEW_JUDGE, ...(filter.targetId !== undefined && { targetId: filter.targetId }) };
      for (const r of stmt.iterate(params) as IterableIterator<unknown[]>) {
        if (r[0] === last) continue;
        last = r[0] as number;
        const errorKind = (r[11] as ErrorKind | null) ?? null;
        // Where no verdict joined, its status (the third verdict column) is null.
        const verdict = r[17] == null ? null : verdictFromRow(r, 15);
        yield {
          targetId: r[1] as string,
          questionId: r[2] as string,
          matterId: r[3] as string,
          aspectId: r[4] as string,
          intent: r[5] as string,
          variant: r[6] as number,
          style: r[7] as string,
          repeat: r[8] as number,
          critical: r[9] === 1,
          available: r[10] === 1,
          errorKind,
          firstMs: (r[12] as number | null) ?? null,
          totalMs: (r[13] as number | null) ?? null,
          ...(r[14] != null && { route: r[14] as ReplyRoute }),
          verdict,
          failure: caseFailure(errorKind, verdict),
        };
      }
    },
    *storedCases(runId) {
      const stmt = db.prepare(
        `SELECT c.id, c.target_id, c.question_id, c.variant, c.style, c.repeat, t.*
         FROM cases c JOIN turns t ON t.case_id = c.id WHERE c.run_id = ? ORDER BY c.id, t.idx`,
      );
      let current: StoredCase | undefined;
      for (const r of stmt.iterate(runId) as IterableIterator<Record<string, unknown>>) {
        if (current && current.id !== r.id) {
          yield current;
          current = undefined;
        }
        current ??= toStoredCase(r, []);
        current.turns.push(toTurn(r));
      }
      if (current) yield current;
    },
    storedCasesAfter: (runId, afterId, limit) =>
      (selectPage.all(runId, afterId, limit) as Record<string, unknown>[]).map((r) =>
        toStoredCase(r, (selectTurns.all(r.id) as Record<string, unknown>[]).map(toTurn)),
      ),
    turnsOf: (runId, key) =>
      (selectTurnsByKey.all(runId, key.targetId, key.questionId, key.variant, key.repeat) as Record<string, unknown>[]).map(toTurn),
  };
}
