import type { CaseRecord } from '../domain/types.js';
import { ScoreAccumulator } from './accumulator.js';
import type { ScoringConfigInput } from './config.js';
import type { CalibrationChoice } from './corrected.js';
import type { ReportModel, ReportRunMeta, ScoreNames, ScoreTarget } from './model.js';

/** What `scoreRun` scores. */
export interface ScoreRunInput extends ScoreNames {
  run: ReportRunMeta;
  /** Every target of the run, including those without finished cases (they are listed unscored). */
  targets: readonly ScoreTarget[];
  /** One record per finished case, e.g. streamed from the store; `verdict` is the effective one. */
  cases: Iterable<CaseRecord>;
  /** @default DEFAULT_SCORING_CONFIG */
  config?: ScoringConfigInput;
  /** The judge calibration to correct accuracy with, or why none applies; absent: none looked up. */
  calibration?: CalibrationChoice;
}

/**
 * Scores a run: per target, region, matter, aspect and variant style, with bootstrap intervals,
 * ranks with ties and intent confusion (SPEC §5). Pure; reads `cases` once.
 * @example scoreRun({ run, targets, cases: store.caseRecords(run.id, run.judge), config: { bootstrap: { seed: 7 } } })
 */
export function scoreRun(input: ScoreRunInput): ReportModel {
  return new ScoreAccumulator(input.targets, input.config).addAll(input.cases).finish(input.run, input, input.calibration);
}

/** `scoreRun` over an async stream of cases. */
export async function scoreRunAsync(
  input: Omit<ScoreRunInput, 'cases'> & { cases: AsyncIterable<CaseRecord> | Iterable<CaseRecord> },
): Promise<ReportModel> {
  const acc = new ScoreAccumulator(input.targets, input.config);
  for await (const record of input.cases) acc.add(record);
  return acc.finish(input.run, input, input.calibration);
}
