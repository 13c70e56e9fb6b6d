import type { CalibrationLabel, Judge, SaveCalibrationOptions, Verdict } from '../domain/types.js';
import type { CalibrationOutcome } from './calibration.js';

/**
 * What `calibrate --save` records of a judge's calibration: per item the gold label and the judge's.
 * An item the judge left unjudged or abstained on records no prediction, as such a case counts in no
 * run's accuracy either.
 */
export function calibrationRecord(judge: Pick<Judge, 'name' | 'version'>, banksHash: string, outcomes: readonly CalibrationOutcome[]): SaveCalibrationOptions {
  return {
    judge: judge.name,
    judgeVersion: judge.version,
    banksHash,
    items: outcomes.map(({ item, verdict }) => ({
      question: item.question.id,
      variant: item.variant,
      turn: item.turn,
      gold: { verdict: item.gold.verdict, intentRecognized: item.gold.intentRecognized },
      predicted: predictedLabel(verdict),
    })),
  };
}

function predictedLabel(v: Verdict): CalibrationLabel | null {
  if (v.status !== 'judged' || v.uncertain !== undefined) return null;
  return { verdict: v.verdict, intentRecognized: v.intentRecognized };
}
