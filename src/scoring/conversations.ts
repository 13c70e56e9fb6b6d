import { SCENARIO_STYLE_PREFIX, type StoredConversation } from '../domain/types.js';
import type { ConversationCounts, ConversationResults, SimulatorAgreement, TargetConversations } from './conversation-model.js';
import type { ReportModel } from './model.js';

const citizenOf = (style: string): string => style.slice(SCENARIO_STYLE_PREFIX.length);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Scores a run's played conversations per target, per scenario × citizen, and the simulators' agreement. */
export function scoreConversations(conversations: Iterable<StoredConversation>): ConversationResults {
  const byTarget = new Map<string, Map<string, StoredConversation[]>>();
  const outcomes = new Map<string, Map<string, boolean>>();
  for (const c of conversations) {
    const cells = byTarget.get(c.targetId) ?? new Map<string, StoredConversation[]>();
    byTarget.set(c.targetId, cells);
    const cell = `${c.scenarioId}\u0000${citizenOf(c.style)}`;
    cells.set(cell, [...(cells.get(cell) ?? []), c]);
    if (isScored(c)) {
      const pair = `${c.targetId}/${c.scenarioId}${c.repeat > 1 ? `#${c.repeat}` : ''}`;
      const o = outcomes.get(pair) ?? new Map<string, boolean>();
      outcomes.set(pair, o.set(citizenOf(c.style), c.score.goalReached));
    }
  }
  const results = new Map<string, TargetConversations>();
  for (const [targetId, cells] of byTarget) {
    const scenarios = [...cells.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([cell, list]) => {
        const [scenario, citizen] = cell.split('\u0000') as [string, string];
        return { scenario, citizen, ...countsOf(list) };
      });
    results.set(targetId, { summary: countsOf([...cells.values()].flat()), scenarios });
  }
  return { byTarget: results, simulator: agreementOf(outcomes) };
}

function isScored(c: StoredConversation): boolean {
  return c.score.broken === null && c.available;
}

function countsOf(list: readonly StoredConversation[]): ConversationCounts {
  const broken = list.filter((c) => c.score.broken !== null).length;
  const scored = list.filter(isScored);
  const reached = scored.filter((c) => c.score.goalReached);
  const turns = reached.map((c) => c.score.turnsToGoal).filter((t): t is number => t !== null);
  return {
    played: list.length,
    broken,
    failed: list.length - broken - scored.length,
    scored: scored.length,
    goalReached: reached.length,
    goalShare: scored.length === 0 ? null : reached.length / scored.length,
    meanTurnsToGoal: turns.length === 0 ? null : turns.reduce((a, b) => a + b, 0) / turns.length,
    reasked: scored.reduce((n, c) => n + c.score.reasked.length, 0),
    contradictions: scored.reduce((n, c) => n + c.score.contradictions.length, 0),
  };
}

function agreementOf(outcomes: Map<string, Map<string, boolean>>): SimulatorAgreement | null {
  const kinds = new Set([...outcomes.values()].flatMap((o) => [...o.keys()]));
  if (kinds.size < 2) return null;
  const pairs = [...outcomes.entries()].filter(([, o]) => o.size >= 2);
  const differing = pairs.filter(([, o]) => new Set(o.values()).size > 1).map(([pair]) => pair);
  return { pairs: pairs.length, differing: differing.length, share: pairs.length === 0 ? null : differing.length / pairs.length, examples: differing.sort(compare).slice(0, 10) };
}

/** The model with each target's conversation results and the simulators' agreement; unchanged when none was played. */
export function withConversations(model: ReportModel, conversations: readonly StoredConversation[]): ReportModel {
  if (conversations.length === 0) return model;
  const { byTarget, simulator } = scoreConversations(conversations);
  return {
    ...model,
    targets: model.targets.map((t) => {
      const c = byTarget.get(t.id);
      return c ? { ...t, conversations: c } : t;
    }),
    simulator,
  };
}
