import type { ReportRunMeta } from '../../scoring/model.js';
import type { PainPointTrend, Trend, TrendChange, TrendPoint } from '../../scoring/trend.js';

/** Bumped when a key changes meaning or disappears; adding keys does not bump it. */
const TREND_JSON_VERSION = 1;

/**
 * `trend --format json`: the keys of issue 15 first (`runs`, `targets[].points`, `targets[].change`,
 * `painPoints[].shares`), then more. Scores on 0–100 rounded to 2 decimals, shares 0–1 to 4; `null`
 * where nothing was measured — a target missing from a run has a point of nulls, never a zero.
 */
interface TrendJson {
  /** Run ids, one per column, in the order given. */
  runs: string[];
  targets: {
    id: string;
    name: string;
    points: TrendPoint[];
    /** Between the first and last column the target appears in (`from`, `to`: column indices); null if fewer than two. */
    change: TrendChange | null;
  }[];
  painPoints: PainPointTrend[];
  /** Per column: the run and the target a `RUN:TARGET` selector named (else null). */
  columns: { run: string; label: string | null; target: string | null; startedAt: string; status: ReportRunMeta['status']; banksHash: string }[];
  alpha: number;
  confidence: number;
  banksDiffer: boolean;
  trendVersion: number;
}

const r2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
const r4 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10_000) / 10_000);

/** The trend as JSON data. */
export function toTrendJson(t: Trend): TrendJson {
  return {
    runs: t.columns.map((c) => c.run.id),
    targets: t.targets.map((s) => ({
      id: s.id,
      name: s.name,
      points: s.points.map((p) => ({ ...p, technicalSupport: r2(p.technicalSupport), low: r2(p.low), high: r2(p.high) })),
      change: s.change && { ...s.change, delta: r2(s.change.delta), low: r2(s.change.low), high: r2(s.change.high) },
    })),
    painPoints: t.painPoints.map((p) => ({ ...p, shares: p.shares.map(r4) })),
    columns: t.columns.map(({ run, target }) => ({ run: run.id, label: run.label, target, startedAt: run.startedAt, status: run.status, banksHash: run.banksHash })),
    alpha: t.alpha,
    confidence: t.confidence,
    banksDiffer: t.banksDiffer,
    trendVersion: TREND_JSON_VERSION,
  };
}

/** The trend as pretty-printed JSON, without a trailing newline. */
export function renderTrendJson(t: Trend): string {
  return JSON.stringify(toTrendJson(t), null, 2);
}
