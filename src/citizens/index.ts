import type { Citizen, CitizenKind, CitizenMove, Exchange, Scenario } from '../domain/types.js';

export interface CitizenOptions {
  llm?: { baseURL: string; model: string; apiKey?: string; temperature?: number; timeoutMs?: number };
}

/** A placeholder citizen of either kind: it says the opening, then stays silent until `maxTurns`. */
export function createCitizen(kind: CitizenKind, _options?: CitizenOptions): Citizen {
  return {
    kind,
    next: (scenario: Scenario, history: readonly Exchange[]): Promise<CitizenMove> =>
      Promise.resolve(history.length === 0 ? { say: scenario.opening } : history.length >= scenario.maxTurns ? { stop: 'max-turns' } : { say: '还有吗？' }),
  };
}
