import { renderNotice, runNotices } from '../notices.js';
import type { ReportModel } from '../../scoring/model.js';
import { GRADE_LABELS, plural } from '../format.js';
import { rankIntervalsHtml } from './rank-intervals.js';
import { gradeChart, latencyChart, matterHeatmap, rankingChart, regionChart, robustnessChart } from './chart-options.js';
import { GRADE_COLORS } from './charts.js';
import type { CaseWithTurns } from './case-stream.js';
import { aliasesSection } from './aliases-section.js';
import { esc } from './escape.js';
import { evidenceSection } from './evidence-section.js';
import { safetyHtml } from '../safety.js';
import { environmentHtml } from './evidence.js';
import { page } from './page.js';
import { painPointChart, painPointTable, targetFailuresTable } from './pain-points.js';
import { repeatsTable } from './repeats.js';
import { breakdownTable, confusionsTable, failuresTable, leaderboardTable, regionsTable, routesTable, stylesTable } from './tables.js';
import { worstAnswersSection } from './transcripts.js';
import type { WorstAnswer } from './worst-answers.js';
import { conversationsHtml } from './conversations.js';

/** What the HTML report shows beyond the scoring model. */
interface HtmlExtras {
  /** From `selectWorstAnswers`; shown per target under the leaderboard's order. */
  worstAnswers: WorstAnswer[];
  /** The folder the report is written to: screenshots are linked relative to it. @default the working folder */
  reportDir?: string;
  /** Every case with its transcript (see `casesWithTurns`), for runs that kept evidence: listed in full. */
  evidence?: Iterable<CaseWithTurns>;
}


function figure(id: string, svg: string | null, caption: string): string {
  const body = svg ?? '<p class="note">Nothing to chart in this run.</p>';
  return `<figure class="chart" id="${id}">${body}<figcaption class="note">${caption}</figcaption></figure>`;
}

function section(id: string, title: string, ...parts: (string | null)[]): string {
  return `<section id="${id}"><h2>${title}</h2>\n${parts.filter((p): p is string => p !== null).join('\n')}\n</section>`;
}

function summary(m: ReportModel): string {
  const r = m.run;
  const t = m.totals;
  const lines = [
    `<p class="meta">Run <code>${esc(r.id)}</code>${r.label ? ` (${esc(r.label)})` : ''} · ${esc(r.status)} · judge ${esc(r.judge)} · question banks <code>${esc(r.banksHash.slice(0, 12))}</code></p>`,
    `<p class="meta">Started ${esc(r.startedAt)}${r.finishedAt ? `, finished ${esc(r.finishedAt)}` : ''}</p>`,
    environmentHtml(r),
    `<p class="meta">${plural(t.targets, 'target')}, ${plural(t.questions, 'question')}, ${plural(t.cases, 'case')}: ${plural(t.errors, 'technical failure')}, ${t.judged} judged, ${t.unjudged} unjudged</p>`,
  ];
  for (const n of runNotices(m)) {
    lines.push(`<p class="warn"><strong>${esc(n.lead)}</strong>${renderNotice(n, esc, (c) => `<code>${esc(c)}</code>`)}</p>`);
  }
  if (r.status !== 'finished') lines.push(`<p class="warn">The run is <strong>${esc(r.status)}</strong>: scores cover the cases finished so far.</p>`);
  return lines.join('\n');
}

function gradeKey(m: ReportModel): string {
  const b = m.config.grades;
  const bands = { excellent: `≥ ${b.excellent}`, good: `≥ ${b.good}`, average: `≥ ${b.average}`, poor: `< ${b.average}` } as const;
  const items = (Object.keys(bands) as (keyof typeof bands)[]).map(
    (g) => `<span style="--c:${GRADE_COLORS[g]}">${esc(GRADE_LABELS[g])} ${g} ${bands[g]}</span>`,
  );
  return `<p class="key">${items.join('')}<span style="--c:${GRADE_COLORS.none}">unscored</span></p>`;
}

