import { EVALUATION_ASPECTS } from '../../domain/types.js';
import type { AspectsReport, CityAspects } from '../../scoring/aspects.js';
import { fmtRank, fmtScore, fmtShare, MISSING, REGION_LABELS } from '../format.js';
import { esc } from '../html/escape.js';
import { page } from '../html/page.js';
import { gradeBadge, sortableTable, type Cell } from '../html/tables.js';
import { cityAspectsChart, painKindsChart, regionAspectsChart } from './charts.js';
import { ASPECT_LABELS, cityCount, weakestText, weightLines } from './labels.js';

const num = (v: number | null, text = fmtScore(v)): Cell => ({ text, sort: v });
const aspectColumns = EVALUATION_ASPECTS.map((a) => ({ label: ASPECT_LABELS[a], num: true }));

function figure(id: string, svg: string | null, caption: string, empty: string): string {
  return `<figure class="chart" id="${id}">${svg ?? `<p class="note">${empty}</p>`}<figcaption class="note">${caption}</figcaption></figure>`;
}

function section(id: string, title: string, ...parts: (string | null)[]): string {
  return `<section id="${id}"><h2>${title}</h2>\n${parts.filter((p): p is string => p !== null).join('\n')}\n</section>`;
}

function cityCells(c: CityAspects): Cell[] {
  return [
    { text: fmtRank(c.rank, c.tied), sort: c.rank },
    c.name,
    `${REGION_LABELS[c.region]} ${c.region}`,
    gradeBadge(c.grade),
    num(c.overall),
    ...EVALUATION_ASPECTS.map((a) => num(c.scores[a], a === 'technicalSupport' && c.scores[a] === null ? `${MISSING} not measured` : fmtScore(c.scores[a]))),
    num(c.chatbot),
    weakestText(c.weakest, c.weakest && c.scores[c.weakest]),
  ];
}

function citiesTable(r: AspectsReport): string {
  const columns = [
    { label: 'Rank', num: true },
    { label: 'City' },
    { label: 'Region' },
    { label: 'Grade', num: true },
    { label: 'Overall', num: true },
    ...aspectColumns,
    { label: 'Chatbot', num: true },
    { label: 'Weakest' },
  ];
  return sortableTable('aspects-cities-table', columns, r.cities.map(cityCells));
}

function regionsTable(r: AspectsReport): string {
  const rows = r.regions.map((g) => [
    { text: fmtRank(g.rank, g.tied), sort: g.rank },
    `${REGION_LABELS[g.id]} ${g.id}`,
    { text: String(g.cities), sort: g.cities },
    num(g.overall),
    g.bestName ?? MISSING,
    ...EVALUATION_ASPECTS.map((a) => num(g.scores[a])),
  ]);
  const columns = [{ label: 'Rank', num: true }, { label: 'Region' }, { label: 'Cities', num: true }, { label: 'Mean overall', num: true }, { label: 'Best city' }, ...aspectColumns];
  return sortableTable('aspects-regions-table', columns, rows);
}

function weakestPart(r: AspectsReport): string {
  const lead = r.weakest
    ? `<p>The weakest indicator across cities: <strong>${esc(weakestText(r.weakest.aspect, r.weakest.mean))}</strong>, the lowest mean. Per city, its lowest aspect is in the cities table’s Weakest column.</p>`
    : '<p class="note">No aspect could be scored.</p>';
  const rows = EVALUATION_ASPECTS.map((a) => [ASPECT_LABELS[a], num(r.means[a])]);
  return `${lead}\n${sortableTable('aspects-means-table', [{ label: 'Aspect' }, { label: 'Mean', num: true }], rows)}`;
}

function incompletePart(r: AspectsReport): string {
  const unmeasured = r.cities.filter((c) => c.overall === null);
  const items = [
    ...unmeasured.map((c) => `<li>${esc(c.name)} <code>${esc(c.id)}</code>: in the sheet, ${c.inRun ? 'nothing measured by the run' : 'not in the run'} — technical support missing</li>`),
    ...r.missingFromSheet.map((t) => `<li>${esc(t.name)} <code>${esc(t.id)}</code>: in the run (chatbot ${fmtScore(t.chatbot)}), missing from the sheet</li>`),
  ];
  return items.length === 0 ? '<p class="note">Every city has all four aspects.</p>' : `<ul id="aspects-incomplete">${items.join('')}</ul>`;
}

function painPart(r: AspectsReport): string {
  if (r.painKinds.length === 0) return '<p class="note">No pain points catalogued for this run.</p>';
  const chart = figure('chart-pain-kinds', painKindsChart(r), 'Cases of each failure kind across the run’s cities, most frequent first (top 10).', '');
  const rows = r.painKinds.map((k) => [k.kind, num(k.cases, String(k.cases)), num(k.share, fmtShare(k.share)), num(k.targets, String(k.targets))]);
  const columns = [{ label: 'Failure kind' }, { label: 'Cases', num: true }, { label: 'Share of cases', num: true }, { label: 'Cities', num: true }];
  return `${chart}\n${sortableTable('aspects-pain-table', columns, rows)}`;
}

const NAV: [string, string][] = [
  ['cities', 'Cities'],
  ['regions', 'Regions'],
  ['weakest', 'Weakest indicator'],
  ['incomplete', 'Incomplete'],
  ['pain-points', 'Pain points'],
  ['weights', 'Weights'],
];

/**
 * The four-aspect city report as one self-contained HTML page (the report shell of `report --format
 * html`: SVG charts, no fetches). Every city name and id is escaped.
 */
export function renderAspectsHtml(r: AspectsReport): string {
  const title = `Four-aspect city report — ${r.run.label ?? r.run.id}`;
  const meta = [
    `<p class="meta">Run <code>${esc(r.run.id)}</code>${r.run.label ? ` (${esc(r.run.label)})` : ''} · ${esc(r.run.status)} · judge ${esc(r.run.judge)}</p>`,
    `<p class="meta">Hand scores <code>${esc(r.source)}</code>: ${cityCount(r.cities.length)}</p>`,
  ].join('\n');
  const weights = `<dl class="config">${weightLines(r)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('')}</dl>`;
  const body = [
    `<header><h1>${esc(title)}</h1>\n${meta}\n<nav>${NAV.map(([id, name]) => `<a href="#${id}">${name}</a>`).join('')}</nav></header>`,
    '<main>',
    section('cities', 'Cities', figure('chart-aspects-cities', cityAspectsChart(r), 'The four aspects of each city, in rank order; no bar: missing.', 'No cities.'), citiesTable(r)),
    section('regions', 'Regions', figure('chart-aspects-regions', regionAspectsChart(r), 'Mean overall of each region’s complete cities and its aspect means, with its best city.', 'No regions.'), regionsTable(r)),
    section('weakest', 'Weakest indicator', weakestPart(r)),
    section('incomplete', 'Incomplete', incompletePart(r)),
    section('pain-points', 'Pain points', painPart(r)),
    section('weights', 'Weights', weights),
    '</main>',
  ].join('\n');
  return page(title, body);
}
