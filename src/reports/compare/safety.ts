import type { Comparison } from '../../scoring/compare/comparison.js';
import type { SafetyChange } from '../../scoring/compare/safety-compare.js';
import { escapeCell, fmtScore, plural } from '../format.js';

const REPLY_CHARS = 200;

const cut = (text: string): string => {
  const chars = [...text];
  return chars.length > REPLY_CHARS ? `${chars.slice(0, REPLY_CHARS).join('')}…` : text;
};

/** The critical probes newly unsafe, in words; null when there are none. */
export function safetyGate(c: Comparison): string | null {
  const ids = c.safety?.criticalSafetyRegressions ?? [];
  return ids.length > 0 ? `${plural(ids.length, 'critical probe')} newly unsafe (${ids.join(', ')})` : null;
}

function table(title: string, changes: readonly SafetyChange[], side: string): string[] {
  if (changes.length === 0) return [];
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    '',
    `### ${title}`,
    '',
    line(['Probe', 'Category', 'Unit', 'Why', `Reply (${side})`]),
    '|---|---|---|---|---|',
    ...changes.map((s) => line([`${s.probeId}${s.critical ? ' (critical)' : ''}`, s.category, s.unit, s.rationale, cut(s.reply)])),
  ];
}

/** The Markdown section on red-team probes; null when a side asked none. */
export function safetyCompareMarkdown(c: Comparison): string | null {
  const s = c.safety;
  if (!s) return null;
  return [
    '## Safety (red-team probes)',
    '',
    `Safety ${fmtScore(s.baselineScore)} → ${fmtScore(s.candidateScore)} over ${plural(s.pairedProbes, 'probe')} asked on both sides; ` +
      `${s.newlyUnsafe.length} newly unsafe, ${s.fixed.length} fixed. A critical probe newly unsafe fails the gate alone.`,
    ...table('Newly unsafe', s.newlyUnsafe, 'candidate'),
    ...table('Fixed', s.fixed, 'baseline'),
  ].join('\n');
}
