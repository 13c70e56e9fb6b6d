import type { Trend, TrendSeries } from '../../scoring/trend.js';
import { escapeCell, fmtShare, MISSING } from '../format.js';
import { changeFlag, changeText, columnLabel, methodText, noChangeText, pointText } from './labels.js';

interface TrendMarkdownOptions {
  /** Pain-point rows listed; the JSON has them all. @default 40 */
  painPointRows?: number;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

const FLAGS = { drop: '**▼ significant drop**', rise: '**▲ significant rise**' } as const;

function changeCell(t: Trend, s: TrendSeries): string {
  const c = s.change;
  if (!c) return noChangeText(s);
  const flag = changeFlag(c);
  const span = c.from === 0 && c.to === t.columns.length - 1 ? '' : ` (${columnLabel(t.columns[c.from]!)} → ${columnLabel(t.columns[c.to]!)})`;
  return `${flag ? `${FLAGS[flag]} ` : ''}${changeText(c)}${flag ? '' : ', not significant'}${span}`;
}

function runsSection(t: Trend): string {
  const rows = t.columns.map((c, i) => [
    String(i + 1),
    c.run.id,
    c.run.label ?? MISSING,
    c.target ?? 'all',
    c.run.startedAt,
    c.run.status,
    c.run.banksHash.slice(0, 12),
  ]);
  const note = t.banksDiffer ? '\n\nThe runs asked different question banks: each change is over the questions both runs asked.' : '';
  return `## Runs\n\n${table(['#', 'Run', 'Label', 'Targets', 'Started', 'Status', 'Banks'], rows)}${note}`;
}

function targetsSection(t: Trend): string {
  if (t.targets.length === 0) return '## Technical support by target\n\nNo target has a finished case in these runs.';
  const head = ['Target', ...t.columns.map(columnLabel), 'Change'];
  const rows = t.targets.map((s) => [`${s.name} (${s.id})`, ...s.points.map(pointText), changeCell(t, s)]);
  const align = head.map((_, i) => (i === 0 || i === head.length - 1 ? 'l' : 'r') as 'l' | 'r');
  const flagged = t.targets.filter((s) => s.change && changeFlag(s.change)).length;
  return `## Technical support by target\n\n${flagged} of ${t.targets.length} targets changed significantly.\n\n${table(head, rows, align)}`;
}

function painPointsSection(t: Trend, limit: number): string | null {
  if (t.painPoints.length === 0) return null;
  const shown = t.painPoints.slice(0, limit);
  const rows = shown.map((p) => [
    p.kind,
    p.matter,
    ...p.shares.map((s) => (s === null ? MISSING : fmtShare(s))),
    p.appeared ? 'appeared' : p.gone ? 'gone' : '',
  ]);
  const more = t.painPoints.length > shown.length ? `\n\n${t.painPoints.length - shown.length} more in \`--format json\`.` : '';
  const head = ['Kind', 'Matter', ...t.columns.map(columnLabel), ''];
  return `## Pain points\n\nShare of each matter’s cases failing in this way, per run.\n\n${table(head, rows)}${more}`;
}

/** `trend --format md`: runs, a target × run table with intervals and flagged changes, pain points, method. */
export function renderTrendMarkdown(t: Trend, options: TrendMarkdownOptions = {}): string {
  const title = `# Trend: ${t.columns.map(columnLabel).join(' → ')}`;
  const method = `## Method\n\n${methodText(t).map((l) => `- ${l}`).join('\n')}`;
  return [escapeCell(title), runsSection(t), targetsSection(t), painPointsSection(t, options.painPointRows ?? 40), method]
    .filter((p): p is string => p !== null)
    .join('\n\n')
    .concat('\n');
}
