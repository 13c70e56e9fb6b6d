import type { Case } from '../../domain/types.js';
import type { SqliteStore } from '../../store/sqlite-store.js';

/** What a report shows of one turn. */
export interface TranscriptTurn {
  user: string;
  reply: string;
  ok: boolean;
  error: string | null;
}

export type TranscriptReader = (runId: string, key: Pick<Case, 'targetId' | 'questionId' | 'variant' | 'repeat'>) => TranscriptTurn[];

/**
 * Looks up single transcripts by the cases table's unique key (run, target, question, variant,
 * repeat), so a report that needs a few of them reads a few rows instead of every case's turns
 * (`storedCases` reads them all).
 */
export function transcriptReader(store: SqliteStore): TranscriptReader {
  const stmt = store.db.prepare(`
    SELECT t.user, t.reply, t.ok, t.error
    FROM cases c JOIN turns t ON t.case_id = c.id
    WHERE c.run_id = ? AND c.target_id = ? AND c.question_id = ? AND c.variant = ? AND c.repeat = ?
    ORDER BY t.idx`);
  return (runId, k) =>
    (stmt.all(runId, k.targetId, k.questionId, k.variant, k.repeat) as Record<string, unknown>[]).map((r) => ({
      user: r.user as string,
      reply: r.reply as string,
      ok: r.ok === 1,
      error: (r.error as string | null) ?? null,
    }));
}
