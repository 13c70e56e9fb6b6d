import type { ConversationCounts } from '../../scoring/conversation-model.js';
import type { ReportModel } from '../../scoring/model.js';
import { CONVERSATIONS_NOTE, fmtGoalShare, fmtTurns, simulatorSentence } from '../conversations.js';
import { esc } from './escape.js';

const HEAD = ['Target', 'Scenario', 'Citizen', 'Scored', 'Goal reached', 'Turns to goal', 'Re-asked', 'Contradictions', 'Broken', 'Failed'];

function row(name: string, scenario: string, citizen: string, c: ConversationCounts, summary: boolean): string {
  const cells = [name, scenario, citizen].map((v) => `<td>${esc(v)}</td>`);
  const nums = [String(c.scored), fmtGoalShare(c), fmtTurns(c), String(c.reasked), String(c.contradictions), String(c.broken), String(c.failed)].map(
    (v) => `<td class="num">${esc(v)}</td>`,
  );
  return `<tr${summary ? ' class="summary"' : ''}>${[...cells, ...nums].join('')}</tr>`;
}

/** The conversations section's body: per target a summary row, then one row per scenario × citizen. Null when none was played. */
export function conversationsHtml(model: ReportModel): string | null {
  const targets = model.targets.filter((t) => t.conversations);
  if (targets.length === 0) return null;
  const rows = targets.flatMap((t) => [
    row(t.name, 'all scenarios', '', t.conversations!.summary, true),
    ...t.conversations!.scenarios.map((s) => row(t.name, s.scenario, s.citizen, s, false)),
  ]);
  const head = HEAD.map((h, i) => `<th scope="col"${i >= 3 ? ' class="num"' : ''}>${h}</th>`).join('');
  const simulator = simulatorSentence(model.simulator);
  return [
    `<p class="note">${esc(CONVERSATIONS_NOTE)}</p>`,
    `<div class="table-wrap"><table id="conversations-table"><thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table></div>`,
    ...(simulator === null ? [] : [`<p class="note">${esc(simulator)}</p>`]),
  ].join('\n');
}
