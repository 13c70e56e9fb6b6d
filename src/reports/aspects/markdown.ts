import { EVALUATION_ASPECTS } from '../../domain/types.js';
import type { AspectsReport, CityAspects } from '../../scoring/aspects.js';
import { escapeCell, fmtRank, fmtScore, fmtShare, GRADE_LABELS, MISSING, REGION_LABELS } from '../format.js';
import { markdownTable as table } from '../markdown-table.js';
import { ASPECT_LABELS, cityCount, weakestText, weightLines } from './labels.js';

const ASPECT_HEAD = EVALUATION_ASPECTS.map((a) => ASPECT_LABELS[a]);
const right = (n: number): 'r'[] => Array<'r'>(n).fill('r');

function header(r: AspectsReport): string {
  const lines = [
    `# Four-aspect city report — ${escapeCell(r.run.label ?? r.run.id)}`,
    '',
    `- Run: \`${r.run.id}\`${r.run.label ? ` (${escapeCell(r.run.label)})` : ''}, ${r.run.status}, judge ${escapeCell(r.run.judge)}`,
    `- Hand scores: \`${escapeCell(r.source)}\`, ${cityCount(r.cities.length)}`,
    ...weightLines(r).map(([k, v]) => `- ${k}: ${escapeCell(v)}`),
  ];
  return lines.join('\n');
}

function cityRow(c: CityAspects): string[] {
  return [
    fmtRank(c.rank, c.tied),
    c.name,
    `${REGION_LABELS[c.region]} ${c.region}`,
    c.grade ? `${GRADE_LABELS[c.grade]} ${c.grade}` : MISSING,
    fmtScore(c.overall),
    ...EVALUATION_ASPECTS.map((a) => (a === 'technicalSupport' && c.scores[a] === null ? `${MISSING} (not measured)` : fmtScore(c.scores[a]))),
    fmtScore(c.chatbot),
    weakestText(c.weakest, c.weakest && c.scores[c.weakest]),
  ];
}

function citiesSection(r: AspectsReport): string {
  return [
    '## Cities',
    '',
    table(['Rank', 'City', 'Region', 'Grade', 'Overall', ...ASPECT_HEAD, 'Chatbot', 'Weakest'], r.cities.map(cityRow), ['r', 'l', 'l', 'l', ...right(6), 'l']),
    '',
    '`=` marks a tie. Chatbot: the technical-support score govbench measured for the city’s intelligent customer service.',
  ].join('\n');
}

function regionsSection(r: AspectsReport): string {
  const rows = r.regions.map((g) => [
    fmtRank(g.rank, g.tied),
    `${REGION_LABELS[g.id]} ${g.id}`,
    String(g.cities),
    fmtScore(g.overall),
    g.bestName ?? MISSING,
    ...EVALUATION_ASPECTS.map((a) => fmtScore(g.scores[a])),
  ]);
  return [
    '## Regions',
    '',
    table(['Rank', 'Region', 'Cities', 'Mean overall', 'Best city', ...ASPECT_HEAD], rows, ['r', 'l', 'r', 'r', 'l', ...right(4)]),
    '',
    'Mean overall over the region’s complete cities; aspect means over the cities that have the aspect.',
  ].join('\n');
}

function weakestSection(r: AspectsReport): string {
  const lead = r.weakest
    ? `The weakest indicator across cities: **${escapeCell(weakestText(r.weakest.aspect, r.weakest.mean))}**, the lowest mean.`
    : 'No aspect could be scored.';
  return ['## Weakest indicator', '', lead, '', table(['Aspect', 'Mean'], EVALUATION_ASPECTS.map((a) => [ASPECT_LABELS[a], fmtScore(r.means[a])]), ['l', 'r']), '', 'Per city, its lowest aspect is in the Weakest column above.'].join('\n');
}

function incompleteSection(r: AspectsReport): string | null {
  const unmeasured = r.cities.filter((c) => c.overall === null);
  const lines: string[] = [];
  if (unmeasured.length > 0) {
    lines.push(`Cities in the sheet without a chatbot score (${unmeasured.length}): ${unmeasured.map((c) => `${escapeCell(c.name)} (${escapeCell(c.id)}${c.inRun ? ', nothing measured' : ', not in the run'})`).join(', ')}.`);
  }
  if (r.missingFromSheet.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(
      `Targets of the run missing from the sheet (${r.missingFromSheet.length}): ${r.missingFromSheet.map((t) => `${escapeCell(t.name)} (${escapeCell(t.id)}, chatbot ${fmtScore(t.chatbot)})`).join(', ')}.`,
    );
  }
  return lines.length === 0 ? null : ['## Incomplete', '', ...lines].join('\n');
}

function painSection(r: AspectsReport, top: number): string {
  if (r.painKinds.length === 0) return ['## Pain points', '', 'No pain points catalogued for this run.'].join('\n');
  const rows = r.painKinds.slice(0, top).map((k) => [k.kind, String(k.cases), fmtShare(k.share), String(k.targets)]);
  return ['## Pain points', '', table(['Failure kind', 'Cases', 'Share of cases', 'Cities'], rows, ['l', 'r', 'r', 'r'])].join('\n');
}

/** The four-aspect city report in Markdown; every name is escaped for table cells. */
export function renderAspectsMarkdown(r: AspectsReport, options: { topPainKinds?: number } = {}): string {
  const parts = [header(r), citiesSection(r), regionsSection(r), weakestSection(r), incompleteSection(r), painSection(r, options.topPainKinds ?? 10)];
  return `${parts.filter((p): p is string => p !== null).join('\n\n')}\n`;
}
