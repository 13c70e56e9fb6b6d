import { aliasesMarkdown } from './aliases.js';
import { renderNotice, runNotices } from './notices.js';
import { ROUTE_LABELS, ROUTES_NOTE, routeShares } from './routes.js';
import type { ErrorKind } from '../domain/types.js';
import { errorKindLabel } from './error-kinds.js';
import { rankIntervalsMarkdown } from './rank-intervals.js';
import { markdownTable as table } from './markdown-table.js';
import { painPointsSection } from './markdown-pain-points.js';
import { safetyMarkdown } from './safety.js';
import type { ScoringConfig } from '../scoring/config.js';
import type { ReportModel, ScoreSet } from '../scoring/model.js';
import { conversationsMarkdown } from './conversations.js';
import {
  escapeCell,
  fmtGap,
  fmtInterval,
  fmtMs,
  fmtRank,
  fmtScore,
  fmtShare,
  GRADE_LABELS,
  MISSING,
  plural,
  REGION_LABELS,
} from './format.js';

interface MarkdownOptions {
  /** Confusions listed per target. @default 5 */
  topConfusions?: number;
}

const SCORE_HEAD = ['Technical support', 'Accuracy', 'Intent', 'Availability', 'Responsiveness'];
const scoreCells = (s: ScoreSet): string[] => [
  fmtScore(s.technicalSupport),
  fmtScore(s.accuracy),
  fmtScore(s.intent),
  fmtScore(s.availability),
  fmtScore(s.responsiveness),
];

function runSection(m: ReportModel): string {
  const r = m.run;
  const t = m.totals;
  const lines = [
    `# govbench report — ${escapeCell(r.label ?? r.id)}`,
    '',
    `- Run: \`${r.id}\`${r.label ? ` (${escapeCell(r.label)})` : ''}, ${r.status}`,
    `- Judge: ${escapeCell(r.judge)}; question banks \`${r.banksHash.slice(0, 12)}\``,
    `- Started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ''}`,
    `- ${plural(t.targets, 'target')}, ${plural(t.questions, 'question')}, ${plural(t.cases, 'case')}: ${plural(t.errors, 'technical failure')}, ${t.judged} judged, ${t.unjudged} unjudged`,
  ];
  for (const n of runNotices(m)) {
    lines.push('', `> **${escapeCell(n.lead)}**${renderNotice(n, escapeCell, (c) => `\`${c}\``)}`);
  }
  if (r.status !== 'finished') lines.push('', `> The run is **${r.status}**: scores cover the cases finished so far.`);
  return lines.join('\n');
}

function leaderboard(m: ReportModel): string {
  const pct = Math.round(m.config.bootstrap.confidence * 100);
  const rows = m.targets.map((t) => [
    fmtRank(t.rank, t.tied),
    t.name,
    `${t.region} (${REGION_LABELS[t.region]})`,
    t.grade ? `${t.grade} (${GRADE_LABELS[t.grade]})` : MISSING,
    ...scoreCells(t.scores).slice(0, 1),
    fmtInterval(t.intervals.technicalSupport),
    ...scoreCells(t.scores).slice(1),
    String(t.cases),
    String(t.errors),
    String(t.unjudged),
    fmtMs(t.latency.p50Ms),
    fmtMs(t.latency.p95Ms),
  ]);
  return [
    '## Leaderboard',
    '',
    table(
      ['Rank', 'Target', 'Region', 'Grade', SCORE_HEAD[0]!, `${pct}% interval`, ...SCORE_HEAD.slice(1), 'Cases', 'Errors', 'Unjudged', 'p50', 'p95'],
      rows,
      ['r', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `Ranked by technical support. \`=\` marks a tie: rank = 1 + the number of targets whose ${pct}% rank interval (below) lies entirely above this target's, so targets whose rank intervals overlap cannot be told apart and may share a rank. p50 / p95: time to the first reply of available cases.`,
  ].join('\n');
}

