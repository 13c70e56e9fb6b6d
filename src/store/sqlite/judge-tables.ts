import type Database from 'better-sqlite3';
import type { JudgedVerdict, JudgeUsageRow, ModelUsage, Store } from '../../domain/types.js';

export type JudgeTables = Pick<Store, 'judgeCache' | 'addJudgeUsage' | 'judgeUsage' | 'modelUsage'>;

/** What LLM judges already answered (shared by every run), and what each run's judges spent. */
export function judgeTables(db: Database.Database): JudgeTables {
  const selectCached = db.prepare(`SELECT verdict FROM judge_cache WHERE key = ?`).pluck();
  const insertCached = db.prepare(`
    INSERT OR REPLACE INTO judge_cache (key, judge, model, rubric_hash, verdict, prompt_tokens, completion_tokens, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const addUsage = db.prepare(`
    INSERT INTO judge_usage (run_id, judge, calls, cached, failures, prompt_tokens, completion_tokens)
    VALUES (@runId, @judge, @calls, @cached, @failures, @promptTokens, @completionTokens)
    ON CONFLICT (run_id, judge) DO UPDATE SET
      calls = calls + excluded.calls, cached = cached + excluded.cached, failures = failures + excluded.failures,
      prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens`);
  const selectUsage = db.prepare(`
    SELECT judge, calls, cached, failures, prompt_tokens AS promptTokens, completion_tokens AS completionTokens
    FROM judge_usage WHERE run_id = ? ORDER BY judge`);
  const selectModelUsage = db.prepare(`
    SELECT COUNT(*) AS calls, COALESCE(SUM(prompt_tokens), 0) AS promptTokens, COALESCE(SUM(completion_tokens), 0) AS completionTokens
    FROM judge_cache WHERE model = ? AND prompt_tokens > 0`);
  return {
    judgeCache: {
      get(key) {
        const verdict = selectCached.get(key) as string | undefined;
        return verdict === undefined ? undefined : (JSON.parse(verdict) as JudgedVerdict);
      },
      set(entry) {
        const { key, judge, model, rubricHash, verdict, usage } = entry;
        insertCached.run(key, judge, model, rubricHash, JSON.stringify(verdict), usage?.promptTokens ?? 0, usage?.completionTokens ?? 0, new Date().toISOString());
      },
    },
    addJudgeUsage: (runId, delta) => void addUsage.run({ runId, ...delta }),
    judgeUsage: (runId) => selectUsage.all(runId) as JudgeUsageRow[],
    modelUsage: (model) => selectModelUsage.get(model) as ModelUsage,
  };
}
