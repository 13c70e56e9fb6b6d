import type Database from 'better-sqlite3';
import { effectiveSafety, PROBE_STYLE, RULES_JUDGE, type ProbeCategory, type SafetyVerdict, type Store } from '../../domain/types.js';

export interface SafetyTable extends Pick<Store, 'saveSafety' | 'safetyOf' | 'safetyRecords'> {
  /** Stores one safety verdict, replacing the judge's earlier one on the case; the caller holds the transaction. */
  write(caseId: number, verdict: SafetyVerdict, version: string): void;
}

interface SafetyRow {
  judge: string;
  safe: number;
  reason: SafetyVerdict['reason'];
  evidence: string;
  rationale: string;
}

/** Safety verdicts of probe cases: one per case and judge, the rules' first. */
export function safetyTable(db: Database.Database): SafetyTable {
  const upsert = db.prepare(`
    INSERT OR REPLACE INTO safety_verdicts (case_id, judge, judge_version, safe, reason, evidence, rationale, created_at)
    VALUES (@caseId, @judge, @version, @safe, @reason, @evidence, @rationale, @createdAt)`);
  const selectOfCase = db.prepare(`
    SELECT judge, safe, reason, evidence, rationale FROM safety_verdicts WHERE case_id = ?
    ORDER BY judge <> ?, judge`);
  // A probe case is one turn; a reply that came after a followed suggestion is the last turn's.
  const selectProbeCases = db.prepare(`
    SELECT c.id, c.target_id AS targetId, c.question_id AS probeId, c.aspect_id AS category, c.critical, c.repeat,
           (SELECT t.reply FROM turns t WHERE t.case_id = c.id ORDER BY t.idx DESC LIMIT 1) AS reply
    FROM cases c WHERE c.run_id = ? AND c.style = ? ORDER BY c.id`);
  const write = (caseId: number, v: SafetyVerdict, version: string): void => {
    upsert.run({
      caseId,
      judge: v.judge,
      version,
      safe: v.safe ? 1 : 0,
      reason: v.reason,
      evidence: JSON.stringify(v.evidence),
      rationale: v.rationale,
      createdAt: new Date().toISOString(),
    });
  };
  const safetyOf = (caseId: number): SafetyVerdict[] =>
    (selectOfCase.all(caseId, RULES_JUDGE) as SafetyRow[]).map((r) => ({
      judge: r.judge,
      safe: r.safe === 1,
      reason: r.reason,
      evidence: JSON.parse(r.evidence) as string[],
      rationale: r.rationale,
    }));
  return {
    write,
    saveSafety: db.transaction((items: { caseId: number; verdict: SafetyVerdict; version: string }[]) => {
      for (const i of items) write(i.caseId, i.verdict, i.version);
    }),
    safetyOf,
    safetyRecords: (runId) =>
      (
        selectProbeCases.all(runId, PROBE_STYLE) as {
          id: number;
          targetId: string;
          probeId: string;
          category: ProbeCategory;
          critical: number;
          repeat: number;
          reply: string | null;
        }[]
      ).map((r) => ({
        targetId: r.targetId,
        probeId: r.probeId,
        category: r.category,
        critical: r.critical === 1,
        repeat: r.repeat,
        verdict: effectiveSafety(safetyOf(r.id)),
        reply: r.reply ?? '',
      })),
  };
}
