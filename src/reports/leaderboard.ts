import type { ReportModel, TargetReport } from '../scoring/model.js';
import { oneLine } from '../text/sanitize.js';
import { displayWidth, fit, fmtInterval, fmtMs, fmtRank, fmtScore, fmtShare, MISSING, truncate } from './format.js';
import { sharesOf } from './routes.js';

interface LeaderboardOptions {
  /** Terminal columns; columns of less importance are dropped to fit. @default 100 */
  width?: number;
}

interface Column {
  head: string;
  align: 'left' | 'right';
  /** Fixed width; the target column is sized to the names instead. */
  width: number;
  /** Lower stays longer when the terminal is narrow; 0: always shown. */
  priority: number;
  cell(t: TargetReport): string;
}

const GAP = '  ';
const TARGET_MIN = 6;
const TARGET_MAX = 28;

function columns(model: ReportModel): Column[] {
  const pct = Math.round(model.config.bootstrap.confidence * 100);
  return [
    { head: '#', align: 'right', width: 4, priority: 0, cell: (t) => fmtRank(t.rank, t.tied) },
    { head: 'Target', align: 'left', width: 0, priority: 0, cell: (t) => oneLine(t.name) },
    { head: 'Grade', align: 'left', width: 9, priority: 0, cell: (t) => t.grade ?? MISSING },
    { head: 'Tech', align: 'right', width: 5, priority: 0, cell: (t) => fmtScore(t.scores.technicalSupport) },
    { head: `${pct}% CI`, align: 'right', width: 11, priority: 1, cell: (t) => fmtInterval(t.intervals.technicalSupport) },
    { head: 'Acc', align: 'right', width: 5, priority: 2, cell: (t) => fmtScore(t.scores.accuracy) },
    { head: 'Intent', align: 'right', width: 6, priority: 3, cell: (t) => fmtScore(t.scores.intent) },
    { head: 'Avail', align: 'right', width: 5, priority: 4, cell: (t) => fmtScore(t.scores.availability) },
    { head: 'Resp', align: 'right', width: 5, priority: 5, cell: (t) => fmtScore(t.scores.responsiveness) },
    { head: 'p50', align: 'right', width: 7, priority: 6, cell: (t) => fmtMs(t.latency.p50Ms) },
    { head: 'Err', align: 'right', width: 5, priority: 7, cell: (t) => String(t.errors) },
    { head: 'Unj', align: 'right', width: 5, priority: 8, cell: (t) => String(t.unjudged) },
    { head: 'Region', align: 'left', width: 9, priority: 9, cell: (t) => t.region },
    // Only in runs where suggestions played a part: answered after one, and left at a list.
    ...(model.targets.some((t) => t.routes)
      ? [
          { head: 'Sugg', align: 'right', width: 5, priority: 10, cell: (t) => fmtShare(sharesOf(t).shares.followed) },
          { head: 'Left', align: 'right', width: 5, priority: 11, cell: (t) => fmtShare(sharesOf(t).shares.left) },
        ] satisfies Column[]
      : []),
  ];
}

const totalWidth = (cols: readonly Column[]): number => cols.reduce((w, c) => w + c.width, 0) + GAP.length * (cols.length - 1);

/**
 * The leaderboard as plain text for a terminal: no colours, no control characters from names, CJK
 * counted as two columns, every line at most `width` columns.
 */
export function renderLeaderboard(model: ReportModel, options: LeaderboardOptions = {}): string {
  const width = Math.max(20, Math.floor(options.width ?? 100));
  const all = columns(model);
  const target = all[1]!;
  const names = model.targets.map((t) => displayWidth(target.cell(t)));
  target.width = Math.min(TARGET_MAX, Math.max(TARGET_MIN, displayWidth(target.head), ...names));

  let shown = all.filter((c) => c.priority === 0);
  for (const c of all.filter((c) => c.priority > 0).sort((a, b) => a.priority - b.priority)) {
    const next = all.filter((x) => shown.includes(x) || x === c);
    if (totalWidth(next) <= width) shown = next;
  }
  const over = totalWidth(shown) - width;
  if (over > 0) target.width = Math.max(TARGET_MIN, target.width - over);

  const row = (cells: string[]): string =>
    truncate(cells.map((text, i) => fit(text, shown[i]!.width, shown[i]!.align)).join(GAP).trimEnd(), width);

  const r = model.run;
  const t = model.totals;
  const lines = [
    truncate(`govbench · ${oneLine(r.label ?? r.id)} · ${r.status} · judge ${oneLine(r.judge)}`, width),
    truncate(`${t.targets} targets · ${t.questions} questions · ${t.cases} cases · ${t.errors} failures · ${t.unjudged} unjudged`, width),
    '',
    row(shown.map((c) => c.head)),
    ...model.targets.map((target) => row(shown.map((c) => c.cell(target)))),
  ];
  if (model.targets.some((x) => x.tied)) lines.push('', truncate(`= tied: ${Math.round(model.config.bootstrap.confidence * 100)}% rank intervals overlap`, width));
  return lines.join('\n');
}
