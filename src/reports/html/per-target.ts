import type { ReportModel } from '../../scoring/model.js';
import { esc } from './escape.js';

/**
 * Items grouped by target, one collapsible block per target in leaderboard order; targets the model
 * does not know come after, under their id. `noun` counts the items in each block's summary.
 */
export function perTargetBlocks<T>(model: ReportModel, items: Iterable<T>, targetOf: (item: T) => string, render: (item: T) => string, noun: string): string {
  const byTarget = new Map<string, string[]>();
  for (const item of items) {
    const html = render(item);
    const list = byTarget.get(targetOf(item));
    if (list) list.push(html);
    else byTarget.set(targetOf(item), [html]);
  }
  const known = new Map(model.targets.map((t) => [t.id, t.name]));
  const order = [...model.targets.map((t) => t.id).filter((id) => byTarget.has(id)), ...[...byTarget.keys()].filter((id) => !known.has(id))];
  return order
    .map((id) => {
      const list = byTarget.get(id)!;
      const name = known.get(id);
      const title = name === undefined ? esc(id) : `${esc(name)} <span class="note">(${esc(id)})</span>`;
      return `<details class="target"><summary>${title} — ${list.length} ${noun}${list.length === 1 ? '' : 's'}</summary>\n${list.join('\n')}\n</details>`;
    })
    .join('\n');
}
