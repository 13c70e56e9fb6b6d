import type { BarSeriesOption, CustomSeriesOption } from 'echarts/charts';
import type { Grade, ScoreName } from '../../domain/types.js';
import type { ReportModel } from '../../scoring/model.js';
import { stripUnsafe } from '../../text/sanitize.js';
import { fmtRank, GRADE_LABELS, REGION_LABELS, truncate } from '../format.js';
import { GRADE_COLORS, renderSvg, SCORE_COLORS } from './charts.js';

/** Scores in the order every chart and table shows them. */
export const SCORE_ORDER: readonly ScoreName[] = ['technicalSupport', 'accuracy', 'intent', 'availability', 'responsiveness'];

export const SCORE_LABELS: Readonly<Record<ScoreName, string>> = {
  technicalSupport: 'Technical support',
  accuracy: 'Accuracy',
  intent: 'Intent',
  availability: 'Availability',
  responsiveness: 'Responsiveness',
};

const GRADES: readonly Grade[] = ['excellent', 'good', 'average', 'poor'];
const WIDTH = 960;
const AXIS_LABEL = { fontSize: 11, color: '#333' };

/** ECharts escapes chart text; controls are dropped here and long names cut so axes stay legible. */
const label = (text: string, width = 18): string => truncate(stripUnsafe(text).replace(/\s+/g, ' '), width);
const valueOrGap = (v: number | null): number | '-' => (v === null ? '-' : Math.round(v * 10) / 10);
const oneDecimal = (p: { value?: unknown }): string => {
  const v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
  return typeof v === 'number' ? v.toFixed(1) : '';
};

/** Grouped bars of the five scores per region; each region's best target under its name. */
export function regionChart(model: ReportModel): string | null {
  if (model.regions.length === 0) return null;
  const categories = model.regions.map((r) => `${REGION_LABELS[r.id]} ${r.id}${r.bestName ? `\n最佳 best: ${label(r.bestName, 14)}` : ''}`);
  const series: BarSeriesOption[] = SCORE_ORDER.map((name, i) => ({
    type: 'bar',
    name: SCORE_LABELS[name],
    data: model.regions.map((r) => valueOrGap(r.scores[name])),
    itemStyle: { color: SCORE_COLORS[i] },
    ...(name === 'technicalSupport' && { label: { show: true, position: 'top', fontSize: 10, formatter: oneDecimal } }),
  }));
  return renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 56 },
      xAxis: { type: 'category', data: categories, axisLabel: { ...AXIS_LABEL, interval: 0 } },
      yAxis: { type: 'value', min: 0, max: 100, name: 'score' },
      series,
    },
    WIDTH,
    380,
  );
}

type RenderItem = NonNullable<CustomSeriesOption['renderItem']>;

/** An interval drawn as a horizontal whisker: a line from low to high with end caps. */
const whisker: RenderItem = (_params, api) => {
  const y = api.value(0) as number;
  const lo = api.coord([api.value(1), y]);
  const hi = api.coord([api.value(2), y]);
  const cap = (api.size?.([0, 1]) as number[])[1]! * 0.25;
  const style = { stroke: '#212121', lineWidth: 1.5 };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
      { type: 'line', shape: { x1: lo[0], y1: lo[1]! - cap, x2: lo[0], y2: lo[1]! + cap }, style },
      { type: 'line', shape: { x1: hi[0], y1: hi[1]! - cap, x2: hi[0], y2: hi[1]! + cap }, style },
    ],
  };
};

/** Targets by rank: technical support coloured by grade, the bootstrap interval as a whisker, grade bands as lines. */
export function rankingChart(model: ReportModel): string | null {
  if (model.targets.length === 0) return null;
  const ts = model.targets;
  const bands = model.config.grades;
  return renderSvg(
    {
      grid: { left: 170, right: 24, top: 28, bottom: 28 },
      xAxis: { type: 'value', min: 0, max: 100, position: 'top' },
      yAxis: {
        type: 'category',
        inverse: true,
        data: ts.map((t) => `${fmtRank(t.rank, t.tied)}  ${label(t.name)}`),
        axisLabel: AXIS_LABEL,
      },
      series: [
        {
          type: 'bar',
          name: SCORE_LABELS.technicalSupport,
          barWidth: '60%',
          data: ts.map((t) => ({ value: valueOrGap(t.scores.technicalSupport), itemStyle: { color: GRADE_COLORS[t.grade ?? 'none'] } })),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { type: 'dashed', color: '#757575' },
            label: { formatter: '{b}', fontSize: 10 },
            data: GRADES.slice(0, 3).map((g) => ({ xAxis: bands[g as Exclude<Grade, 'poor'>], name: `${g} ${bands[g as Exclude<Grade, 'poor'>]}` })),
          },
        },
        {
          type: 'custom',
          name: 'interval',
          renderItem: whisker,
          encode: { x: [1, 2], y: 0 },
          z: 10,
          data: ts.flatMap((t, i) => (t.intervals.technicalSupport ? [[i, ...t.intervals.technicalSupport]] : [])),
        },
      ],
    },
    WIDTH,
    64 + 22 * ts.length,
  );
}

