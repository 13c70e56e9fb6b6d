import type { FailureKind } from '../domain/types.js';
import type { Comparison } from './compare/comparison.js';
import type { ReportModel, ReportRunMeta } from './model.js';

/**
 * A trend (issue 15, `govbench trend`): scored runs lined up in the order given — years, months,
 * releases — and, per target, its technical support in each and the change between the first and
 * the last run it appears in. Plain data, JSON-serialisable; rendered by `src/reports/trend/`.
 */

/** One column of a trend: a run, or one target of a run (`RUN:TARGET`), scored. */
export interface TrendColumn {
  run: ReportRunMeta;
  /** The target the selector named; null for the whole run. */
  target: string | null;
  /** The run's report model; with a named target, scored on that target's cases alone. */
  model: Pick<ReportModel, 'targets' | 'matters' | 'painPoints'>;
}

/** Which target of each column a line of the trend follows; null where it has no case there. */
export interface SeriesSpec {
  /** The target id, or the ids joined by `→` when named targets differ (releases of one chatbot). */
  id: string;
  name: string;
  /** Per column. */
  targets: (string | null)[];
}

/** A target's technical support in one column; all null where the target is missing (a gap, not a zero). */
export interface TrendPoint {
  /** Run id. */
  run: string;
  /** The target scored in this column; null where missing. */
  target: string | null;
  technicalSupport: number | null;
  /** Its bootstrap interval. */
  low: number | null;
  high: number | null;
}

/**
 * The change of one target between the first and the last column it appears in, paired over the
 * cases (question, variant, repeat) both runs asked: what `govbench compare` measures of the two.
 */
export interface TrendChange {
  /** Column indices (0-based) of the two runs compared. */
  from: number;
  to: number;
  /** Technical support, last − first, over the paired cases. */
  delta: number | null;
  /** The paired cluster bootstrap interval of `delta` (questions resampled on both sides together). */
  low: number | null;
  high: number | null;
  /** McNemar's exact test on regressed vs fixed pairs: `pValue < alpha`, in either direction. */
  significant: boolean;
  pValue: number;
  /** Pairs that went from correct to not, and back. */
  regressed: number;
  fixed: number;
  pairs: number;
}

export interface TrendSeries {
  id: string;
  name: string;
  /** One per column, in column order. */
  points: TrendPoint[];
  /** Null when the target appears in fewer than two columns, or no case of the two pairs. */
  change: TrendChange | null;
}

/** One failure kind on one matter: its share of the matter's cases in each column. */
export interface PainPointTrend {
  kind: FailureKind;
  /** Matter id. */
  matter: string;
  /** Cases of this kind ÷ the matter's finished cases, 0–1, per column; null where the matter was not asked. */
  shares: (number | null)[];
  /** Absent in the first column that asked the matter, present in the last. */
  appeared: boolean;
  /** Present in the first column that asked the matter, absent in the last. */
  gone: boolean;
}

export interface Trend {
  columns: { run: ReportRunMeta; target: string | null }[];
  targets: TrendSeries[];
  painPoints: PainPointTrend[];
  /** The significance level of `change.significant`. */
  alpha: number;
  /** The confidence of every interval. */
  confidence: number;
  /** Not every run asked the same banks (by hash): changes are over the questions both asked. */
  banksDiffer: boolean;
}

