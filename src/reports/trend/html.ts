import type { Trend, TrendSeries } from '../../scoring/trend.js';
import { esc } from '../html/escape.js';
import { page } from '../html/page.js';
import { fmtShare, MISSING } from '../format.js';
import { trendChart } from './chart.js';
import { changeFlag, changeText, columnLabel, methodText, noChangeText, pointText } from './labels.js';

/** A cell already escaped, with the value a numeric column sorts by (`''`: unmeasured, last). */
interface Cell {
  html: string;
  sort?: number | null;
}

function table(id: string, head: readonly { label: string; num?: boolean }[], rows: readonly (readonly Cell[])[]): string {
  const th = head.map((h) => `<th scope="col"${h.num ? ' data-type="num" class="num"' : ''}>${esc(h.label)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (head[i]?.num ? `<td class="num" data-sort="${c.sort ?? ''}">${c.html}</td>` : `<td>${c.html}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="sortable" id="${id}"><thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

const BADGES = { drop: '<span class="badge g-poor">▼ significant drop</span>', rise: '<span class="badge g-excellent">▲ significant rise</span>' } as const;

function changeHtml(t: Trend, s: TrendSeries): string {
  const c = s.change;
  if (!c) return esc(noChangeText(s));
  const flag = changeFlag(c);
  const span = c.from === 0 && c.to === t.columns.length - 1 ? '' : ` (${esc(columnLabel(t.columns[c.from]!))} → ${esc(columnLabel(t.columns[c.to]!))})`;
  return `${flag ? `${BADGES[flag]} ` : ''}${esc(changeText(c))}${flag ? '' : ', not significant'}${span}`;
}

function runsTable(t: Trend): string {
  const head = ['#', 'Run', 'Label', 'Targets', 'Started', 'Status', 'Banks'].map((label) => ({ label }));
  const rows = t.columns.map((c, i) =>
    [String(i + 1), c.run.id, c.run.label ?? MISSING, c.target ?? 'all', c.run.startedAt, c.run.status, c.run.banksHash.slice(0, 12)].map((v) => ({ html: esc(v) })),
  );
  return table('runs-table', head, rows);
}

function targetsTable(t: Trend): string {
  const head = [{ label: 'Target' }, ...t.columns.map((c) => ({ label: columnLabel(c), num: true })), { label: 'Change' }];
  const rows = t.targets.map((s) => [
    { html: `${esc(s.name)} <code>${esc(s.id)}</code>` },
    ...s.points.map((p) => ({ html: esc(pointText(p)), sort: p.technicalSupport })),
    { html: changeHtml(t, s) },
  ]);
  return table('trend-table', head, rows);
}

function chartsSection(t: Trend): string {
  const figures = t.targets.map(
    (s) =>
      `<figure class="chart"><h3>${esc(s.name)} <code>${esc(s.id)}</code></h3>${trendChart(t, s)}<figcaption class="note">${changeHtml(t, s)}</figcaption></figure>`,
  );
  return `<div class="charts">${figures.join('\n')}</div>`;
}

function painPointsTable(t: Trend): string {
  if (t.painPoints.length === 0) return '<p class="note">No pain points in these runs.</p>';
  const head = [{ label: 'Kind' }, { label: 'Matter' }, ...t.columns.map((c) => ({ label: columnLabel(c), num: true })), { label: '' }];
  const rows = t.painPoints.map((p) => [
    { html: `<code>${esc(p.kind)}</code>` },
    { html: esc(p.matter) },
    ...p.shares.map((s) => ({ html: s === null ? MISSING : fmtShare(s), sort: s })),
    { html: p.appeared ? '<span class="badge g-poor">appeared</span>' : p.gone ? '<span class="badge g-excellent">gone</span>' : '' },
  ]);
  return table('pain-points-table', head, rows);
}

/**
 * `trend --format html`: one self-contained page (the report's page shell: no script but its sorter,
 * nothing loaded) with a line chart per target, its interval as a band, and the tables of the
 * Markdown rendering. Every name and id is escaped.
 */
export function renderTrendHtml(t: Trend): string {
  const title = `govbench trend — ${t.columns.map(columnLabel).join(' → ')}`;
  const pct = Math.round(t.confidence * 100);
  const flagged = t.targets.filter((s) => s.change && changeFlag(s.change)).length;
  const body = [
    `<header><h1>${esc(title)}</h1><p class="meta">${t.columns.length} runs · ${t.targets.length} targets · ${flagged} changed significantly</p>`,
    t.banksDiffer ? '<p class="warn">The runs asked different question banks: each change is over the questions both runs asked.</p>' : '',
    '</header><main>',
    `<section id="runs"><h2>Runs</h2>\n${runsTable(t)}</section>`,
    `<section id="targets"><h2>Technical support by target</h2>\n${targetsTable(t)}\n<p class="note">Click a column header to sort.</p></section>`,
    `<section id="charts"><h2>Charts</h2>\n<p class="note">Technical support per run; band: ${pct}% bootstrap interval; a gap where the target was not asked.</p>\n${chartsSection(t)}</section>`,
    `<section id="pain-points"><h2>Pain points</h2>\n<p class="note">Share of each matter’s cases failing in this way, per run.</p>\n${painPointsTable(t)}</section>`,
    `<section id="method"><h2>Method</h2>\n<ul>${methodText(t).map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`,
    '</main>',
  ].join('\n');
  return page(title, body);
}
