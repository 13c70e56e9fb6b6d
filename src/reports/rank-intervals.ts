import type { ReportModel } from '../scoring/model.js';
import { escapeCell, fmtInterval, fmtScore, MISSING } from './format.js';

/**
 * The rank-interval and judge-corrected table every report format shows (issue 15), as plain text
 * cells; each format escapes them its own way.
 */
export const RANK_INTERVAL_HEAD = ['Target', 'Rank interval', 'Grade range', 'Judged correct', 'Corrected', 'Corrected interval'] as const;

export function rankIntervalRows(m: ReportModel): string[][] {
  return m.targets.map((t) => [
    t.name,
    t.rankInterval ? (t.rankInterval[0] === t.rankInterval[1] ? String(t.rankInterval[0]) : `${t.rankInterval[0]}–${t.rankInterval[1]}`) : MISSING,
    t.gradeRange ? `${t.gradeRange[0]}–${t.gradeRange[1]}` : MISSING,
    fmtScore(t.corrected?.observed ?? null),
    fmtScore(t.corrected?.accuracy ?? null),
    t.corrected && t.corrected.low !== null && t.corrected.high !== null ? fmtInterval([t.corrected.low, t.corrected.high]) : MISSING,
  ]);
}

/** What the rank intervals are, and which calibration corrected accuracy (or why none did). */
export function rankIntervalNotes(m: ReportModel): string[] {
  const pct = Math.round(m.config.bootstrap.confidence * 100);
  const notes = [
    `Rank interval: the ${pct}% range of each target's rank by technical support over a bootstrap that draws the same questions for every target. ` +
      `Grade range: the grades the ${pct}% technical-support interval spans, where it straddles a band.`,
  ];
  const c = m.calibration;
  if (c?.applied) {
    const a = c.applied;
    notes.push(
      `Corrected: the share of correct answers corrected (Rogan–Gladen) for judge ${a.judge} (version ${a.judgeVersion.slice(0, 12)}), ` +
        `calibrated on ${a.items} gold-labelled answers on ${a.createdAt.slice(0, 10)}: false-pass ${rate(a.falsePass)}, ` +
        `false-fail ${rate(a.falseFail)}. Its interval resamples the calibration items too; rank intervals use the corrected accuracy.` +
        (c.reason ? ` Not corrected: ${c.reason}.` : ''),
    );
  } else if (c) notes.push(`Not corrected for the judge's errors: ${c.reason}.`);
  return notes;
}

function rate(x: number | null): string {
  return x === null ? MISSING : `${(x * 100).toFixed(1)}%`;
}

/** The Markdown section; null when no target is ranked and no calibration was looked up. */
export function rankIntervalsMarkdown(m: ReportModel): string | null {
  if (!m.targets.some((t) => t.rankInterval !== null) && !m.calibration) return null;
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    '## Rank intervals and judge-corrected accuracy',
    '',
    line(RANK_INTERVAL_HEAD),
    '|---|---:|---|---:|---:|---:|',
    ...rankIntervalRows(m).map(line),
    '',
    rankIntervalNotes(m).map(escapeCell).join('\n\n'),
  ].join('\n');
}
