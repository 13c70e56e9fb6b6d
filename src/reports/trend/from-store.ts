import type { CaseRecord, RunRow, Store } from '../../domain/types.js';
import { judgeOfRecord } from '../../judge/modes.js';
import { compareRuns } from '../../scoring/compare/compare-runs.js';
import type { CompareSide } from '../../scoring/compare/comparison.js';
import { resolveScoringConfig } from '../../scoring/config.js';
import { buildTrend, changeSpan, trendChange, trendSeries, type Trend, type TrendChange, type TrendColumn } from '../../scoring/trend.js';
import { UserError } from '../../util/errors.js';
import { parseCompareSelector, type CompareSelector } from '../compare/from-store.js';
import { loadReportModel, runMeta } from '../from-store.js';

/** The significance level unless given, as `compare` has it. */
const DEFAULT_ALPHA = 0.05;

export interface TrendOptions {
  /** Significance level of each target's change (McNemar's exact test). @default 0.05 */
  alpha?: number;
  /** The scoring section of the configuration (defaults when absent). */
  scoring?: unknown;
}

/**
 * Reads `RUN` or `RUN:TARGET` selectors, as `compare` does; either every one names a target or none.
 * @example parseTrendSelectors(['r2024', 'r2025', 'latest'])
 */
export function parseTrendSelectors(texts: readonly string[]): CompareSelector[] {
  if (texts.length < 2) {
    throw new UserError(`[govbench] [trend] a trend needs at least two runs, got ${texts.length}`, 'e.g. govbench trend r2024 r2025 latest');
  }
  const selectors = texts.map(parseCompareSelector);
  const named = selectors.filter((s) => s.target !== undefined).length;
  if (named !== 0 && named !== selectors.length) {
    throw new UserError('[govbench] [trend] name a target in every run or in none', 'e.g. latest:sim-province-v1 latest:sim-province-v2');
  }
  return selectors;
}

function columnOf(store: Store, row: RunRow, selector: CompareSelector, scoring: unknown): TrendColumn {
  const target = selector.target ?? null;
  if (target !== null && !store.runTargets(row.id).some((t) => t.id === target)) {
    throw new UserError(
      `[govbench] [trend] run ${row.id} has no target "${target}"`,
      `its targets: ${store.runTargets(row.id).map((t) => t.id).join(', ') || '(none)'}`,
    );
  }
  // A named target is scored alone, so the run's pain points and matter counts are that target's.
  const only = (records: Iterable<CaseRecord>): Iterable<CaseRecord> => (target === null ? records : onlyTarget(records, target));
  return { run: runMeta(row), target, model: loadReportModel(store, row.id, scoring, {}, only) };
}

function* onlyTarget(records: Iterable<CaseRecord>, targetId: string): Iterable<CaseRecord> {
  for (const r of records) if (r.targetId === targetId) yield r;
}

function sideOf(store: Store, row: RunRow, targetId: string): CompareSide {
  return {
    run: runMeta(row),
    targets: store.runTargets(row.id).map((t) => ({ id: t.id, name: t.name, role: t.role })),
    cases: store.caseRecords(row.id, judgeOfRecord(row.judge), { targetId }),
  };
}

/**
 * Lines up stored runs (`latest`, ids, or `RUN:TARGET`) in the order given: each target's technical
 * support per run, and its change between the first and last run it appears in, paired case by case
 * exactly as `compare` pairs them (one target's cases read from each of the two runs).
 * @example trendFromStore(store, ['r2024', 'r2025', 'latest'])
 */
export function trendFromStore(store: Store, selectorTexts: readonly string[], options: TrendOptions = {}): Trend {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  // Checked here, not left to compareRuns: its user errors below mean "nothing paired".
  if (!(alpha > 0 && alpha < 1)) throw new UserError(`[govbench] [trend] alpha must be between 0 and 1 (exclusive), got ${alpha}`, 'e.g. 0.05');
  const config = resolveScoringConfig(options.scoring);
  const selectors = parseTrendSelectors(selectorTexts);
  const rows = selectors.map((s) => store.getRun(s.run));
  const columns = selectors.map((s, i) => columnOf(store, rows[i]!, s, options.scoring));
  const specs = trendSeries(columns);
  const changes = specs.map((spec): TrendChange | null => {
    const span = changeSpan(spec);
    if (!span) return null;
    const [baseline, candidate] = [spec.targets[span.from]!, spec.targets[span.to]!];
    try {
      const comparison = compareRuns(sideOf(store, rows[span.from]!, baseline), sideOf(store, rows[span.to]!, candidate), {
        alpha,
        scoring: config,
        targets: { baseline, candidate },
      });
      return trendChange(span, comparison);
    } catch (err) {
      // Nothing paired (the two runs asked this target no question in common): a gap, not a failure of the trend.
      if (err instanceof UserError) return null;
      throw err;
    }
  });
  return buildTrend(columns, specs, changes, { alpha, confidence: config.bootstrap.confidence });
}
