import type { ConversationCounts, SimulatorAgreement, TargetConversations } from '../scoring/conversation-model.js';
import type { ReportModel } from '../scoring/model.js';
import { escapeCell, fmtShare, MISSING } from './format.js';

const r4 = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4) / 1e4);
const r2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

function jsonCounts(c: ConversationCounts): ConversationCounts {
  return { ...c, goalShare: r4(c.goalShare), meanTurnsToGoal: r2(c.meanTurnsToGoal) };
}

/** A target's conversation results as the JSON report has them (shares 0–1). */
export function jsonConversations(c: TargetConversations): TargetConversations {
  return { summary: jsonCounts(c.summary), scenarios: c.scenarios.map((s) => ({ ...s, ...jsonCounts(s) })) };
}

export function jsonSimulator(s: SimulatorAgreement | null): SimulatorAgreement | null {
  return s && { ...s, share: r4(s.share) };
}

export const CONVERSATIONS_NOTE =
  'Scenarios played by simulated citizens, scored apart from the headline. Goal: the reference key points covered over the conversation with no fact wrong; re-asked: facts the bot asked for again after the citizen gave them; contradictions: its own turns disagreeing. Conversations the simulator broke, and those the target failed, are counted apart and not scored.';

export const fmtGoalShare = (c: ConversationCounts): string => (c.goalShare === null ? MISSING : fmtShare(c.goalShare));
export const fmtTurns = (c: ConversationCounts): string => (c.meanTurnsToGoal === null ? MISSING : c.meanTurnsToGoal.toFixed(1));

/** What the simulators' agreement says, in one sentence; null with one citizen. */
export function simulatorSentence(s: SimulatorAgreement | null | undefined): string | null {
  if (!s) return null;
  if (s.pairs === 0) return 'Both citizens played, but no scenario was scored for both on one target.';
  return `The rule and LLM citizens reached different outcomes on ${s.differing} of ${s.pairs} target × scenario pairs (${fmtShare(s.share!)})${s.examples.length > 0 ? `: ${s.examples.join(', ')}` : ''}.`;
}

/** The Markdown section; null when the run played no scenario. */
export function conversationsMarkdown(model: ReportModel): string | null {
  const targets = model.targets.filter((t) => t.conversations);
  if (targets.length === 0) return null;
  const row = (name: string, scenario: string, citizen: string, c: ConversationCounts) =>
    `| ${escapeCell(name)} | ${escapeCell(scenario)} | ${citizen} | ${c.scored} | ${fmtGoalShare(c)} | ${fmtTurns(c)} | ${c.reasked} | ${c.contradictions} | ${c.broken} | ${c.failed} |`;
  const lines = [
    '## Conversations',
    '',
    CONVERSATIONS_NOTE,
    '',
    '| Target | Scenario | Citizen | Scored | Goal reached | Turns to goal | Re-asked | Contradictions | Broken | Failed |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...targets.flatMap((t) => [
      row(t.name, '**all**', '', t.conversations!.summary),
      ...t.conversations!.scenarios.map((s) => row(t.name, s.scenario, s.citizen, s)),
    ]),
  ];
  const simulator = simulatorSentence(model.simulator);
  return simulator === null ? lines.join('\n') : [...lines, '', simulator].join('\n');
}
