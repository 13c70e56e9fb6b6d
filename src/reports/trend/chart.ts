import type { LineSeriesOption } from 'echarts/charts';
import type { Trend, TrendSeries } from '../../scoring/trend.js';
import { stripUnsafe } from '../../text/sanitize.js';
import { renderSvg } from '../html/charts.js';
import { truncate } from '../format.js';
import { columnLabel } from './labels.js';

const LINE = '#1565c0';
const BAND = '#bbdefb';

const gap = (v: number | null): number | '-' => (v === null ? '-' : Math.round(v * 10) / 10);

/** An axis from the decade below the lowest value to the one above the highest, within 0–100. */
const floorTen = (v: { min: number }): number => Math.max(0, Math.floor(v.min / 10) * 10 - 10);
const ceilTen = (v: { max: number }): number => Math.min(100, Math.ceil(v.max / 10) * 10 + 10);

/**
 * One target's technical support across the trend's runs: the score as a line with a point per run,
 * its bootstrap interval as a band (the low edge stacked with the width above it), a gap where the
 * target is missing.
 */
export function trendChart(t: Trend, s: TrendSeries): string {
  // ECharts escapes chart text; controls are dropped and long labels cut so the axis stays legible.
  const categories = t.columns.map((c) => truncate(stripUnsafe(columnLabel(c)).replace(/\s+/g, ' '), 14));
  const quiet = { lineStyle: { opacity: 0 }, symbol: 'none', silent: true, stack: 'interval' } as const;
  const series: LineSeriesOption[] = [
    { ...quiet, type: 'line', name: 'low', data: s.points.map((p) => gap(p.low)) },
    {
      ...quiet,
      type: 'line',
      name: 'interval',
      areaStyle: { color: BAND, opacity: 0.9 },
      data: s.points.map((p) => (p.low === null || p.high === null ? '-' : gap(p.high - p.low))),
    },
    {
      type: 'line',
      name: 'technical support',
      data: s.points.map((p) => gap(p.technicalSupport)),
      itemStyle: { color: LINE },
      lineStyle: { color: LINE, width: 2 },
      symbol: 'circle',
      symbolSize: 7,
      label: { show: true, position: 'top', fontSize: 10 },
    },
  ];
  return renderSvg(
    {
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: categories, axisLabel: { fontSize: 10, color: '#333', interval: 0 } },
      yAxis: { type: 'value', min: floorTen, max: ceilTen, name: '' },
      series,
    },
    460,
    220,
  );
}
