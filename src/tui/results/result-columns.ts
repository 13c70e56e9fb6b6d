import type { ErrorKind, RunRow } from '../../domain/types.js';
import { errorKindLabel } from '../../reports/error-kinds.js';
import { failureKindLabel } from '../../reports/failure-kinds.js';
import { fmtGap, fmtInterval, fmtMs, fmtRank, fmtScore, fmtShare, MISSING, REGION_LABELS } from '../../reports/format.js';
import type { BreakdownReport, PainPoint, RegionReport, ReportModel, StyleReport, TargetReport } from '../../scoring/model.js';
import { GRADE_COLORS, VERDICT_COLORS } from '../colors.js';
import type { TableColumn } from '../table.js';
import { oneLine } from '../text.js';
import type { CaseRow } from './results-from-store.js';

const score = (head: string, priority: number, get: (s: TargetReport['scores']) => number | null): TableColumn<{ scores: TargetReport['scores'] }> => ({
  head,
  width: Math.max(5, head.length),
  align: 'right',
  priority,
  cell: (r) => fmtScore(get(r.scores)),
});

export function leaderboardColumns(model: ReportModel): TableColumn<TargetReport>[] {
  const pct = Math.round(model.config.bootstrap.confidence * 100);
  return [
    { head: '#', width: 4, align: 'right', priority: 0, cell: (t) => fmtRank(t.rank, t.tied) },
    { head: 'Target', width: 0, priority: 0, cell: (t) => oneLine(t.name) },
    { head: 'Grade', width: 9, priority: 0, cell: (t) => t.grade ?? MISSING },
    score('Tech', 0, (s) => s.technicalSupport),
    { head: `${pct}% CI`, width: 11, align: 'right', priority: 1, cell: (t) => fmtInterval(t.intervals.technicalSupport) },
    score('Acc', 2, (s) => s.accuracy),
    score('Intent', 3, (s) => s.intent),
    score('Avail', 4, (s) => s.availability),
    { head: 'Err', width: 5, align: 'right', priority: 5, cell: (t) => String(t.errors) },
    { head: 'p50', width: 7, align: 'right', priority: 6, cell: (t) => fmtMs(t.latency.p50Ms) },
    score('Resp', 7, (s) => s.responsiveness),
    { head: 'Region', width: 9, priority: 8, cell: (t) => t.region },
    { head: 'Failures', width: 30, priority: 9, cell: failureKinds },
  ];
}

