import type { CalibrationItemRow, CalibrationRow } from '../domain/types.js';

/**
 * Judge-corrected accuracy (issue 15): a judge that calls some wrong answers correct (false pass) and
 * some correct answers wrong (false fail) biases the observed share of correct answers. With the
 * judge's error rates measured on gold-labelled answers, Rogan–Gladen undoes the bias.
 *
 * The binary corrected is "the verdict is `correct`" against anything else: the share a reader takes
 * for "answered correctly". Calibration items without a prediction (unjudged, abstained) are left out,
 * as such cases are left out of a run's accuracy.
 */

/** Which calibration a report corrects with, or why none applies. */
export type CalibrationChoice = { row: CalibrationRow; reason?: undefined } | { row: null; reason: string };

/** Calibration items reduced to two bits each: gold correct (2) and judged correct (1). */
export type CodedItems = Uint8Array;

const GOLD = 2;
const JUDGED = 1;

export function codeItems(items: readonly CalibrationItemRow[]): CodedItems {
  const usable = items.filter((i) => i.predicted !== null);
  return Uint8Array.from(usable, (i) => (i.gold.verdict === 'correct' ? GOLD : 0) | (i.predicted!.verdict === 'correct' ? JUDGED : 0));
}

/** The judge's error rates, each 0–1, or why they cannot be estimated. */
export type ErrorRates = { falsePass: number; falseFail: number } | { falsePass: null; falseFail: null; reason: string };

/**
 * Tallies of coded items: `counts[code]` items of each of the four codes. Kept as counts so a bootstrap
 * replicate costs one pass over its draws.
 */
export function errorRatesOf(counts: ArrayLike<number>): ErrorRates {
  const goldOther = (counts[0] as number) + (counts[JUDGED] as number);
  const goldCorrect = (counts[GOLD] as number) + (counts[GOLD | JUDGED] as number);
  if (goldOther === 0) return { falsePass: null, falseFail: null, reason: 'the calibration has no gold answer that is not correct, so the false-pass rate is unknown' };
  if (goldCorrect === 0) return { falsePass: null, falseFail: null, reason: 'the calibration has no gold answer that is correct, so the false-fail rate is unknown' };
  return { falsePass: (counts[JUDGED] as number) / goldOther, falseFail: (counts[GOLD] as number) / goldCorrect };
}

export function countCodes(items: CodedItems): Float64Array {
  const counts = new Float64Array(4);
  for (const c of items) counts[c] = (counts[c] as number) + 1;
  return counts;
}

/**
 * Rogan–Gladen: the true share p of correct answers, from the observed share q the judge called correct.
 * q = p·(1 − FF) + (1 − p)·FP, so p = (q − FP) / (1 − FP − FF), clamped to [0, 1] (sampling noise can
 * push it out). Undefined when 1 − FP − FF ≤ 0: the judge then says `correct` of wrong answers at
 * least as often as of right ones, and its verdicts carry no information to correct.
 * @example roganGladen(0.6, 0.1, 0.2) // { value: 0.7142857… }
 */
export function roganGladen(q: number, falsePass: number, falseFail: number): { value: number } | { value: null; reason: string } {
  const youden = 1 - falsePass - falseFail;
  if (youden <= 1e-12) {
    return {
      value: null,
      reason: `the judge's false-pass (${pct(falsePass)}) and false-fail (${pct(falseFail)}) rates sum to 100% or more: its verdicts say nothing about correctness`,
    };
  }
  return { value: Math.min(1, Math.max(0, (q - falsePass) / youden)) };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
