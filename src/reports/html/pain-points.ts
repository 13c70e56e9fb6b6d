import type { BarSeriesOption } from 'echarts/charts';
import { ANSWER_FAILURE_KINDS, type FailureKind } from '../../domain/types.js';
import type { PainPoint, ReportModel } from '../../scoring/model.js';
import { stripUnsafe } from '../../text/sanitize.js';
import { failureKindLabel } from '../failure-kinds.js';
import { fmtShare, REGION_LABELS, truncate } from '../format.js';
import { renderSvg } from './charts.js';
import { esc } from './escape.js';
import { int, num, sortableTable, type Cell } from './tables.js';

/** Bars the chart shows; the table lists every pain point. */
const CHART_TOP = 15;
const ANSWER_COLOR = '#c62828';
const TECHNICAL_COLOR = '#757575';

const isAnswerKind = (k: FailureKind): boolean => (ANSWER_FAILURE_KINDS as readonly string[]).includes(k);

/** Display names of matters, aspects and targets, falling back to ids. */
function namer(model: ReportModel) {
  const matters = new Map(model.matters.map((m) => [m.id, m.name ?? m.id]));
  const aspects = new Map(model.aspects.flatMap((a) => (a.name ? [[a.id, a.name] as const] : [])));
  const targets = new Map(model.targets.map((t) => [t.id, t.name]));
  return {
    matter: (id: string) => matters.get(id) ?? id,
    aspect: (p: PainPoint) => aspects.get(`${p.matter}/${p.aspect}`) ?? p.aspect,
    target: (id: string) => targets.get(id) ?? id,
  };
}

/** Horizontal bars of the most widespread pain points; answer failures red, technical ones grey. */
export function painPointChart(model: ReportModel): string | null {
  const top = model.painPoints.slice(0, CHART_TOP);
  if (top.length === 0) return null;
  const name = namer(model);
  const label = (p: PainPoint) =>
    truncate(stripUnsafe(`${failureKindLabel(p.kind)} · ${name.matter(p.matter)} · ${name.aspect(p)}`).replace(/\s+/g, ' '), 48);
  const series: BarSeriesOption = {
    type: 'bar',
    barWidth: '60%',
    data: top.map((p) => ({ value: Math.round(p.share * 1000) / 10, itemStyle: { color: isAnswerKind(p.kind) ? ANSWER_COLOR : TECHNICAL_COLOR } })),
    label: { show: true, position: 'right', fontSize: 10, formatter: (x: { dataIndex: number }) => `${top[x.dataIndex]!.targets} targets` },
  };
  return renderSvg(
    {
      grid: { left: 330, right: 80, top: 28, bottom: 20 },
      xAxis: { type: 'value', min: 0, name: '% of the aspect’s cases', position: 'top' },
      yAxis: { type: 'category', inverse: true, data: top.map(label), axisLabel: { fontSize: 11, color: '#333' } },
      series: [series],
    },
    960,
    60 + 24 * top.length,
  );
}

/** Every pain point with the targets it affects and example cases to look up. */
export function painPointTable(model: ReportModel): string | null {
  if (model.painPoints.length === 0) return null;
  const name = namer(model);
  const rows: Cell[][] = model.painPoints.map((p) => [
    failureKindLabel(p.kind),
    name.matter(p.matter),
    name.aspect(p),
    int(p.cases),
    num(p.share, fmtShare(p.share)),
    { html: `${p.targets} · ${esc(p.targetIds.map(name.target).join('、'))}`, sort: p.targets },
    (Object.entries(p.regions) as [keyof typeof REGION_LABELS, number][]).map(([r, n]) => `${REGION_LABELS[r]} ${n}`).join('、'),
    { html: p.examples.map((e) => `<code>${esc(e)}</code>`).join(' ') },
  ]);
  return sortableTable(
    'pain-points-table',
    [
      { label: 'Kind' },
      { label: 'Matter' },
      { label: 'Aspect' },
      { label: 'Cases', num: true },
      { label: 'Share', num: true },
      { label: 'Targets', num: true },
      { label: 'Regions' },
      { label: 'Examples' },
    ],
    rows,
  );
}

/** Each target's cases that were not correct, by primary failure kind. */
export function targetFailuresTable(model: ReportModel): string | null {
  const failing = model.targets.filter((t) => Object.keys(t.failures).length > 0);
  if (failing.length === 0) return null;
  const total = (k: FailureKind) => failing.reduce((s, t) => s + (t.failures[k] ?? 0), 0);
  const kinds = [...new Set(failing.flatMap((t) => Object.keys(t.failures) as FailureKind[]))].sort((a, b) => total(b) - total(a) || a.localeCompare(b));
  return sortableTable(
    'target-failures-table',
    [{ label: 'Target' }, { label: 'Cases', num: true }, ...kinds.map((k) => ({ label: failureKindLabel(k), num: true }))],
    failing.map((t) => [t.name, int(t.cases), ...kinds.map((k) => int(t.failures[k] ?? 0))]),
  );
}
