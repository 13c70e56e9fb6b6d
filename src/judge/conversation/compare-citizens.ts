/**
 * The simulator measured (issue 16 §3): the same scenarios played against the same bot by both
 * citizens; where they reach different outcomes, at least one of them is not a faithful citizen.
 */
import type { CitizenKind } from '../../domain/types.js';

/** One played conversation, as far as the comparison needs it. */
export interface CitizenOutcome {
  targetId: string;
  scenarioId: string;
  citizen: CitizenKind;
  goalReached: boolean;
  /** Set when the simulator broke the conversation: it says nothing of the bot and is left out. */
  broken?: string | null;
}

/** A target × scenario both citizens played, with a different outcome. */
export interface CitizenDisagreement {
  targetId: string;
  scenarioId: string;
  /** Per citizen kind: whether it reached the goal. */
  reached: Record<CitizenKind, boolean>;
}

export interface CitizenComparison {
  /** Target × scenario pairs played (unbroken) by both citizens. */
  pairs: number;
  /** Pairs where the outcomes differ, in the order first seen. */
  differing: CitizenDisagreement[];
  /** differing ÷ pairs; null when no pair was played by both. */
  share: number | null;
}

/**
 * How often the two citizens reach different outcomes on the same target and scenario. With repeats,
 * a citizen reached the goal of a pair when at least half of its unbroken plays did.
 */
export function compareCitizens(outcomes: readonly CitizenOutcome[]): CitizenComparison {
  const byPair = new Map<string, { targetId: string; scenarioId: string; plays: Map<CitizenKind, boolean[]> }>();
  for (const o of outcomes) {
    if (o.broken) continue;
    const key = JSON.stringify([o.targetId, o.scenarioId]);
    const entry = byPair.get(key) ?? { targetId: o.targetId, scenarioId: o.scenarioId, plays: new Map() };
    entry.plays.set(o.citizen, [...(entry.plays.get(o.citizen) ?? []), o.goalReached]);
    byPair.set(key, entry);
  }
  let pairs = 0;
  const differing: CitizenDisagreement[] = [];
  for (const { targetId, scenarioId, plays } of byPair.values()) {
    const rule = plays.get('rule');
    const llm = plays.get('llm');
    if (!rule || !llm) continue;
    pairs++;
    const reached = { rule: mostlyReached(rule), llm: mostlyReached(llm) };
    if (reached.rule !== reached.llm) differing.push({ targetId, scenarioId, reached });
  }
  return { pairs, differing, share: pairs === 0 ? null : differing.length / pairs };
}

function mostlyReached(plays: readonly boolean[]): boolean {
  return plays.filter(Boolean).length * 2 >= plays.length;
}
