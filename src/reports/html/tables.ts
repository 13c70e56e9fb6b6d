import type { ErrorKind, Grade } from '../../domain/types.js';
import { errorKindLabel } from '../error-kinds.js';
import type { BreakdownReport, ReportModel, ScoreSet } from '../../scoring/model.js';
import { fmtGap, fmtInterval, fmtMs, fmtRank, fmtScore, fmtShare, GRADE_LABELS, MISSING, REGION_LABELS } from '../format.js';
import { SCORE_LABELS, SCORE_ORDER } from './chart-options.js';
import { esc } from './escape.js';
import { ROUTE_LABELS, ROUTES_NOTE, routeShares } from '../routes.js';

/**
 * A table cell. Plain strings are escaped here; `html` is for markup this module builds from escaped
 * parts. `sort` is the value numeric columns sort by (`null`: unmeasured, always sorted last).
 */
export type Cell = string | { text?: string; html?: string; sort?: number | null };

export interface Column {
  label: string;
  /** Sorted by number (from `Cell.sort`) rather than by text. */
  num?: boolean;
}

export const num = (v: number | null, text = fmtScore(v)): Cell => ({ text, sort: v });
export const int = (n: number): Cell => ({ text: String(n), sort: n });

function td(c: Cell, numeric: boolean): string {
  if (typeof c === 'string') return `<td>${esc(c)}</td>`;
  const body = c.html ?? esc(c.text ?? '');
  const sort = numeric ? ` data-sort="${c.sort == null ? '' : String(c.sort)}"` : '';
  return `<td${numeric ? ' class="num"' : ''}${sort}>${body}</td>`;
}

