import type { Trend, TrendChange, TrendPoint, TrendSeries } from '../../scoring/trend.js';
import { fmtP } from '../compare/markdown.js';
import { fmtGap, fmtScore, MISSING } from '../format.js';

/**
 * Plain-text pieces every trend rendering shares (Markdown and HTML escape them their own way).
 */

/** A column as its header says it: the run's label, else its id, and the target a selector named. */
export function columnLabel(c: Trend['columns'][number]): string {
  const run = c.run.label ?? c.run.id;
  return c.target === null ? run : `${run}:${c.target}`;
}

/** `72.5 (68.1–76.0)`, or `—` for a gap. */
export function pointText(p: TrendPoint): string {
  if (p.technicalSupport === null) return MISSING;
  return p.low === null || p.high === null ? fmtScore(p.technicalSupport) : `${fmtScore(p.technicalSupport)} (${fmtScore(p.low)}–${fmtScore(p.high)})`;
}

/** Which way a change went, when it is significant. */
export function changeFlag(c: TrendChange): 'drop' | 'rise' | null {
  if (!c.significant) return null;
  return c.regressed > c.fixed ? 'drop' : 'rise';
}

/** `−12.4 [−18.0, −6.9], p = 0.0078` — the delta, its interval and the test, without the flag. */
export function changeText(c: TrendChange): string {
  const interval = c.low === null || c.high === null ? '' : ` [${fmtGap(c.low)}, ${fmtGap(c.high)}]`;
  return `${fmtGap(c.delta)}${interval}, p = ${fmtP(c.pValue)} (${c.regressed} regressed, ${c.fixed} fixed of ${c.pairs} pairs)`;
}

/** Why a line has no change. */
export function noChangeText(s: TrendSeries): string {
  return s.points.filter((p) => p.target !== null).length < 2 ? 'in one run only' : 'no case in common';
}

/** How the trend's numbers are made, for the foot of every rendering. */
export function methodText(t: Trend): string[] {
  const pct = Math.round(t.confidence * 100);
  return [
    `Technical support per run with its ${pct}% bootstrap interval over questions; a target missing from a run is a gap (${MISSING}), never a zero.`,
    `Change: between the first and the last run a target appears in, over the cases both runs asked (same question, variant and repeat); the interval is a ${pct}% paired bootstrap over questions. Significant: McNemar's exact test on the pairs that went from correct to not and back, p < ${t.alpha} — as \`govbench compare\` decides.`,
    'Pain points: cases of a failure kind on a matter ÷ that matter’s cases in each run; appeared: none in the first run that asked the matter, some in the last; gone: the reverse.',
  ];
}
