import { comparisonTitle, gateSummary } from '../../reports/compare/markdown.js';
import { fmtGap } from '../../reports/format.js';
import type { ComparedPair, Comparison } from '../../scoring/compare/comparison.js';
import type { RunRow, RunTargetRow } from '../../domain/types.js';
import type { Line } from '../text-view.js';
import { oneLine, wrap } from '../text.js';
import type { Side } from './use-compare-state.js';

/** A row of the picker: a run, or one of its targets. */
export interface CompareEntry {
  key: string;
  side: Side;
  label: string;
}

/** Runs newest first, each followed by its targets when expanded. */
export function compareEntries(runs: readonly RunRow[], targetsOf: (runId: string) => readonly RunTargetRow[], expanded: readonly string[]): CompareEntry[] {
  const open = new Set(expanded);
  const out: CompareEntry[] = [];
  for (const r of runs) {
    out.push({ key: r.id, side: { run: r.id }, label: `${r.id}${r.label ? ` (${oneLine(r.label)})` : ''} · ${r.status} · ${r.startedAt.slice(0, 16).replace('T', ' ')}` });
    if (!open.has(r.id)) continue;
    for (const t of targetsOf(r.id)) out.push({ key: `${r.id}:${t.id}`, side: { run: r.id, target: t.id }, label: `    ${t.id} · ${oneLine(t.name)}` });
  }
  return out;
}

export const sideText = (s: Side | null): string => (s === null ? '—' : s.target ? `${s.run}:${s.target}` : s.run);

function pairLines(p: ComparedPair, mark: string, width: number, color: string): Line[] {
  const lines: Line[] = [
    {
      text: `${mark} ${oneLine(p.questionId)} · ${oneLine(p.style)}${p.repeat > 1 ? ` #${p.repeat}` : ''}${p.critical ? ' · critical' : ''}${p.unit.includes('→') || p.baselineTarget !== p.candidateTarget ? '' : ` · ${oneLine(p.unit)}`}: ${p.baseline} → ${p.candidate}`,
      color,
      bold: p.critical,
    },
  ];
  if (p.asked) lines.push(...wrap(`问 ${p.asked}`, width - 4).slice(0, 2).map((text) => ({ text: `    ${text}`, dim: true })));
  if (p.candidateAnswer) {
    const text = p.candidateAnswer.error ?? p.candidateAnswer.text;
    lines.push(...wrap(`答 ${text}`, width - 4).slice(0, 2).map((t) => ({ text: `    ${t}` })));
  }
  return lines;
}

/** The gate's verdict, the counts, and the regressed and fixed questions, as lines. */
export function comparisonLines(c: Comparison, width: number): Line[] {
  const d = c.scoreDelta;
  const lines: Line[] = [
    { text: oneLine(comparisonTitle(c)), bold: true },
    ...wrap(gateSummary(c).replace(/\*\*/g, ''), width).map((text) => ({ text, color: c.regression ? 'red' : 'green', bold: true })),
    {
      text: `${c.pairs} pairs · ${c.fixed} fixed · ${c.regressed} regressed · ${c.unchanged} unchanged${c.excluded > 0 ? ` · ${c.excluded} excluded (unjudged)` : ''}`,
    },
    {
      text: `technical support ${fmtGap(d.value)}${d.low !== null && d.high !== null ? ` (${Math.round(d.confidence * 100)}% interval ${fmtGap(d.low)} to ${fmtGap(d.high)})` : ''}${c.sharedQuestionsOnly ? ' · banks differ: shared questions only' : ''}`,
    },
  ];
  for (const u of c.units) {
    lines.push({ text: `  ${oneLine(u.baselineName)} → ${oneLine(u.candidateName)} (${u.pairedBy}): ${u.fixed} fixed, ${u.regressed} regressed, ${u.unchanged} unchanged`, dim: true });
  }
  lines.push({ text: '' }, { text: `Regressed (${c.regressedPairs.length})`, bold: true, color: 'red' });
  for (const p of c.regressedPairs) lines.push(...pairLines(p, '✗', width, 'red'));
  lines.push({ text: '' }, { text: `Fixed (${c.fixedPairs.length})`, bold: true, color: 'green' });
  for (const p of c.fixedPairs) lines.push(...pairLines(p, '✓', width, 'green'));
  return lines;
}