/** A table the page script sorts when a header is clicked (or focused and Enter pressed). */
export function sortableTable(id: string, columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const head = columns.map((c) => `<th scope="col"${c.num ? ' data-type="num" class="num"' : ''}>${esc(c.label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => td(c, columns[i]?.num === true)).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table class="sortable" id="${esc(id)}"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

const GRADE_ORDER: Readonly<Record<Grade, number>> = { poor: 0, average: 1, good: 2, excellent: 3 };

/** A grade in its colour; sorts from poor to excellent. */
export function gradeBadge(grade: Grade | null): Cell {
  if (grade === null) return { html: MISSING, sort: null };
  return { html: `<span class="badge g-${grade}">${esc(GRADE_LABELS[grade])} ${grade}</span>`, sort: GRADE_ORDER[grade] };
}

const scoreColumns = (): Column[] => SCORE_ORDER.map((n) => ({ label: SCORE_LABELS[n], num: true }));
const scoreCells = (s: ScoreSet): Cell[] => SCORE_ORDER.map((n) => num(s[n]));

export function leaderboardTable(model: ReportModel): string {
  const pct = Math.round(model.config.bootstrap.confidence * 100);
  const rows = model.targets.map((t) => {
    const iv = t.intervals.technicalSupport;
    return [
      { text: fmtRank(t.rank, t.tied), sort: t.rank },
      t.name,
      `${REGION_LABELS[t.region]} ${t.region}`,
      gradeBadge(t.grade),
      ...scoreCells(t.scores).slice(0, 1),
      { text: fmtInterval(iv), sort: iv ? iv[0] : null },
      ...scoreCells(t.scores).slice(1),
      int(t.cases),
      int(t.errors),
      int(t.unjudged),
      num(t.latency.p50Ms, fmtMs(t.latency.p50Ms)),
      num(t.latency.p95Ms, fmtMs(t.latency.p95Ms)),
    ];
  });
  const cols = scoreColumns();
  return sortableTable(
    'leaderboard-table',
    [
      { label: 'Rank', num: true },
      { label: 'Target' },
      { label: 'Region' },
      { label: 'Grade', num: true },
      cols[0]!,
      { label: `${pct}% interval`, num: true },
      ...cols.slice(1),
      { label: 'Cases', num: true },
      { label: 'Errors', num: true },
      { label: 'Unjudged', num: true },
      { label: 'p50', num: true },
      { label: 'p95', num: true },
    ],
    rows,
  );
}

export function regionsTable(model: ReportModel): string {
  const rows = model.regions.map((r) => [`${REGION_LABELS[r.id]} ${r.id}`, int(r.targets.length), ...scoreCells(r.scores), r.bestName ?? MISSING]);
  return sortableTable('regions-table', [{ label: 'Region' }, { label: 'Targets', num: true }, ...scoreColumns(), { label: 'Best' }], rows);
}

export function breakdownTable(id: string, items: readonly BreakdownReport[]): string {
  const rows = items.map((b) => [b.name ? `${b.name} (${b.id})` : b.id, int(b.cases), int(b.errors), ...scoreCells(b.scores)]);
  return sortableTable(id, [{ label: 'Id' }, { label: 'Cases', num: true }, { label: 'Errors', num: true }, ...scoreColumns()], rows);
}

export function stylesTable(model: ReportModel): string {
  const gap = (v: number | null | undefined): Cell => num(v ?? null, fmtGap(v ?? null));
  const rows = model.styles.map((s) => [
    s.style,
    int(s.cases),
    num(s.scores.accuracy),
    gap(s.gap?.accuracy),
    num(s.scores.intent),
    gap(s.gap?.intent),
    num(s.scores.technicalSupport),
    gap(s.gap?.technicalSupport),
  ]);
  const n = (label: string): Column => ({ label, num: true });
  return sortableTable(
    'styles-table',
    [{ label: 'Style' }, n('Cases'), n('Accuracy'), n('Accuracy gap'), n('Intent'), n('Intent gap'), n('Technical support'), n('TS gap')],
    rows,
  );
}

/** Every target's off-diagonal confusions, up to `perTarget` each (the JSON report has them all). */
export function confusionsTable(model: ReportModel, perTarget = 10): string | null {
  const rows = model.targets.flatMap((t) =>
    t.confusion.top.slice(0, perTarget).map((c) => [t.name, c.asked, c.addressed, int(c.count), num(c.share, fmtShare(c.share))]),
  );
  if (rows.length === 0) return null;
  return sortableTable(
    'confusions-table',
    [{ label: 'Target' }, { label: 'Asked' }, { label: 'Addressed instead' }, { label: 'Answers', num: true }, { label: 'Share', num: true }],
    rows,
  );
}

/** How answered cases reached their answer, per target; null when every case was answered directly. */
export function routesTable(model: ReportModel): string | null {
  const rows = routeShares(model);
  if (!rows) return null;
  const share = (v: number): Cell => num(v, fmtShare(v));
  const table = sortableTable(
    'routes-table',
    [{ label: 'Target' }, { label: 'Answered', num: true }, ...(['direct', 'followed', 'left'] as const).map((r) => ({ label: ROUTE_LABELS[r], num: true }))],
    rows.map((r) => [r.name, int(r.answered), share(r.shares.direct), share(r.shares.followed), share(r.shares.left)]),
  );
  return `<h3>Suggested questions</h3>\n<p class="note">${esc(ROUTES_NOTE)}</p>\n${table}`;
}

export function failuresTable(model: ReportModel): string | null {
  const failing = model.targets.filter((t) => t.errors > 0);
  if (failing.length === 0) return null;
  const kinds = [...new Set(failing.flatMap((t) => Object.keys(t.errorKinds) as ErrorKind[]))].sort();
  const rows = failing.map((t) => [t.name, int(t.cases), int(t.errors), ...kinds.map((k) => int(t.errorKinds[k] ?? 0))]);
  return sortableTable(
    'failures-table',
    [{ label: 'Target' }, { label: 'Cases', num: true }, { label: 'Failures', num: true }, ...kinds.map((k) => ({ label: errorKindLabel(k), num: true }))],
    rows,
  );
}
