import type { ReportModel } from '../../scoring/model.js';
import { esc } from './escape.js';
import { int, num, sortableTable } from './tables.js';

/** Flaky questions shown per target; the JSON report lists them all. */
const FLAKY_SHOWN = 8;

/** pass^k and flaky questions per target; null when no phrasing was asked more than once. */
export function repeatsTable(model: ReportModel): string | null {
  const rows = model.targets.flatMap((t) => {
    const c = t.consistency;
    if (!c) return [];
    const more = c.flaky.length > FLAKY_SHOWN ? ` … (${c.flaky.length})` : '';
    return [
      [
        t.name,
        int(c.phrasings),
        int(c.k),
        num(c.score),
        num(c.passK),
        num(c.pass1),
        { text: `${c.flipping} (${c.flipShare.toFixed(1)}%)`, sort: c.flipShare },
        { html: c.flaky.slice(0, FLAKY_SHOWN).map((q) => `<code>${esc(q)}</code>`).join(' ') + more },
      ],
    ];
  });
  if (rows.length === 0) return null;
  const table = sortableTable(
    'repeats-table',
    [
      { label: 'Target' },
      { label: 'Phrasings repeated', num: true },
      { label: 'k', num: true },
      { label: 'Consistency', num: true },
      { label: 'pass^k', num: true },
      { label: 'pass^1', num: true },
      { label: 'Flipping', num: true },
      { label: 'Flaky questions' },
    ],
    rows,
  );
  return `<h3>Repeats</h3>\n<p class="note">pass^k: the share of phrasings answered correctly every one of their k times; pass^1: the share of single attempts. A question is flaky when one of its phrasings was right some times and wrong others; <code>compare</code> keeps flaky questions out of its significance test.</p>\n${table}`;
}
