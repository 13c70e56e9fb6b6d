import type { ReportModel } from '../../scoring/model.js';
import { ALIASES_NOTE, aliasLabel, aliasTargets, isLowRecognition, shownAliases, understoodLine } from '../aliases.js';
import { fmtScore } from '../format.js';
import { esc } from './escape.js';

/** The HTML alias tables: per target, its official names and the names it does not understand, with their recognized shares; null without alias cases. */
export function aliasesSection(model: ReportModel): string | null {
  const targets = aliasTargets(model);
  if (targets.length === 0) return null;
  const note = `<p class="note">${esc(ALIASES_NOTE).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`;
  const perTarget = targets.map((t) => {
    const { low, text } = understoodLine(t);
    const lead = `${esc(text)}${low.length > 0 ? `; not understood: ${low.map((a) => `<mark>${esc(a.alias)}</mark>`).join(', ')}` : ''}`;
    const rows = shownAliases(t).map((a) => {
      const share = esc(fmtScore(a.share));
      return `<tr><td>${esc(a.matter)}</td><td>${esc(aliasLabel(a))}</td><td class="num">${a.asked}</td><td class="num">${a.recognized}</td><td class="num">${isLowRecognition(a) ? `<mark>${share}</mark>` : share}</td></tr>`;
    });
    return [
      `<h3>${esc(t.name)} <code>${esc(t.id)}</code></h3>`,
      `<p>${lead}.</p>`,
      '<div class="table-wrap"><table><thead><tr><th scope="col">Matter</th><th scope="col">Name</th><th scope="col" class="num">Judged</th><th scope="col" class="num">Recognized</th><th scope="col" class="num">Share</th></tr></thead>',
      `<tbody>\n${rows.join('\n')}\n</tbody></table></div>`,
    ].join('\n');
  });
  return [note, ...perTarget].join('\n');
}

