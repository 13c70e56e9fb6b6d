import { CITIZEN_KINDS, SCENARIO_STYLE_PREFIX, type Case, type CitizenKind, type Scenario, type Target } from '../domain/types.js';

/** The case style of a scenario played by a citizen of this kind. */
export function scenarioStyle(kind: CitizenKind): string {
  return `${SCENARIO_STYLE_PREFIX}${kind}`;
}

/** The citizen kind a case style names; null for a case that is no scenario. */
export function citizenKindOf(style: string): CitizenKind | null {
  if (!style.startsWith(SCENARIO_STYLE_PREFIX)) return null;
  const kind = style.slice(SCENARIO_STYLE_PREFIX.length);
  return (CITIZEN_KINDS as readonly string[]).includes(kind) ? (kind as CitizenKind) : null;
}

/**
 * A case's key holds no style, so the citizen kind picks the variant: both citizens can play one
 * scenario in one run, and the rule citizen (the default) plays variant 0.
 */
export function citizenVariant(kind: CitizenKind): number {
  return CITIZEN_KINDS.indexOf(kind);
}

export function countScenarioCases(scenarios: readonly Scenario[], kinds: readonly CitizenKind[], repeat: number): number {
  return scenarios.length * kinds.length * repeat;
}

/** A target's conversations: each scenario played by each citizen kind, every repeat. */
export function* scenarioCases(target: Target, scenarios: readonly Scenario[], kinds: readonly CitizenKind[], repeat: number): Generator<Case> {
  for (let r = 1; r <= repeat; r++) {
    for (const s of scenarios) {
      for (const kind of kinds) yield { targetId: target.id, questionId: s.id, variant: citizenVariant(kind), style: scenarioStyle(kind), repeat: r };
    }
  }
}
