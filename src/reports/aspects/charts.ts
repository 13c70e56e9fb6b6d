import type { BarSeriesOption } from 'echarts/charts';
import { EVALUATION_ASPECTS } from '../../domain/types.js';
import type { AspectsReport } from '../../scoring/aspects.js';
import { stripUnsafe } from '../../text/sanitize.js';
import { REGION_LABELS, truncate } from '../format.js';
import { renderSvg, SCORE_COLORS } from '../html/charts.js';
import { ASPECT_LABELS } from './labels.js';

const AXIS_LABEL = { fontSize: 11, color: '#333' };
const OVERALL_COLOR = '#212121';

/** ECharts escapes chart text itself; controls are dropped here and long names cut so axes stay legible. */
const label = (text: string, width = 18): string => truncate(stripUnsafe(text).replace(/\s+/g, ' '), width);
const value = (v: number | null): number | '-' => (v === null ? '-' : Math.round(v * 10) / 10);
const oneDecimal = (p: { value?: unknown }): string => (typeof p.value === 'number' ? p.value.toFixed(1) : '');

const aspectSeries = <T>(items: readonly T[], score: (item: T, aspect: (typeof EVALUATION_ASPECTS)[number]) => number | null): BarSeriesOption[] =>
  EVALUATION_ASPECTS.map((a, i) => ({ type: 'bar', name: ASPECT_LABELS[a], itemStyle: { color: SCORE_COLORS[i + 1] }, data: items.map((it) => value(score(it, a))) }));

/** Every city's four aspect scores as grouped bars, in rank order; a missing aspect has no bar. */
export function cityAspectsChart(r: AspectsReport): string | null {
  if (r.cities.length === 0) return null;
  return renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 150, right: 24, top: 56, bottom: 16 },
      xAxis: { type: 'value', min: 0, max: 100, position: 'top' },
      yAxis: { type: 'category', inverse: true, data: r.cities.map((c) => label(c.name)), axisLabel: AXIS_LABEL },
      series: aspectSeries(r.cities, (c, a) => c.scores[a]),
    },
    960,
    80 + 48 * r.cities.length,
  );
}

/** Each region's mean overall and aspect means, with its best city under its name. */
export function regionAspectsChart(r: AspectsReport): string | null {
  if (r.regions.length === 0) return null;
  const categories = r.regions.map((g) => `${REGION_LABELS[g.id]} ${g.id}${g.bestName ? `\n最佳 best: ${label(g.bestName, 14)}` : ''}`);
  const overall: BarSeriesOption = {
    type: 'bar',
    name: '总分 Overall',
    itemStyle: { color: OVERALL_COLOR },
    label: { show: true, position: 'top', fontSize: 10, formatter: oneDecimal },
    data: r.regions.map((g) => value(g.overall)),
  };
  return renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 56, bottom: 56 },
      xAxis: { type: 'category', data: categories, axisLabel: { ...AXIS_LABEL, interval: 0 } },
      yAxis: { type: 'value', min: 0, max: 100, name: 'score' },
      series: [overall, ...aspectSeries(r.regions, (g, a) => g.scores[a])],
    },
    960,
    400,
  );
}

/** The most frequent failure kinds of the pain-point catalogue, by cases. */
export function painKindsChart(r: AspectsReport, top = 10): string | null {
  const kinds = r.painKinds.slice(0, top);
  if (kinds.length === 0) return null;
  return renderSvg(
    {
      grid: { left: 170, right: 48, top: 28, bottom: 16 },
      xAxis: { type: 'value', name: 'cases', position: 'top', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: kinds.map((k) => k.kind), axisLabel: AXIS_LABEL },
      series: [{ type: 'bar', name: 'cases', itemStyle: { color: '#c62828' }, label: { show: true, position: 'right', fontSize: 10 }, data: kinds.map((k) => k.cases) }],
    },
    720,
    60 + 28 * kinds.length,
  );
}
