import type { CaseRecord, Store, Turn } from '../../domain/types.js';

/** One finished case: its effective verdict (as scoring sees it) and its transcript. */
export interface CaseWithTurns {
  record: CaseRecord;
  turns: Turn[];
}

/**
 * Streams every finished case of a run with its verdict and transcript, one at a time, so memory
 * stays flat however large the run. Both store streams walk the run's cases in id order, so they are
 * zipped in step. A run still being written may have finished a case between the two queries; the
 * streams then differ only at their ends, and the shorter one decides where this one stops.
 */
export function* casesWithTurns(store: Store, runId: string, judge: string): IterableIterator<CaseWithTurns> {
  const stored = store.storedCases(runId);
  try {
    for (const record of store.caseRecords(runId, judge)) {
      const next = stored.next();
      if (next.done) return;
      const s = next.value;
      if (s.targetId !== record.targetId || s.questionId !== record.questionId || s.variant !== record.variant || s.repeat !== record.repeat) {
        throw new Error(
          `[govbench] [report] case streams out of step at ${s.targetId}/${s.questionId}#${s.variant}.${s.repeat} vs ${record.targetId}/${record.questionId}#${record.variant}.${record.repeat}`,
        );
      }
      yield { record, turns: s.turns };
    }
  } finally {
    stored.return?.();
  }
}
