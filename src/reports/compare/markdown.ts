import type { BreakdownChange, CaseOutcome, ComparedAnswer, ComparedPair, ComparedRun, ComparedUnit, Comparison } from '../../scoring/compare/comparison.js';
import { safetyCompareMarkdown, safetyGate } from './safety.js';
import { escapeCell, fmtGap, fmtScore, plural } from '../format.js';
import { conversationsMarkdown } from './conversations.js';

interface CompareMarkdownOptions {
  /** Characters of each answer shown in the side-by-side table; the JSON report has them whole. @default 600 */
  answerChars?: number;
  /** Fixed pairs listed. @default 50 */
  fixedRows?: number;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}


/** A p-value readable at any size. */
export function fmtP(p: number): string {
  if (p >= 0.001) return p.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return p.toExponential(1);
}

/**
 * Chatbot text as Markdown shows it literally: viewers that render inline HTML must not run an
 * answer's `<img onerror>`, and `&lt;` displays as `<` either way.
 */
function literal(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** What the gate found, in one sentence, for the top of the report and the CI log; a critical probe newly unsafe fails it too. */
export function gateSummary(c: Comparison): string {
  const questions = questionGate(c);
  const safety = safetyGate(c);
  if (!safety) return questions;
  if (questions.startsWith('**REGRESSION**')) return `${questions} And ${safety}.`;
  return `**REGRESSION** — ${safety}. Questions: ${questions.replace('**No regression** — ', '')}`;
}

function questionGate(c: Comparison): string {
  const test = `McNemar exact p = ${fmtP(c.pValue)}, α = ${c.alpha}: ${c.regressed} regressed vs ${c.fixed} fixed`;
  const worse = c.significant && c.candidateWorse;
  const critical =
    c.criticalRegressions.length > 0
      ? `${plural(c.criticalRegressions.length, 'critical question')} regressed (${c.criticalRegressions.join(', ')})`
      : null;
  if (worse) return `**REGRESSION** — the candidate is significantly worse (${test})${critical ? `; and ${critical}` : ''}.`;
  const direction =
    c.regressed === c.fixed
      ? 'no different'
      : c.candidateWorse
        ? 'worse, but not significantly'
        : c.significant
          ? 'significantly better'
          : 'better, but not significantly';
  // A critical regression fails the gate alone; the overall direction still tells the reader how much else changed.
  if (critical) return `**REGRESSION** — ${critical}. Overall the candidate is ${direction} (${test}).`;
  return `**No regression** — the candidate is ${direction} (${test}), and no critical question regressed.`;
}

/** The two sides in a few words: run labels, or target names when both sides are one run. */
export function comparisonTitle(c: Comparison): string {
  const u = c.units[0];
  if (c.baseline.id === c.candidate.id && c.units.length === 1 && u) {
    return `${u.baselineName} → ${u.candidateName} (${c.baseline.label ?? c.baseline.id})`;
  }
  return `${c.baseline.label ?? c.baseline.id} → ${c.candidate.label ?? c.candidate.id}`;
}

const PAIRED_BY: Record<ComparedUnit['pairedBy'], string> = { role: 'same role', target: 'same id', selected: 'chosen' };

function runLine(name: string, r: ComparedRun): string {
  return `- ${name}: run \`${r.id}\`${r.label ? ` (${escapeCell(literal(r.label))})` : ''}, ${r.status}, judge ${escapeCell(r.judge)}, banks \`${r.banksHash.slice(0, 12)}\`; targets ${r.targets.map((t) => `\`${escapeCell(t)}\``).join(', ')}`;
}

function summary(c: Comparison): string {
  const d = c.scoreDelta;
  const pct = Math.round(d.confidence * 100);
  const interval = d.low === null || d.high === null ? '' : ` (${pct}% paired bootstrap ${fmtGap(d.low)} to ${fmtGap(d.high)})`;
  const lines = [
    `# govbench compare — ${escapeCell(literal(comparisonTitle(c)))}`,
    '',
    gateSummary(c),
    '',
    runLine('Baseline', c.baseline),
    runLine('Candidate', c.candidate),
    `- Pairs compared: ${c.pairs} over ${plural(c.sharedQuestions, 'question')} — ${c.fixed} fixed, ${c.regressed} regressed, ${c.unchanged} unchanged; pass rate ${share(c.baselinePass, c.pairs)} → ${share(c.candidatePass, c.pairs)}`,
    `- Technical support over the paired cases: ${fmtScore(d.baseline)} → ${fmtScore(d.candidate)}, Δ ${fmtGap(d.value)}${interval}`,
  ];
  if (c.units.length > 1 || c.units.some((u) => u.pairedBy !== 'target')) {
    lines.push(`- Paired targets: ${c.units.map((u) => `${escapeCell(literal(u.baselineName))} → ${escapeCell(literal(u.candidateName))} (${PAIRED_BY[u.pairedBy]}${u.role ? `, role \`${escapeCell(u.role)}\`` : ''})`).join('; ')}`);
  }
  const notes: string[] = [];
  const u = c.unpaired;
  if (c.sharedQuestionsOnly) {
    notes.push(
      `> **The question banks differ**: only the ${plural(c.sharedQuestions, 'question')} both runs asked are compared; ${plural(u.baselineOnlyQuestions, 'question')} only in the baseline (${plural(u.baselineOnlyCases, 'case')}) and ${plural(u.candidateOnlyQuestions, 'question')} only in the candidate (${plural(u.candidateOnlyCases, 'case')}) are left out. A question kept its id but may have changed its reference.`,
    );
  } else if (u.baselineOnlyCases + u.candidateOnlyCases > 0) {
    notes.push(`> ${plural(u.baselineOnlyCases + u.candidateOnlyCases, 'case')} of questions asked in one run only are left out.`);
  }
  if (c.excluded > 0) notes.push(`> ${plural(c.excluded, 'pair')} excluded: unjudged in one run or both, so their change is unknown.`);
  if (u.baselineCases + u.candidateCases > 0) {
    notes.push(`> ${plural(u.baselineCases, 'baseline case')} and ${plural(u.candidateCases, 'candidate case')} have no partner (another repeat or variant, or an unfinished run).`);
  }
  if (u.unpairedTargetCases > 0) notes.push(`> ${plural(u.unpairedTargetCases, 'case')} of targets that pair with no target of the other run are left out.`);
  if (notes.length > 0) lines.push('', notes.join('\n>\n'));
  return lines.join('\n');
}

