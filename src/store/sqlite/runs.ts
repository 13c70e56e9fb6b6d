import type Database from 'better-sqlite3';
import type { CreateRunOptions, RunTargetRow, Store } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';
import { toRunRow } from './rows.js';

export type RunTables = Pick<Store, 'createRun' | 'setRunStatus' | 'setRunJudge' | 'getRun' | 'listRuns' | 'runTargets'>;

/** The runs table and the targets each run planned. */
export function runTables(db: Database.Database, path: string): RunTables {
  const insertRun = db.prepare(`INSERT INTO runs (id, label, banks_hash, judge, options, started_at, status, environment) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`);
  const insertTarget = db.prepare(`
    INSERT INTO run_targets (run_id, target_id, name, region, province, role, adapter_type, planned)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateStatus = db.prepare(`UPDATE runs SET status = ?, finished_at = ? WHERE id = ?`);
  const updateJudge = db.prepare(`UPDATE runs SET judge = ? WHERE id = ?`);
  const selectRun = db.prepare(`SELECT * FROM runs WHERE id = ?`);
  const selectRuns = db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC`);
  const selectTargets = db.prepare(`
    SELECT target_id AS id, name, region, province, role, adapter_type AS adapterType, planned
    FROM run_targets WHERE run_id = ? ORDER BY rowid`);
  return {
    createRun: db.transaction((opts: CreateRunOptions) => {
      insertRun.run(opts.id, opts.label ?? null, opts.banksHash, opts.judge, JSON.stringify(opts.options), new Date().toISOString(),
        opts.environment ? JSON.stringify(opts.environment) : null);
      for (const { target: t, planned } of opts.targets) {
        insertTarget.run(opts.id, t.id, t.name, t.region, t.province ?? null, t.role ?? null, t.adapter?.type ?? 'none', planned);
      }
    }),
    setRunStatus: (runId, status) => void updateStatus.run(status, status === 'running' ? null : new Date().toISOString(), runId),
    setRunJudge: (runId, judge) => void updateJudge.run(judge, runId),
    getRun(idOrLatest) {
      // The newest run is the first row of the list: it is sorted, and get() reads no further.
      const row = (idOrLatest === 'latest' ? selectRuns.get() : selectRun.get(idOrLatest)) as Record<string, unknown> | undefined;
      if (!row) {
        throw new UserError(
          idOrLatest === 'latest' ? `${path}: no runs yet` : `${path}: no run "${idOrLatest}"`,
          'list runs with `govbench runs`',
        );
      }
      return toRunRow(row);
    },
    listRuns: () => (selectRuns.all() as Record<string, unknown>[]).map(toRunRow),
    runTargets: (runId) => selectTargets.all(runId) as RunTargetRow[],
  };
}
