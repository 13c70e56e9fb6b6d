import type { ConversationCounts } from '../../scoring/conversation-model.js';
import type { ConversationComparison } from '../../scoring/compare/conversations.js';
import { markdownTable } from '../markdown-table.js';

const share = (n: number, of: number): string => (of === 0 ? '—' : `${Math.round((n / of) * 100)}%`);

function sideRow(side: string, c: ConversationCounts | null): string[] {
  if (!c) return [side, '0', '—', '—', '—', '—', '—'];
  return [
    side,
    String(c.played),
    String(c.scored),
    c.goalShare === null ? '—' : `${Math.round(c.goalShare * 100)}%`,
    c.meanTurnsToGoal === null ? '—' : c.meanTurnsToGoal.toFixed(1),
    String(c.reasked),
    `${c.broken} broken, ${c.failed} failed`,
  ];
}

/** The conversations section of `compare`'s Markdown: both sides' summaries and the scenarios that moved. */
export function conversationsMarkdown(c: ConversationComparison | null | undefined): string | null {
  if (!c) return null;
  const lines = [
    `## Conversations (${c.regressed} scenarios regressed, ${c.fixed} fixed)`,
    '',
    'Scenarios played by simulated citizens. Goal: the reference key points covered over the conversation with no fact wrong; re-asks: facts the bot asked for again after the citizen gave them. Conversations the simulator broke, or the target failed, are left out of the goal share. Reported beside the gate, not in it.',
    '',
    markdownTable(
      ['Unit / side', 'Played', 'Scored', 'Goal reached', 'Turns to goal', 'Re-asks', 'Left out'],
      c.units.flatMap((u) => [sideRow(`${u.unit} baseline`, u.baseline), sideRow(`${u.unit} candidate`, u.candidate)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  ];
  const moved = c.scenarios.filter((s) => s.change === 'regressed' || s.change === 'fixed');
  if (moved.length > 0) {
    lines.push(
      '',
      markdownTable(
        ['Scenario', 'Unit', 'Citizen', 'Change', 'Baseline goal', 'Candidate goal', 'Re-asks (b → c)'],
        moved.map((s) => [
          s.scenario,
          s.unit,
          s.citizen,
          s.change === 'regressed' ? '**regressed**' : 'fixed',
          `${s.baseline.reached} of ${s.baseline.scored} (${share(s.baseline.reached, s.baseline.scored)})`,
          `${s.candidate.reached} of ${s.candidate.scored} (${share(s.candidate.reached, s.candidate.scored)})`,
          `${s.baseline.reasked} → ${s.candidate.reasked}`,
        ]),
      ),
    );
  }
  return lines.join('\n');
}