/** A target's failures by kind, the most frequent first: `转人工 hand-off 2, timeout 1`. */
export function failureKinds(t: Pick<TargetReport, 'errorKinds'>): string {
  const kinds = (Object.entries(t.errorKinds) as [ErrorKind, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return kinds.length === 0 ? MISSING : kinds.map(([k, n]) => `${errorKindLabel(k)} ${n}`).join(', ');
}

export const leaderboardColor = (head: string, t: TargetReport): string | undefined =>
  head === 'Grade' && t.grade ? GRADE_COLORS[t.grade] : head === 'Err' && t.errors > 0 ? 'red' : undefined;

export const REGION_COLUMNS: TableColumn<RegionReport>[] = [
  { head: 'Region', width: 16, priority: 0, cell: (r) => `${REGION_LABELS[r.id]} ${r.id}` },
  { head: 'Targets', width: 7, align: 'right', priority: 0, cell: (r) => String(r.targets.length) },
  score('Tech', 0, (s) => s.technicalSupport),
  score('Acc', 1, (s) => s.accuracy),
  score('Intent', 2, (s) => s.intent),
  score('Avail', 3, (s) => s.availability),
  score('Resp', 5, (s) => s.responsiveness),
  { head: 'Best', width: 0, priority: 0, cell: (r) => oneLine(r.bestName ?? r.best ?? MISSING) },
];

export const MATTER_COLUMNS: TableColumn<BreakdownReport>[] = [
  { head: 'Matter', width: 0, priority: 0, cell: (m) => oneLine(m.name ?? m.id) },
  { head: 'Cases', width: 6, align: 'right', priority: 0, cell: (m) => String(m.cases) },
  { head: 'Err', width: 5, align: 'right', priority: 4, cell: (m) => String(m.errors) },
  score('Tech', 0, (s) => s.technicalSupport),
  score('Acc', 1, (s) => s.accuracy),
  score('Intent', 2, (s) => s.intent),
  score('Avail', 3, (s) => s.availability),
];

const gap = (head: string, priority: number, get: (s: NonNullable<StyleReport['gap']>) => number | null): TableColumn<StyleReport> => ({
  head,
  width: Math.max(6, head.length),
  align: 'right',
  priority,
  cell: (r) => (r.gap ? fmtGap(get(r.gap)) : MISSING),
});

export const STYLE_COLUMNS: TableColumn<StyleReport>[] = [
  { head: 'Phrasing', width: 12, priority: 0, cell: (s) => oneLine(s.style) },
  { head: 'Cases', width: 6, align: 'right', priority: 0, cell: (s) => String(s.cases) },
  score('Tech', 0, (s) => s.technicalSupport),
  score('Acc', 1, (s) => s.accuracy),
  score('Intent', 2, (s) => s.intent),
  gap('Gap Tech', 0, (g) => g.technicalSupport),
  gap('Gap Acc', 3, (g) => g.accuracy),
  gap('Gap Intent', 4, (g) => g.intent),
];

/** A positive gap: worse on the rephrased questions than on the canonical ones. */
export const styleColor = (head: string, s: StyleReport): string | undefined =>
  head.startsWith('Gap') && s.gap && (s.gap.technicalSupport ?? 0) > 5 ? 'red' : undefined;

export function verdictOf(row: CaseRow): string {
  const v = row.record.verdict;
  if (!row.record.available) return row.record.errorKind ?? 'failed';
  if (!v) return 'unjudged';
  return v.status === 'judged' ? v.verdict : 'unjudged';
}

export const CASE_COLUMNS: TableColumn<CaseRow>[] = [
  { head: 'Case', width: 6, align: 'right', priority: 0, cell: (c) => String(c.id) },
  { head: 'Question', width: 0, priority: 0, cell: (c) => oneLine(c.record.questionId) },
  { head: 'Phrasing', width: 10, priority: 1, cell: (c) => oneLine(c.record.style) },
  { head: 'Rep', width: 3, align: 'right', priority: 4, cell: (c) => String(c.record.repeat) },
  { head: 'Verdict', width: 11, priority: 0, cell: verdictOf },
  {
    head: 'Acc',
    width: 5,
    align: 'right',
    priority: 2,
    cell: (c) => (c.record.verdict?.status === 'judged' ? c.record.verdict.accuracy.toFixed(2) : MISSING),
  },
  { head: 'First', width: 7, align: 'right', priority: 3, cell: (c) => fmtMs(c.record.firstMs) },
  { head: 'Asked', width: 0, priority: 5, cell: (c) => oneLine(c.turns[0]?.user ?? '') },
];

/** A pain point's cases come from several targets: the target leads. */
export const PAIN_CASE_COLUMNS: TableColumn<CaseRow>[] = [
  { head: 'Target', width: 14, priority: 0, cell: (c) => oneLine(c.record.targetId) },
  ...CASE_COLUMNS,
];

export function painPointColumns(model: ReportModel): TableColumn<PainPoint>[] {
  const matters = new Map(model.matters.map((m) => [m.id, m.name ?? m.id]));
  const aspects = new Map(model.aspects.flatMap((a) => (a.name ? [[a.id, a.name] as const] : [])));
  return [
    { head: 'Kind', width: 22, priority: 0, cell: (p) => failureKindLabel(p.kind) },
    { head: 'Matter', width: 0, priority: 0, cell: (p) => oneLine(matters.get(p.matter) ?? p.matter) },
    { head: 'Aspect', width: 14, priority: 1, cell: (p) => oneLine(aspects.get(`${p.matter}/${p.aspect}`) ?? p.aspect) },
    { head: 'Cases', width: 6, align: 'right', priority: 0, cell: (p) => String(p.cases) },
    { head: 'Share', width: 6, align: 'right', priority: 0, cell: (p) => fmtShare(p.share) },
    { head: 'Targets', width: 7, align: 'right', priority: 2, cell: (p) => String(p.targets) },
  ];
}

export const caseColor = (head: string, c: CaseRow): string | undefined => {
  if (head !== 'Verdict') return undefined;
  const v = verdictOf(c);
  return v in VERDICT_COLORS ? VERDICT_COLORS[v as keyof typeof VERDICT_COLORS] : 'red';
};

export const RUN_COLUMNS: TableColumn<RunRow>[] = [
  { head: 'Run', width: 24, priority: 0, cell: (r) => r.id },
  { head: 'Status', width: 11, priority: 0, cell: (r) => r.status },
  { head: 'Judge', width: 7, priority: 2, cell: (r) => oneLine(r.judge) },
  { head: 'Started', width: 16, priority: 1, cell: (r) => r.startedAt.slice(0, 16).replace('T', ' ') },
  { head: 'Label', width: 0, priority: 0, cell: (r) => oneLine(r.label ?? '') },
];