function errorsSection(m: ReportModel): string | null {
  const failing = m.targets.filter((t) => t.errors > 0);
  if (failing.length === 0) return null;
  const kinds = [...new Set(failing.flatMap((t) => Object.keys(t.errorKinds) as ErrorKind[]))].sort();
  const rows = failing.map((t) => [t.name, String(t.errors), ...kinds.map((k) => String(t.errorKinds[k] ?? 0))]);
  return [
    '## Technical failures',
    '',
    'Counted against availability, not accuracy or intent.',
    '',
    table(['Target', 'Failures', ...kinds.map(errorKindLabel)], rows, ['l', 'r', ...kinds.map(() => 'r' as const)]),
  ].join('\n');
}

function routesSection(m: ReportModel): string | null {
  const rows = routeShares(m);
  if (!rows) return null;
  return [
    '## Suggested questions',
    '',
    ROUTES_NOTE,
    '',
    table(
      ['Target', 'Answered', ROUTE_LABELS.direct, ROUTE_LABELS.followed, ROUTE_LABELS.left],
      rows.map((r) => [r.name, String(r.answered), fmtShare(r.shares.direct), fmtShare(r.shares.followed), fmtShare(r.shares.left)]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
}

function regionsSection(m: ReportModel): string {
  const rows = m.regions.map((r) => [
    `${r.id} (${REGION_LABELS[r.id]})`,
    String(r.targets.length),
    ...scoreCells(r.scores),
    r.bestName ?? MISSING,
  ]);
  return [
    '## Regions',
    '',
    'Mean of the region’s targets (each target weighs the same); best = highest technical support.',
    '',
    table(['Region', 'Targets', ...SCORE_HEAD, 'Best'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']),
  ].join('\n');
}

function breakdownSection(title: string, note: string, items: ReportModel['matters']): string {
  const rows = items.map((b) => [b.name ? `${b.name} (${b.id})` : b.id, String(b.cases), String(b.errors), ...scoreCells(b.scores)]);
  return [
    `## ${title}`,
    '',
    note,
    '',
    table(['Id', 'Cases', 'Errors', ...SCORE_HEAD], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
  ].join('\n');
}

function stylesSection(m: ReportModel): string {
  const rows = m.styles.map((s) => [
    s.style,
    String(s.cases),
    fmtScore(s.scores.accuracy),
    fmtGap(s.gap?.accuracy ?? null),
    fmtScore(s.scores.intent),
    fmtGap(s.gap?.intent ?? null),
    fmtScore(s.scores.technicalSupport),
    fmtGap(s.gap?.technicalSupport ?? null),
  ]);
  const styles = m.styles.filter((s) => s.gap !== null).map((s) => s.style);
  const perTarget = m.targets
    .filter((t) => t.styles.some((s) => s.gap !== null))
    .map((t) => [t.name, ...styles.map((style) => fmtGap(t.styles.find((s) => s.style === style)?.gap?.accuracy ?? null))]);
  const parts = [
    '## Robustness by variant style',
    '',
    'Gap = canonical score − style score on the same questions (those asked both ways), per target, then averaged over targets. Positive: the chatbot does worse on that phrasing.',
    '',
    table(['Style', 'Cases', 'Accuracy', 'Gap', 'Intent', 'Gap', 'Technical support', 'Gap'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
  ];
  if (perTarget.length > 0) {
    parts.push('', 'Accuracy gap per target:', '', table(['Target', ...styles], perTarget, ['l', ...styles.map(() => 'r' as const)]));
  }
  return parts.join('\n');
}

function confusionSection(m: ReportModel, top: number): string {
  const parts = [
    '## Intent confusion',
    '',
    'Asked intent → the intent the answer addressed instead, over judged answers (most frequent first). Share = of the judged answers to the asked intent.',
  ];
  for (const t of m.targets.filter((x) => x.confusion.top.length > 0)) {
    const rows = t.confusion.top.slice(0, top).map((c) => [c.asked, c.addressed, String(c.count), fmtShare(c.share)]);
    parts.push('', `### ${escapeCell(t.name)} (${t.id})`, '', table(['Asked', 'Addressed instead', 'Answers', 'Share'], rows, ['l', 'l', 'r', 'r']));
    if (t.confusion.top.length > top) parts.push('', `…and ${t.confusion.top.length - top} more (see the JSON report).`);
  }
  const clean = m.targets.filter((t) => t.confusion.top.length === 0 && t.judged > 0).map((t) => escapeCell(t.name));
  const unjudged = m.targets.filter((t) => t.judged === 0).map((t) => escapeCell(t.name));
  if (clean.length > 0) parts.push('', `No confusions: ${clean.join(', ')}.`);
  if (unjudged.length > 0) parts.push('', `No judged answers: ${unjudged.join(', ')}.`);
  return parts.join('\n');
}

/** The configuration, printed so two reports are compared knowing how each was scored. */
function configSection(c: ScoringConfig): string {
  const w = c.weights;
  const g = c.grades;
  const b = c.bootstrap;
  return [
    '## Scoring',
    '',
    `- Technical support = ${w.accuracy}·accuracy + ${w.intent}·intent + ${w.availability}·availability + ${w.responsiveness}·responsiveness`,
    `- Grades on technical support: excellent ≥ ${g.excellent}, good ≥ ${g.good}, average ≥ ${g.average}, poor below`,
    `- Responsiveness per available case: 100 at ≤ ${c.responsiveness.fullMs / 1000} s to the first reply, falling linearly to 0 at ≥ ${c.responsiveness.zeroMs / 1000} s; the mean over available cases`,
    '- Availability: share of cases with a non-empty reply within the timeout; accuracy and intent: over available, judged cases only',
    `- Intervals: ${Math.round(b.confidence * 100)}% percentile cluster bootstrap over questions (a question’s variants and repeats resampled together), ${b.iterations} iterations, seed ${b.seed}`,
  ].join('\n');
}

function intentMetricsSection(m: ReportModel): string | null {
  const { perIntent, macroF1 } = m.intents;
  if (macroF1 === null) return null;
  const pct = (x: number) => (x * 100).toFixed(1);
  return [
    '## Intent recognition across targets',
    '',
    `Every judged answer as a classification of the asked intent; macro-F1 ${pct(macroF1)} (the mean of the per-intent F1).`,
    '',
    '| Intent | Asked | Addressed | Precision | Recall | F1 |',
    '|---|---:|---:|---:|---:|---:|',
    ...perIntent.map((r) => `| ${escapeCell(r.intent)} | ${r.support} | ${r.addressed} | ${pct(r.precision)} | ${pct(r.recall)} | ${pct(r.f1)} |`),
  ].join('\n');
}

function consistencySection(m: ReportModel): string | null {
  const rows = m.targets.filter((t) => t.consistency !== null);
  if (rows.length === 0) return null;
  return [
    '## Consistency and pass^k across repeats',
    '',
    'A phrasing asked several times is consistent when every repeat got the same verdict. pass^k: the share of phrasings answered correctly all k times; pass^1: the share of single attempts answered correctly; flipping: phrasings right some times and wrong others (their questions are flaky).',
    '',
    '| Target | Phrasings repeated | k | Consistency | pass^k | pass^1 | Flipping | Flaky questions |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((t) => {
      const c = t.consistency!;
      const flaky = c.flaky.length > 8 ? `${c.flaky.slice(0, 8).join(', ')} … (${c.flaky.length})` : c.flaky.join(', ') || '—';
      return `| ${escapeCell(t.name)} | ${c.phrasings} | ${c.k} | ${c.score.toFixed(1)} | ${c.passK.toFixed(1)} | ${c.pass1.toFixed(1)} | ${c.flipping} (${c.flipShare.toFixed(1)}%) | ${escapeCell(flaky)} |`;
    }),
  ].join('\n');
}

/** The Markdown report. */
export function renderMarkdown(model: ReportModel, options: MarkdownOptions = {}): string {
  const top = options.topConfusions ?? 5;
  const sections = [
    runSection(model),
    leaderboard(model),
    rankIntervalsMarkdown(model),
    errorsSection(model),
    painPointsSection(model),
    routesSection(model),
    regionsSection(model),
    breakdownSection('Matters', 'Mean of the targets’ scores on each matter.', model.matters),
    breakdownSection('Aspects', 'Mean of the targets’ scores on each intent (matter/aspect).', model.aspects),
    stylesSection(model),
    aliasesMarkdown(model),
    confusionSection(model, top),
    intentMetricsSection(model),
    consistencySection(model),
    conversationsMarkdown(model),
    safetyMarkdown(model),
    configSection(model.config),
  ];
  return `${sections.filter((s): s is string => s !== null).join('\n\n')}\n`;
}
