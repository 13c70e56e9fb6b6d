import type { Scenario, StoredConversation } from '../../domain/types.js';
import { oneLine } from '../text.js';
import type { Line } from '../text-view.js';

const ENDED: Readonly<Record<string, string>> = {
  goal: 'the citizen reached its goal',
  'max-turns': 'the citizen ran out of turns',
  'gave-up': 'the citizen gave up',
};

/** A played scenario's end and score, under its transcript (in place of verdicts, which it has none of). */
export function conversationLines(c: StoredConversation, scenario: Scenario | null): Line[] {
  const s = c.score;
  const ended = c.ended === null ? 'ended without a stop of the citizen’s' : ENDED[c.ended];
  const lines: Line[] = [{ text: 'Conversation', bold: true }, { text: `${c.style.replace('scenario:', '')} citizen · ${ended} · ${c.turns} turns`, dim: true }];
  if (s.broken !== null) return [...lines, { text: `broken by the simulator (${s.broken}): not scored against the bot`, color: 'yellow', bold: true }];
  if (!c.available) return [...lines, { text: 'a turn of the target failed: counted against availability, not scored', color: 'red' }];
  lines.push({
    text: s.goalReached ? `goal reached in ${s.turnsToGoal ?? '?'} turns` : 'goal not reached',
    color: s.goalReached ? 'green' : 'red',
    bold: true,
  });
  const points = scenario?.reference.keyPoints.map((k) => `${s.keyPointsHit.includes(k.id) ? '✓' : '✗'} ${oneLine(k.text)}`);
  lines.push({ text: `key points: ${points ? points.join('  ') : s.keyPointsHit.map(oneLine).join(', ') || 'none found'}` });
  if (s.factErrors.length > 0) lines.push({ text: `fact errors: ${s.factErrors.map(oneLine).join('; ')}`, color: 'red' });
  lines.push({ text: `asked again after given: ${s.reasked.length > 0 ? s.reasked.map(oneLine).join(', ') : 'nothing'}`, ...(s.reasked.length > 0 && { color: 'red' }) });
  lines.push({ text: `contradictions: ${s.contradictions.length > 0 ? s.contradictions.map(oneLine).join('; ') : 'none'}`, ...(s.contradictions.length > 0 && { color: 'red' }) });
  if (scenario) lines.push({ text: `goal: ${oneLine(scenario.goal)}`, dim: true });
  return lines;
}
