import type Database from 'better-sqlite3';
import type { Store, Verdict } from '../../domain/types.js';
import { verdictColumns, verdictFromRow } from './rows.js';

export interface VerdictTable extends Pick<Store, 'saveVerdicts' | 'verdictsOf'> {
  /** Stores one verdict, replacing the judge's earlier one on that turn; the caller holds the transaction. */
  write(caseId: number, verdict: Verdict, version: string): void;
}

/** Verdicts: one per case, judge and turn. */
export function verdictTable(db: Database.Database): VerdictTable {
  const upsert = db.prepare(`
    INSERT OR REPLACE INTO verdicts (case_id, judge, judge_version, turn, status, intent_recognized, predicted_intent,
                                     verdict, accuracy, key_points_hit, fact_errors, contradictions, rationale, reason, created_at,
                                     confidence, uncertain, outdated, failure)
    VALUES (@caseId, @judge, @version, @turn, @status, @intentRecognized, @predictedIntent,
            @verdict, @accuracy, @keyPointsHit, @factErrors, @contradictions, @rationale, @reason, @createdAt,
            @confidence, @uncertain, @outdated, @failure)`);
  const selectOfCase = db.prepare(`SELECT ${verdictColumns('v')} FROM verdicts v WHERE v.case_id = ? ORDER BY v.turn, v.judge`).raw(true);
  const write = (caseId: number, v: Verdict, version: string): void => {
    const judged = v.status === 'judged' ? v : null;
    upsert.run({
      caseId,
      judge: v.judge,
      version,
      turn: v.turn,
      status: v.status,
      intentRecognized: judged ? (judged.intentRecognized ? 1 : 0) : null,
      predictedIntent: judged?.predictedIntent ?? null,
      verdict: judged?.verdict ?? null,
      accuracy: judged?.accuracy ?? null,
      keyPointsHit: judged ? JSON.stringify(judged.keyPointsHit) : null,
      factErrors: judged ? JSON.stringify(judged.factErrors) : null,
      contradictions: judged ? JSON.stringify(judged.contradictions) : null,
      rationale: judged?.rationale ?? null,
      reason: v.status === 'unjudged' ? v.reason : null,
      createdAt: new Date().toISOString(),
      confidence: judged?.confidence ?? null,
      uncertain: judged?.uncertain ?? null,
      outdated: judged?.outdated ? JSON.stringify(judged.outdated) : null,
      failure: judged?.failure ?? null,
    });
  };
  return {
    write,
    saveVerdicts: db.transaction((items: { caseId: number; verdict: Verdict; version: string }[]) => {
      for (const i of items) write(i.caseId, i.verdict, i.version);
    }),
    verdictsOf: (caseId) => (selectOfCase.all(caseId) as unknown[][]).map((r) => verdictFromRow(r, 0)),
  };
}