/** How many targets got each grade. */
export function gradeChart(model: ReportModel): string | null {
  if (model.targets.length === 0) return null;
  const keys = [...GRADES, 'none'] as const;
  const count = (k: (typeof keys)[number]): number => model.targets.filter((t) => (t.grade ?? 'none') === k).length;
  const bands = model.config.grades;
  const names = {
    excellent: `${GRADE_LABELS.excellent} excellent ≥ ${bands.excellent}`,
    good: `${GRADE_LABELS.good} good ≥ ${bands.good}`,
    average: `${GRADE_LABELS.average} average ≥ ${bands.average}`,
    poor: `${GRADE_LABELS.poor} poor`,
    none: 'unscored',
  };
  return renderSvg(
    {
      grid: { left: 40, right: 16, top: 24, bottom: 56 },
      xAxis: { type: 'category', data: keys.map((k) => names[k]), axisLabel: { ...AXIS_LABEL, interval: 0, width: 90, overflow: 'break' } },
      yAxis: { type: 'value', minInterval: 1, name: 'targets' },
      series: [
        {
          type: 'bar',
          name: 'targets',
          label: { show: true, position: 'top' },
          data: keys.map((k) => ({ value: count(k), itemStyle: { color: GRADE_COLORS[k] } })),
        },
      ],
    },
    560,
    320,
  );
}

/** Technical support of every target on every matter, coloured by grade band. */
export function matterHeatmap(model: ReportModel): string | null {
  const { matters, targets } = model;
  if (matters.length === 0 || targets.length === 0) return null;
  const data: [number, number, number][] = [];
  targets.forEach((t, row) =>
    matters.forEach((m, col) => {
      const v = m.byTarget[t.id]?.technicalSupport;
      if (v != null) data.push([col, row, Math.round(v * 10) / 10]);
    }),
  );
  const b = model.config.grades;
  return renderSvg(
    {
      grid: { left: 170, right: 16, top: 64, bottom: 8 },
      xAxis: { type: 'category', position: 'top', data: matters.map((m) => label(m.name ?? m.id, 16)), axisLabel: { ...AXIS_LABEL, interval: 0 } },
      yAxis: { type: 'category', inverse: true, data: targets.map((t) => label(t.name)), axisLabel: AXIS_LABEL },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        orient: 'horizontal',
        top: 0,
        left: 'center',
        pieces: [
          { min: b.excellent, color: GRADE_COLORS.excellent, label: `≥ ${b.excellent}` },
          { min: b.good, lt: b.excellent, color: GRADE_COLORS.good, label: `${b.good}–${b.excellent}` },
          { min: b.average, lt: b.good, color: GRADE_COLORS.average, label: `${b.average}–${b.good}` },
          { lt: b.average, color: GRADE_COLORS.poor, label: `< ${b.average}` },
        ],
      },
      series: [{ type: 'heatmap', name: SCORE_LABELS.technicalSupport, data, label: { show: true, color: '#fff', fontSize: 10, formatter: oneDecimal } }],
    },
    Math.max(560, 190 + 110 * matters.length),
    80 + 24 * targets.length,
  );
}

/** Time to the first reply per target: median and 95th percentile, with the full-marks line. */
export function latencyChart(model: ReportModel): string | null {
  const ts = model.targets.filter((t) => t.latency.p50Ms !== null);
  if (ts.length === 0) return null;
  const sec = (ms: number | null): number | '-' => (ms === null ? '-' : Math.round(ms / 10) / 100);
  const fullS = model.config.responsiveness.fullMs / 1000;
  return renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 170, right: 32, top: 48, bottom: 28 },
      xAxis: { type: 'value', name: 's', position: 'top', min: 0 },
      yAxis: { type: 'category', inverse: true, data: ts.map((t) => label(t.name)), axisLabel: AXIS_LABEL },
      series: [
        {
          type: 'bar',
          name: 'p50 first reply',
          itemStyle: { color: '#64b5f6' },
          data: ts.map((t) => sec(t.latency.p50Ms)),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { type: 'dashed', color: '#2e7d32' },
            label: { formatter: `full marks ≤ ${fullS} s`, fontSize: 10 },
            data: [{ xAxis: fullS }],
          },
        },
        { type: 'bar', name: 'p95 first reply', itemStyle: { color: '#1565c0' }, data: ts.map((t) => sec(t.latency.p95Ms)) },
        { type: 'bar', name: 'p95 finished reply', itemStyle: { color: '#90a4ae' }, data: ts.map((t) => sec(t.latency.totalP95Ms)) },
      ],
    },
    WIDTH,
    80 + 30 * ts.length,
  );
}

/** Canonical − style score per variant style, averaged over targets; positive bars: worse on that phrasing. */
export function robustnessChart(model: ReportModel): string | null {
  const styles = model.styles.filter((s) => s.gap !== null);
  if (styles.length === 0) return null;
  const names: readonly ScoreName[] = ['accuracy', 'intent', 'technicalSupport'];
  return renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: styles.map((s) => label(s.style)), axisLabel: { ...AXIS_LABEL, interval: 0 } },
      yAxis: { type: 'value', name: 'gap (points)' },
      series: names.map((n) => ({
        type: 'bar' as const,
        name: `${SCORE_LABELS[n]} gap`,
        itemStyle: { color: SCORE_COLORS[SCORE_ORDER.indexOf(n)] },
        label: { show: true, position: 'top' as const, fontSize: 10, formatter: oneDecimal },
        data: styles.map((s) => valueOrGap(s.gap?.[n] ?? null)),
      })),
    },
    720,
    340,
  );
}