function share(n: number, of: number): string {
  return of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`;
}

function outcome(o: CaseOutcome): string {
  return o === 'correct' ? '✓ correct' : `✗ ${o}`;
}

function pairId(p: ComparedPair, units: number): string {
  const where = `${p.questionId} · ${p.style}${p.variant > 0 ? ` #${p.variant}` : ''} · r${p.repeat}`;
  return units > 1 ? `${p.unit}: ${where}` : where;
}

function answerCell(o: CaseOutcome, a: ComparedAnswer | null, max: number): string {
  if (a === null) return `**${outcome(o)}** (transcript not loaded)`;
  const body = a.error ? `(${a.error})${a.text ? `\n${a.text}` : ''}` : a.text;
  return `**${outcome(o)}**\n${literal(cut(body, max))}`;
}

function criticalSection(c: Comparison): string | null {
  if (c.criticalRegressions.length === 0) return null;
  const rows = c.criticalRegressions.map((id) => {
    const q = c.questions.find((x) => x.questionId === id && x.regressed > 0);
    if (q) return [id, q.matterId, literal(q.asked ?? '—'), `${q.regressed} of ${q.pairs}`];
    const f = c.flaky.find((x) => x.questionId === id && x.criticalRegression)!;
    return [id, f.matterId, '—', `flaky: ${f.candidate.correct} of ${f.candidate.attempts} correct, was ${f.baseline.correct} of ${f.baseline.attempts}`];
  });
  return [
    '## Critical regressions',
    '',
    'Critical questions that were answered correctly by the baseline and are not by the candidate. Any one fails the gate.',
    '',
    table(['Question', 'Matter', 'Asked', 'Pairs regressed'], rows, ['l', 'l', 'l', 'r']),
  ].join('\n');
}

function regressedSection(c: Comparison, max: number): string {
  if (c.regressedPairs.length === 0) return '## Regressed\n\nNo pair regressed.';
  const rows = c.regressedPairs.map((p) => [
    `${p.critical ? '**critical** ' : ''}${pairId(p, c.units.length)}`,
    literal(p.asked ?? '—'),
    answerCell(p.baseline, p.baselineAnswer, max),
    answerCell(p.candidate, p.candidateAnswer, max),
    literal(p.rationale ?? ''),
  ]);
  return [
    `## Regressed (${c.regressedPairs.length})`,
    '',
    'Correct in the baseline, not in the candidate; critical questions first. Both answers side by side.',
    '',
    table(['Question · variant · repeat', 'Asked', 'Baseline answer', 'Candidate answer', 'Why (candidate)'], rows),
  ].join('\n');
}

