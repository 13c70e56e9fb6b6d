import type { RunRow, Store } from '../domain/types.js';
import { judgeOfRecord } from '../judge/modes.js';
import type { CalibrationChoice } from '../scoring/corrected.js';

/**
 * The saved calibration that applies to a run's verdicts: the newest of the judge of record with the
 * version the run's verdicts carry. A calibration of another version measured other rules, so it says
 * nothing of these verdicts; the reason then says what is missing.
 */
export function calibrationFor(store: Store, run: RunRow): CalibrationChoice {
  const judge = judgeOfRecord(run.judge);
  const versions = store.judgeVersions(run.id, judge);
  if (versions.length === 0) return { row: null, reason: `the run holds no verdict of judge ${judge}` };
  if (versions.length > 1) {
    return { row: null, reason: `the run's verdicts come from ${versions.length} versions of judge ${judge}; rejudge the run to bring them to one` };
  }
  const version = versions[0]!.version;
  const saved = store.calibrations(judge);
  if (saved.length === 0) return { row: null, reason: `no calibration of judge ${judge} is on record; run \`govbench calibrate --save\`` };
  const match = saved.find((c) => c.judgeVersion === version);
  if (!match) {
    return {
      row: null,
      reason: `the calibrations of judge ${judge} on record are of other versions than the run's verdicts (${version.slice(0, 12)}); run \`govbench calibrate --save\` with the current judge`,
    };
  }
  return { row: match };
}
