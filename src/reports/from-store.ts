import type { CaseRecord, RegionId, RunRow, Store } from '../domain/types.js';
import { resolveScoringConfig } from '../scoring/config.js';
import type { ReportModel, ReportRunMeta } from '../scoring/model.js';
import { scoreRun, type ScoreRunInput } from '../scoring/score-run.js';
import { withConversations } from '../scoring/conversations.js';
import { scoreSafety } from '../scoring/safety.js';
import { judgeOfRecord } from '../judge/modes.js';
import { calibrationFor } from './calibration-for.js';

/**
 * Scores a stored run (`latest` or an id) by streaming its case records; nothing is asked of any
 * chatbot. `scoring` is the scoring section of the configuration (defaults when absent).
 */
export function loadReportModel(
  store: Store,
  run: string,
  scoring?: unknown,
  names: Pick<ScoreRunInput, 'matters' | 'intents'> = {},
  /** Sees every record as it streams past, so another report part can share the one read of the run. */
  tap: (records: Iterable<CaseRecord>) => Iterable<CaseRecord> = (r) => r,
): ReportModel {
  const row = store.getRun(run);
  const config = resolveScoringConfig(scoring);
  const model = scoreRun({
    run: runMeta(row),
    // The store validated regions when the run was created from the target registry.
    targets: store.runTargets(row.id).map((t) => ({
      id: t.id,
      name: t.name,
      region: t.region as RegionId,
      ...(t.province ? { province: t.province } : {}),
    })),
    cases: tap(store.caseRecords(row.id, judgeOfRecord(row.judge))),
    config,
    calibration: calibrationFor(store, row),
    ...names,
  });
  const safety = scoreSafety(store.safetyRecords(row.id));
  for (const t of model.targets) {
    const s = safety.get(t.id);
    if (s) t.safety = s;
  }
  return withConversations(model, store.conversations(row.id));
}

/** The run fields every report shows, as the report model names them. */
export function runMeta(row: RunRow): ReportRunMeta {
  const { id, label, banksHash, judge, startedAt, finishedAt, status, environment } = row;
  return { id, label, banksHash, judge, startedAt, finishedAt, status, environment, evidence: row.options.evidence === true };
}
