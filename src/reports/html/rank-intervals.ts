import type { ReportModel } from '../../scoring/model.js';
import { RANK_INTERVAL_HEAD, rankIntervalNotes, rankIntervalRows } from '../rank-intervals.js';
import { esc } from './escape.js';

/** The rank-interval and judge-corrected table of the leaderboard section; every cell escaped. */
export function rankIntervalsHtml(m: ReportModel): string {
  if (!m.targets.some((t) => t.rankInterval !== null) && !m.calibration) return '';
  const head = RANK_INTERVAL_HEAD.map((h, i) => `<th scope="col"${i === 0 ? '' : ' class="num"'}>${esc(h)}</th>`).join('');
  const body = rankIntervalRows(m)
    .map((r) => `<tr>${r.map((c, i) => `<td${i === 0 ? '' : ' class="num"'}>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return [
    '<h3>Rank intervals and judge-corrected accuracy</h3>',
    `<div class="table-wrap"><table id="rank-intervals-table"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`,
    ...rankIntervalNotes(m).map((n) => `<p class="note">${esc(n)}</p>`),
  ].join('\n');
}