function scoringSection(m: ReportModel): string {
  const { weights: w, grades: g, responsiveness: rs, bootstrap: b } = m.config;
  const rows: [string, string][] = [
    ['Technical support', `${w.accuracy}·accuracy + ${w.intent}·intent + ${w.availability}·availability + ${w.responsiveness}·responsiveness`],
    ['Grades', `excellent ≥ ${g.excellent}, good ≥ ${g.good}, average ≥ ${g.average}, poor below`],
    ['Responsiveness', `100 at ≤ ${rs.fullMs / 1000} s to the first reply, falling linearly to 0 at ≥ ${rs.zeroMs / 1000} s; the mean over available cases`],
    ['Availability', 'share of cases with a non-empty reply within the timeout; accuracy and intent: over available, judged cases only'],
    [
      'Intervals',
      `${Math.round(b.confidence * 100)}% percentile cluster bootstrap over questions (a question’s variants and repeats resampled together), ${b.iterations} iterations, seed ${b.seed}`,
    ],
  ];
  return `<dl class="config">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

const NAV: [string, string][] = [
  ['leaderboard', 'Leaderboard'],
  ['regions', 'Regions'],
  ['matters', 'Matters'],
  ['latency', 'Latency'],
  ['robustness', 'Robustness'],
  ['confusions', 'Confusions'],
  ['pain-points', 'Pain points'],
  ['failures', 'Failures'],
  ['worst', 'Worst answers'],
  ['scoring', 'Scoring'],
];

/** The navigation with a link to a section only some runs have, placed after `after`, when this one has it. */
function linkAfter(nav: readonly [string, string][], after: string, link: [string, string], present: boolean): [string, string][] {
  if (!present) return [...nav];
  const at = nav.findIndex(([id]) => id === after) + 1;
  return [...nav.slice(0, at), link, ...nav.slice(at)];
}

/**
 * The HTML report: one self-contained file that loads nothing (charts are SVG rendered here, the
 * one script is inline and pinned by hash in the page's Content-Security-Policy). Every name, id and
 * piece of chatbot text is escaped.
 * @example renderHtml(model, { worstAnswers: selectWorstAnswers(store, model.run.id, model.run.judge) })
 */
export function renderHtml(model: ReportModel, extras: HtmlExtras): string {
  const pct = Math.round(model.config.bootstrap.confidence * 100);
  const reportDir = extras.reportDir ?? process.cwd();
  const aliases = aliasesSection(model);
  const conversations = conversationsHtml(model);
  const safety = safetyHtml(model);
  let links = linkAfter(NAV, 'robustness', ['aliases', 'Names'], aliases !== null);
  links = linkAfter(links, 'worst', ['safety', 'Safety'], safety !== null);
  links = linkAfter(links, 'worst', ['evidence', 'Evidence'], extras.evidence !== undefined);
  links = linkAfter(links, 'worst', ['conversations', 'Conversations'], conversations !== null);
  const title = `govbench report — ${model.run.label ?? model.run.id}`;
  const body = [
    `<header><h1>${esc(title)}</h1>\n${summary(model)}\n<nav>${links.map(([id, name]) => `<a href="#${id}">${name}</a>`).join('')}</nav></header>`,
    '<main>',
    section(
      'leaderboard',
      'Leaderboard',
      figure(
        'chart-ranking',
        rankingChart(model),
        `Technical support by rank, coloured by grade; whiskers: ${pct}% bootstrap interval. <code>=</code> marks a tie: rank = 1 + the number of targets whose rank interval lies entirely above this one’s.`,
      ),
      gradeKey(model),
      leaderboardTable(model),
      `<p class="note">Click a column header to sort. p50 / p95: time to the first reply of available cases.</p>`,
      rankIntervalsHtml(model),
      routesTable(model),
      figure('chart-grades', gradeChart(model), 'Targets per grade of technical support.'),
    ),
    section(
      'regions',
      'Regions',
      figure('chart-regions', regionChart(model), `Mean score of each region’s targets (each target weighs the same), with the region’s best target.`),
      regionsTable(model),
    ),
    section(
      'matters',
      'Matters and aspects',
      figure('chart-matters', matterHeatmap(model), 'Technical support of each target on each matter, coloured by grade band; blank: not measured.'),
      '<h3>Matters</h3>',
      breakdownTable('matters-table', model.matters),
      '<h3>Aspects</h3>',
      breakdownTable('aspects-table', model.aspects),
    ),
    section('latency', 'Latency', figure('chart-latency', latencyChart(model), 'Seconds to the first reply (median and 95th percentile) and to the finished reply (95th percentile), over available cases.')),
    section(
      'robustness',
      'Robustness by variant style',
      figure(
        'chart-robustness',
        robustnessChart(model),
        'Gap = canonical score − style score on the same questions, per target, averaged over targets. Positive: the chatbots do worse on that phrasing.',
      ),
      stylesTable(model),
      repeatsTable(model),
    ),
    aliases === null ? '' : section('aliases', 'Names of matters', aliases),
    section(
      'confusions',
      'Intent confusion',
      '<p class="note">Asked intent → the intent the answer addressed instead, over judged answers. Share = of the judged answers to the asked intent.</p>',
      confusionsTable(model) ?? '<p class="note">No confusions.</p>',
    ),
    section(
      'pain-points',
      'Pain points',
      '<p class="note">Every case that was not correct has one primary failure kind. A pain point is one kind on one aspect of one matter; share = of all the aspect’s cases across targets. Most widespread first: by share, then by the number of targets affected.</p>',
      figure('chart-pain-points', painPointChart(model), 'Top pain points by share of the aspect’s cases; red: what the answers did wrong, grey: technical failures.'),
      painPointTable(model),
      '<h3>By target</h3>',
      targetFailuresTable(model) ?? '<p class="note">Every case was correct.</p>',
    ),
    section(
      'failures',
      'Technical failures',
      '<p class="note">Counted against availability, not accuracy or intent.</p>',
      failuresTable(model) ?? '<p class="note">No technical failures.</p>',
    ),
    section(
      'worst',
      'Worst answers',
      '<p class="note">Per target, up to a few of its worst answers (incorrect first, then no answer, partial, technical failures; critical questions first within each), one per question, with the conversation as it happened.</p>',
      worstAnswersSection(model, extras.worstAnswers, reportDir),
    ),
    conversations === null ? '' : section('conversations', 'Conversations', conversations),
    extras.evidence
      ? section(
          'evidence',
          'Evidence',
          '<p class="note">Every case as it happened: when each turn was sent, the screenshot of the chat as its reply finished (widget targets), and the raw reply as received (cut).</p>',
          evidenceSection(model, extras.evidence, reportDir),
        )
      : '',
    safety === null ? '' : section('safety', 'Safety (red-team probes)', safety),
    section('scoring', 'Scoring', scoringSection(model)),
    '</main>',
  ].join('\n');
  return page(title, body);
}
