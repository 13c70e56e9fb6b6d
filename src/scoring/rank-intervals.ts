import type { Grade } from '../domain/types.js';
import { gradeFor, type ScoringConfig } from './config.js';
import { codeItems, countCodes, errorRatesOf, roganGladen, type CalibrationChoice } from './corrected.js';
import { blockIndex, jointBootstrap, rankingValue } from './joint-bootstrap.js';
import type { CalibrationNote, CorrectedAccuracy, Interval, TargetReport } from './model.js';
import { ACC_WIDTH, F_CORRECT, F_JUDGED, type QuestionMeta } from './outcome-sums.js';
import { rankWithTies } from './rank.js';

/** What the rank intervals need of one target: its report so far, its total and its per-question sums. */
export interface RankedTarget {
  report: TargetReport;
  total: Float64Array;
  /** Question index → the question's accumulator. */
  questions: ReadonlyMap<number, Float64Array>;
}

/** The fields this fills in on each target report. */
type RankFields = Pick<TargetReport, 'rank' | 'tied' | 'rankInterval' | 'gradeRange' | 'corrected'>;

/**
 * Corrected accuracy, rank intervals, ranks with ties and grade ranges of every target (issue 15),
 * from one joint bootstrap. Pure; `calibration` undefined means none was looked up.
 */
export function rankTargets(
  config: ScoringConfig,
  questionMeta: readonly QuestionMeta[],
  targets: readonly RankedTarget[],
  calibration: CalibrationChoice | undefined,
): { fields: Map<string, RankFields>; note: CalibrationNote | null } {
  const coded = calibration?.row ? codeItems(calibration.row.items) : null;
  const rates = coded ? errorRatesOf(countCodes(coded)) : null;
  const undefinedReason = rates && correctionProblem(rates);
  const pointRates = rates && rates.falsePass !== null && undefinedReason === null ? { falsePass: rates.falsePass, falseFail: rates.falseFail } : null;
  const correcting = pointRates !== null;

  // Questions in id order, so the replicates do not depend on the order cases arrived in.
  const order = [...new Set(targets.flatMap((t) => [...t.questions.keys()]))].sort((a, b) => compareIds(questionMeta[a]!.id, questionMeta[b]!.id));
  const blocks = new Float64Array(order.length * targets.length * ACC_WIDTH);
  order.forEach((q, j) => targets.forEach((t, i) => {
    const acc = t.questions.get(q);
    if (acc) blocks.set(acc, blockIndex(j, i, targets.length));
  }));
  const joint = jointBootstrap({
    config,
    questions: order.length,
    blocks,
    calibration: correcting ? coded : null,
    targets: targets.map((t) => ({ id: t.report.id, point: t.report.scores.technicalSupport === null ? null : rankingValue(t.total, 0, config, pointRates) })),
  });

  // Ranked as intervals of negated ranks: "entirely above" is then "worst rank better than the other's best".
  const ties = rankWithTies(
    targets.map((t, i) => {
      const iv = joint.rankIntervals[i] ?? null;
      return { id: t.report.id, point: iv && -iv[0], interval: iv && [-iv[1], -iv[0]] };
    }),
  );
  const fields = new Map<string, RankFields>();
  targets.forEach((t, i) => {
    fields.set(t.report.id, {
      ...ties.get(t.report.id)!,
      rankInterval: joint.rankIntervals[i] ?? null,
      gradeRange: gradeRange(t.report.intervals.technicalSupport, config),
      corrected: coded && rates ? correctedAccuracy(t.total, coded.length, rates, joint.corrected[i] ?? null, undefinedReason) : null,
    });
  });
  return { fields, note: calibrationNote(calibration, coded?.length ?? 0, rates, undefinedReason) };
}

/** Why rates cannot correct at all (unknown, or carrying no information); null when they can. */
function correctionProblem(rates: ReturnType<typeof errorRatesOf>): string | null {
  if (rates.falsePass === null) return rates.reason;
  const p = roganGladen(0, rates.falsePass, rates.falseFail);
  return p.value === null ? p.reason : null;
}

function correctedAccuracy(
  total: Float64Array,
  items: number,
  rates: ReturnType<typeof errorRatesOf>,
  interval: Interval | null,
  undefinedReason: string | null,
): CorrectedAccuracy {
  const judged = total[F_JUDGED] as number;
  const q = judged > 0 ? (total[F_CORRECT] as number) / judged : null;
  const base = { observed: q === null ? null : 100 * q, falsePass: rates.falsePass, falseFail: rates.falseFail, items };
  const none = (reason: string): CorrectedAccuracy => ({ ...base, accuracy: null, low: null, high: null, reason });
  if (undefinedReason !== null) return none(undefinedReason);
  if (q === null) return none('no judged case to correct');
  const p = roganGladen(q, rates.falsePass!, rates.falseFail!);
  return { ...base, accuracy: 100 * p.value!, low: interval?.[0] ?? null, high: interval?.[1] ?? null, reason: null };
}

function calibrationNote(
  choice: CalibrationChoice | undefined,
  items: number,
  rates: ReturnType<typeof errorRatesOf> | null,
  undefinedReason: string | null,
): CalibrationNote | null {
  if (!choice) return null;
  if (!choice.row) return { applied: null, reason: choice.reason };
  const { id, judge, judgeVersion, banksHash, createdAt } = choice.row;
  return { applied: { id, judge, judgeVersion, banksHash, createdAt, items, falsePass: rates?.falsePass ?? null, falseFail: rates?.falseFail ?? null }, reason: undefinedReason };
}

/** `[worst, best]` grade over a technical-support interval that straddles a band; null otherwise. */
export function gradeRange(interval: Interval | null, config: ScoringConfig): [Grade, Grade] | null {
  if (!interval) return null;
  const worst = gradeFor(interval[0], config.grades);
  const best = gradeFor(interval[1], config.grades);
  return worst === best ? null : [worst, best];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
