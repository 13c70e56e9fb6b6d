import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ConversationEnd, ConversationScore, ErrorKind, StoredConversation } from '../../domain/types.js';

export interface ConversationTable {
  write(caseId: number, c: { ended: ConversationEnd | null; score: ConversationScore }): void;
  conversations(runId: string): StoredConversation[];
  saveConversationScores(items: { caseId: number; score: ConversationScore }[]): void;
}

/** Scores are JSON a database may carry from an older govbench: read back through a schema. */
const scoreSchema = z.object({
  goalReached: z.boolean(),
  keyPointsHit: z.array(z.string()),
  factErrors: z.array(z.string()),
  turnsToGoal: z.number().int().nullable(),
  reasked: z.array(z.string()),
  contradictions: z.array(z.string()),
  broken: z.enum(['empty-turn', 'goal-leaked', 'persona-dropped', 'stopped-early']).nullable(),
});

export function parseScore(json: string, caseId: number): ConversationScore {
  const parsed = scoreSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`[govbench] [store] case ${caseId}: stored conversation score unreadable: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** The conversations table: one row per played scenario, written with its case. */
export function conversationTable(db: Database.Database): ConversationTable {
  const insert = db.prepare(`INSERT INTO conversations (case_id, ended, score) VALUES (?, ?, ?)`);
  const update = db.prepare(`UPDATE conversations SET score = ? WHERE case_id = ?`);
  const select = db.prepare(`
    SELECT c.id, c.target_id, c.question_id, c.style, c.repeat, c.available, c.error_kind, v.ended, v.score,
           (SELECT count(*) FROM turns t WHERE t.case_id = c.id) AS turns
    FROM conversations v JOIN cases c ON c.id = v.case_id
    WHERE c.run_id = ? ORDER BY c.id`);
  return {
    write: (caseId, c) => void insert.run(caseId, c.ended, JSON.stringify(c.score)),
    conversations: (runId) =>
      (select.all(runId) as Record<string, unknown>[]).map((r) => ({
        caseId: r.id as number,
        targetId: r.target_id as string,
        scenarioId: r.question_id as string,
        style: r.style as string,
        repeat: r.repeat as number,
        available: r.available === 1,
        errorKind: (r.error_kind as ErrorKind | null) ?? null,
        ended: (r.ended as ConversationEnd | null) ?? null,
        score: parseScore(r.score as string, r.id as number),
        turns: r.turns as number,
      })),
    saveConversationScores: db.transaction((items: { caseId: number; score: ConversationScore }[]) => {
      for (const i of items) {
        if (update.run(JSON.stringify(i.score), i.caseId).changes === 0) throw new Error(`[govbench] [store] no conversation ${i.caseId} to score`);
      }
    }),
  };
}