/** A target counts in a column when it has a finished case there; a planned target never asked is a gap. */
function present(column: TrendColumn, targetId: string): boolean {
  return column.model.targets.some((t) => t.id === targetId && t.cases > 0);
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/**
 * The lines of a trend. With named targets (`RUN:TARGET` in every column), one line through them.
 * Otherwise one line per target id, ordered as the last run's leaderboard, then targets missing from
 * it as the run before last ranks them, and so on.
 */
export function trendSeries(columns: readonly TrendColumn[]): SeriesSpec[] {
  if (columns.length > 0 && columns.every((c) => c.target !== null)) {
    const targets = columns.map((c) => (present(c, c.target!) ? c.target : null));
    const ids = unique(columns.map((c) => c.target!));
    const names = unique(ids.map((id) => nameOf(columns, id)));
    return [{ id: ids.join('→'), name: names.join(' → '), targets }];
  }
  const order: string[] = [];
  for (const c of [...columns].reverse()) {
    for (const t of c.model.targets) if (t.cases > 0 && !order.includes(t.id)) order.push(t.id);
  }
  return order.map((id) => ({ id, name: nameOf(columns, id), targets: columns.map((c) => (present(c, id) ? id : null)) }));
}

/** The name in the latest column that has the target. */
function nameOf(columns: readonly TrendColumn[], id: string): string {
  for (let i = columns.length - 1; i >= 0; i--) {
    const t = columns[i]!.model.targets.find((x) => x.id === id);
    if (t) return t.name;
  }
  return id;
}

/** The first and the last column a line appears in; null when it appears in fewer than two. */
export function changeSpan(spec: SeriesSpec): { from: number; to: number } | null {
  const from = spec.targets.findIndex((t) => t !== null);
  const to = spec.targets.findLastIndex((t) => t !== null);
  return from === -1 || from === to ? null : { from, to };
}

function pointOf(column: TrendColumn, targetId: string | null): TrendPoint {
  const t = targetId === null ? undefined : column.model.targets.find((x) => x.id === targetId);
  const iv = t?.intervals.technicalSupport ?? null;
  return {
    run: column.run.id,
    target: t ? t.id : null,
    technicalSupport: t?.scores.technicalSupport ?? null,
    low: iv ? iv[0] : null,
    high: iv ? iv[1] : null,
  };
}

/** A comparison of a line's first and last columns, as the trend keeps it. */
export function trendChange(span: { from: number; to: number }, c: Comparison): TrendChange {
  return {
    ...span,
    delta: c.scoreDelta.value,
    low: c.scoreDelta.low,
    high: c.scoreDelta.high,
    significant: c.significant,
    pValue: c.pValue,
    regressed: c.regressed,
    fixed: c.fixed,
    pairs: c.pairs,
  };
}

/**
 * Assembles a trend from its scored columns, its lines, and each line's change (from `trendChange`,
 * computed by the caller from the stored cases; null where nothing could be compared).
 */
export function buildTrend(
  columns: readonly TrendColumn[],
  specs: readonly SeriesSpec[],
  changes: readonly (TrendChange | null)[],
  stats: { alpha: number; confidence: number },
): Trend {
  return {
    columns: columns.map((c) => ({ run: c.run, target: c.target })),
    targets: specs.map((s, i) => ({
      id: s.id,
      name: s.name,
      points: columns.map((c, j) => pointOf(c, s.targets[j] ?? null)),
      change: changes[i] ?? null,
    })),
    painPoints: painPointTrend(columns.map((c) => c.model)),
    ...stats,
    banksDiffer: unique(columns.map((c) => c.run.banksHash)).length > 1,
  };
}

/**
 * Pain points by failure kind and matter across columns. A column's share is the kind's cases on the
 * matter (over all its aspects) ÷ the matter's finished cases there, so columns of different size
 * compare; null where the matter was not asked. Ordered by the latest share, then the largest, then
 * kind and matter.
 */
export function painPointTrend(models: readonly Pick<ReportModel, 'matters' | 'painPoints'>[]): PainPointTrend[] {
  const cases = new Map<string, number[]>();
  const keyOf = (kind: string, matter: string): string => `${kind}\u0000${matter}`;
  models.forEach((m, i) => {
    for (const p of m.painPoints) {
      const key = keyOf(p.kind, p.matter);
      let row = cases.get(key);
      if (!row) cases.set(key, (row = models.map(() => 0)));
      row[i]! += p.cases;
    }
  });
  const trends: PainPointTrend[] = [];
  for (const [key, counts] of cases) {
    const [kind, matter] = key.split('\u0000') as [FailureKind, string];
    const shares = counts.map((n, i) => {
      const asked = models[i]!.matters.find((m) => m.id === matter)?.cases ?? 0;
      return asked === 0 ? null : n / asked;
    });
    const measured = shares.filter((s): s is number => s !== null);
    const first = measured[0] ?? 0;
    const last = measured[measured.length - 1] ?? 0;
    trends.push({ kind, matter, shares, appeared: measured.length > 1 && first === 0 && last > 0, gone: measured.length > 1 && first > 0 && last === 0 });
  }
  const latest = (p: PainPointTrend): number => p.shares.findLast((s) => s !== null) ?? 0;
  const largest = (p: PainPointTrend): number => Math.max(0, ...p.shares.map((s) => s ?? 0));
  return trends.sort(
    (a, b) => latest(b) - latest(a) || largest(b) - largest(a) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.matter < b.matter ? -1 : a.matter > b.matter ? 1 : 0),
  );
}
