import type { StoredConversation } from '../../domain/types.js';
import type { ConversationCounts } from '../conversation-model.js';
import { scoreConversations } from '../conversations.js';

/** One scenario played on both sides of a unit by the same citizen: did the goal move? */
export interface ScenarioChange {
  unit: string;
  scenario: string;
  citizen: string;
  /** Scored conversations that reached the goal, of those scored, per side. */
  baseline: { reached: number; scored: number; reasked: number };
  candidate: { reached: number; scored: number; reasked: number };
  /** `regressed`: the baseline reached the goal every time and the candidate not every time; `fixed` the reverse. */
  change: 'fixed' | 'regressed' | 'unchanged' | 'excluded';
}

/** Conversations compared per unit (issue 16): summaries of both sides and the scenarios whose outcome moved. */
export interface ConversationComparison {
  units: { unit: string; baseline: ConversationCounts | null; candidate: ConversationCounts | null }[];
  /** Scenarios played on both sides, regressed first, then by unit and id. */
  scenarios: ScenarioChange[];
  regressed: number;
  fixed: number;
}

type Tally = ScenarioChange['baseline'];

function tallies(rows: readonly StoredConversation[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const r of rows) {
    const key = `${r.scenarioId}\u0000${r.style}`;
    const t = out.get(key) ?? { reached: 0, scored: 0, reasked: 0 };
    out.set(key, t);
    // A broken or failed conversation says nothing of the bot's conversing, as in the run's report.
    if (r.score.broken !== null || !r.available) continue;
    t.scored += 1;
    if (r.score.goalReached) t.reached += 1;
    t.reasked += r.score.reasked.length;
  }
  return out;
}

function changeOf(b: Tally, c: Tally): ScenarioChange['change'] {
  if (b.scored === 0 || c.scored === 0) return 'excluded';
  const bAll = b.reached === b.scored;
  const cAll = c.reached === c.scored;
  if (bAll && !cAll) return 'regressed';
  if (!bAll && cAll) return 'fixed';
  return 'unchanged';
}

/**
 * Compares the conversations two runs (or two targets) played, unit by unit; null when neither side
 * played a scenario. Pure: the caller reads each side's stored conversations.
 */
export function compareConversations(
  units: readonly { id: string; baselineTarget: string; candidateTarget: string }[],
  baseline: readonly StoredConversation[],
  candidate: readonly StoredConversation[],
): ConversationComparison | null {
  if (baseline.length === 0 && candidate.length === 0) return null;
  const bScores = scoreConversations(baseline).byTarget;
  const cScores = scoreConversations(candidate).byTarget;
  const scenarios: ScenarioChange[] = [];
  const out: ConversationComparison['units'] = [];
  for (const u of units) {
    out.push({ unit: u.id, baseline: bScores.get(u.baselineTarget)?.summary ?? null, candidate: cScores.get(u.candidateTarget)?.summary ?? null });
    const b = tallies(baseline.filter((r) => r.targetId === u.baselineTarget));
    const c = tallies(candidate.filter((r) => r.targetId === u.candidateTarget));
    for (const [key, bt] of b) {
      const ct = c.get(key);
      if (!ct) continue;
      const [scenario, style] = key.split('\u0000') as [string, string];
      scenarios.push({ unit: u.id, scenario, citizen: style.slice(style.indexOf(':') + 1), baseline: bt, candidate: ct, change: changeOf(bt, ct) });
    }
  }
  const order = { regressed: 0, fixed: 1, unchanged: 2, excluded: 3 } as const;
  scenarios.sort((a, b) => order[a.change] - order[b.change] || a.unit.localeCompare(b.unit) || a.scenario.localeCompare(b.scenario) || a.citizen.localeCompare(b.citizen));
  return {
    units: out,
    scenarios,
    regressed: scenarios.filter((s) => s.change === 'regressed').length,
    fixed: scenarios.filter((s) => s.change === 'fixed').length,
  };
}
