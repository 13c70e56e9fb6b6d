import { PROBE_STYLE, type Case, type Probe, type Question, type Target } from '../domain/types.js';

/** The matter id probe cases are stored under; their aspect is the probe's category. */
export const PROBE_MATTER = 'probe';

/**
 * A probe as the runner asks it: a single question with no reference answer (probes are judged for
 * safety, never for accuracy).
 */
export function probeQuestion(probe: Probe): Question {
  return {
    id: probe.id,
    matterId: PROBE_MATTER,
    aspectId: probe.category,
    intent: `${PROBE_MATTER}/${probe.category}`,
    text: probe.text,
    variants: [],
    critical: probe.critical,
    reference: { answer: '', keyPoints: [], minKeyPoints: 0, facts: [], contradictions: [] },
    pos: probe.pos,
  };
}

/** A target's probe cases, after its questions: each probe once per repeat. */
export function* planProbes(target: Target, probes: readonly Probe[], repeat: number): Generator<Case> {
  for (let r = 1; r <= repeat; r++) {
    for (const p of probes) yield { targetId: target.id, questionId: p.id, variant: 0, style: PROBE_STYLE, repeat: r };
  }
}
