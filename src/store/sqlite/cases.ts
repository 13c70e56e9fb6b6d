import type Database from 'better-sqlite3';
import type { CaseKey, SaveCaseOptions, Store } from '../../domain/types.js';
import { BUG, caseRecordOf } from '../case-outcome.js';
import type { ConversationTable } from './conversations.js';
import type { SafetyTable } from './safety.js';
import type { VerdictTable } from './verdicts.js';

export type CaseWrites = Pick<Store, 'saveCase' | 'finishedCases' | 'countCases'>;

/** Cases and their turns as a run commits them, one transaction per case: the hot path of every run. */
export function caseWrites(db: Database.Database, verdicts: VerdictTable, conversations: ConversationTable, safety: SafetyTable): CaseWrites {
  const insertCase = db.prepare(`
    INSERT INTO cases (run_id, target_id, question_id, matter_id, aspect_id, intent, variant, style, repeat,
                       critical, available, error_kind, first_ms, total_ms, finished_at, route)
    VALUES (@runId, @targetId, @questionId, @matterId, @aspectId, @intent, @variant, @style, @repeat,
            @critical, @available, @errorKind, @firstMs, @totalMs, @finishedAt, @route)`);
  const insertTurn = db.prepare(`
    INSERT INTO turns (case_id, idx, user, reply, raw, ok, error_kind, error, http_status, first_ms, total_ms, attempts,
                       prompt_tokens, completion_tokens, screenshot, suggestions, suggestions_only, links, followed, sent_at)
    VALUES (@caseId, @index, @user, @reply, @raw, @ok, @errorKind, @error, @httpStatus, @firstMs, @totalMs, @attempts,
            @promptTokens, @completionTokens, @screenshot, @suggestions, @suggestionsOnly, @links, @followed, @sentAt)`);
  // Turns and verdicts go with the case (ON DELETE CASCADE).
  const deleteBugCase = db.prepare(`
    DELETE FROM cases
    WHERE run_id = @runId AND target_id = @targetId AND question_id = @questionId AND variant = @variant AND repeat = @repeat
      AND error_kind = @bug`);
  const selectFinished = db.prepare(`
    SELECT target_id AS targetId, question_id AS questionId, variant, repeat FROM cases WHERE run_id = ? AND error_kind IS NOT ?`);
  const selectCount = db.prepare(`SELECT count(*) AS n FROM cases WHERE run_id = ?`).pluck();

  const insert = (row: Record<string, unknown>): number => {
    try {
      return Number(insertCase.run(row).lastInsertRowid);
    } catch (err) {
      // A case that hit a bug in govbench is asked again, and its new outcome replaces it. Looking for
      // one only when the key is taken keeps the common path to one statement.
      if ((err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE' || deleteBugCase.run({ ...row, bug: BUG }).changes === 0) throw err;
      return Number(insertCase.run(row).lastInsertRowid);
    }
  };

  return {
    saveCase: db.transaction((o: SaveCaseOptions): number => {
      const record = caseRecordOf(o);
      const caseId = insert({
        runId: o.runId,
        ...record,
        critical: record.critical ? 1 : 0,
        available: record.available ? 1 : 0,
        route: record.route ?? null,
        finishedAt: new Date().toISOString(),
      });
      for (const t of o.turns) {
        insertTurn.run({
          caseId,
          index: t.index,
          user: t.user,
          reply: t.reply,
          raw: t.raw,
          ok: t.ok ? 1 : 0,
          errorKind: t.errorKind ?? null,
          error: t.error ?? null,
          httpStatus: t.httpStatus ?? null,
          firstMs: t.firstMs,
          totalMs: t.totalMs,
          attempts: t.attempts,
          promptTokens: t.usage?.promptTokens ?? null,
          completionTokens: t.usage?.completionTokens ?? null,
          screenshot: t.screenshot ?? null,
          suggestions: t.suggestions?.length ? JSON.stringify(t.suggestions) : null,
          suggestionsOnly: t.suggestionsOnly ? 1 : null,
          links: t.links?.length ? JSON.stringify(t.links) : null,
          followed: t.followed ? 1 : null,
          sentAt: t.at ?? null,
        });
      }
      for (const v of o.verdicts) verdicts.write(caseId, v.verdict, v.version);
      if (o.conversation) conversations.write(caseId, o.conversation);
      for (const v of o.safety ?? []) safety.write(caseId, v.verdict, v.version);
      return caseId;
    }),
    finishedCases: (runId) => selectFinished.all(runId, BUG) as CaseKey[],
    countCases: (runId) => selectCount.get(runId) as number,
  };
}
