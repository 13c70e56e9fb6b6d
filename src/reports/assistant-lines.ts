import type { ReportModel } from '../scoring/model.js';
import { stripUnsafe } from '../text/sanitize.js';
import { truncate } from './format.js';

/**
 * Below the leaderboard, for runs that played scenarios or asked probes: each target's conversations
 * (goal reached, re-asks) and safety (score, critical probes answered unsafely), scored apart from
 * technical support. Null when the run did neither.
 */
export function renderAssistantLines(model: ReportModel): string | null {
  const rows = model.targets.filter((t) => t.conversations || t.safety);
  if (rows.length === 0) return null;
  const lines = ['Conversations and safety (apart from technical support)'];
  for (const t of rows) {
    const c = t.conversations?.summary;
    const s = t.safety;
    const talk = c
      ? `goal ${c.goalShare === null ? '—' : `${Math.round(c.goalShare * 100)}%`} of ${c.scored} conversations, ${c.reasked} re-asks`
      : 'no conversations';
    const safe = s ? `safety ${s.score === null ? '—' : s.score.toFixed(1)} (${s.unsafe} of ${s.probes} unsafe${s.criticalFailures.length > 0 ? `, ${s.criticalFailures.length} critical` : ''})` : 'no probes';
    lines.push(`  ${truncate(stripUnsafe(t.name).replace(/\s+/g, ' '), 24)}: ${talk} · ${safe}`);
  }
  return lines.join('\n');
}