function fixedSection(c: Comparison, limit: number): string {
  if (c.fixedPairs.length === 0) return '## Fixed\n\nNo pair was fixed.';
  const rows = c.fixedPairs.slice(0, limit).map((p) => [pairId(p, c.units.length), literal(p.asked ?? '—'), outcome(p.baseline), outcome(p.candidate)]);
  const parts = [
    `## Fixed (${c.fixedPairs.length})`,
    '',
    'Not correct in the baseline, correct in the candidate.',
    '',
    table(['Question · variant · repeat', 'Asked', 'Baseline', 'Candidate'], rows),
  ];
  if (c.fixedPairs.length > limit) parts.push('', `…and ${c.fixedPairs.length - limit} more (see the JSON report).`);
  return parts.join('\n');
}

function breakdown(title: string, items: readonly BreakdownChange[]): string {
  const rows = items.map((b) => [
    b.name ? `${b.name} (${b.id})` : b.id,
    String(b.pairs),
    String(b.fixed),
    String(b.regressed),
    String(b.unchanged),
    String(b.excluded),
    share(b.baselinePass, b.pairs),
    share(b.candidatePass, b.pairs),
  ]);
  return [
    `## By ${title}`,
    '',
    table(['Id', 'Pairs', 'Fixed', 'Regressed', 'Unchanged', 'Excluded', 'Baseline pass', 'Candidate pass'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
  ].join('\n');
}

function flakySection(c: Comparison): string | null {
  if (c.flaky.length === 0) return null;
  const tally = (t: { correct: number; attempts: number }) => (t.attempts === 0 ? '—' : `${t.correct} of ${t.attempts}`);
  return [
    `## Flaky questions (${c.flaky.length})`,
    '',
    `Right in some repeats of a phrasing and wrong in others, on either side: noise, so their ${plural(c.flakyPairs, 'pair')} are left out of the counts and of McNemar’s test. A critical one the baseline always answered correctly and the candidate did not still fails the gate.`,
    '',
    table(
      ['Question', 'Unit', 'Matter', 'Critical', 'Baseline correct', 'Candidate correct'],
      c.flaky.map((f) => [f.questionId, f.unit, f.matterId, f.critical ? (f.criticalRegression ? '**yes, regressed**' : 'yes') : '', tally(f.baseline), tally(f.candidate)]),
      ['l', 'l', 'l', 'l', 'r', 'r'],
    ),
  ].join('\n');
}

function methodSection(c: Comparison): string {
  const b = c.config.bootstrap;
  return [
    '## Method',
    '',
    '- Cases pair by target (or a role both runs give to one target), question, variant and repeat.',
    '- A case passes when its effective verdict (a reviewer’s decision, else the judge’s) is `correct`; partial, incorrect, no-answer and technical failures do not. Pairs unjudged on either side are excluded.',
    `- McNemar’s exact two-sided test on the regressed and fixed pairs; significant below α = ${c.alpha}. Questions that flipped within a side’s repeats (flaky) are left out of it.`,
    `- Δ technical support = candidate − baseline over the paired cases, ${Math.round(b.confidence * 100)}% percentile interval of a paired bootstrap resampling whole questions (${b.iterations} iterations, seed ${b.seed}).`,
    '- The gate fails when the candidate is significantly worse or any critical question regressed.',
  ].join('\n');
}

/** The comparison as Markdown: the gate's verdict first, then critical regressions, regressed, fixed, breakdowns. */
export function renderCompareMarkdown(c: Comparison, options: CompareMarkdownOptions = {}): string {
  const sections = [
    summary(c),
    safetyCompareMarkdown(c),
    criticalSection(c),
    regressedSection(c, options.answerChars ?? 600),
    fixedSection(c, options.fixedRows ?? 50),
    flakySection(c),
    conversationsMarkdown(c.conversations),
    breakdown('matter', c.matters),
    breakdown('intent', c.intents),
    methodSection(c),
  ];
  return `${sections.filter((s): s is string => s !== null).join('\n\n')}\n`;
}
