import type { CaseRecord } from '../../domain/types.js';
import type { FlakyQuestion, RepeatTally } from './comparison.js';
import { outcomeOf } from './pairing.js';

interface PhrasingTally extends RepeatTally {
  unit: string;
  questionId: string;
  matterId: string;
  critical: boolean;
}

/**
 * Tallies each side's repeats per (unit, question, variant) as cases stream by, then says which
 * questions flipped within a side: noise the paired test must not count as a regression or a fix.
 */
export class FlakyTracker {
  private readonly sides = { baseline: new Map<string, PhrasingTally>(), candidate: new Map<string, PhrasingTally>() };

  add(side: 'baseline' | 'candidate', unit: string, r: CaseRecord): void {
    const key = `${unit}\u0000${r.questionId}\u0000${r.variant}`;
    const m = this.sides[side];
    let t = m.get(key);
    if (!t) m.set(key, (t = { unit, questionId: r.questionId, matterId: r.matterId, critical: r.critical, attempts: 0, correct: 0 }));
    t.attempts += 1;
    if (outcomeOf(r) === 'correct') t.correct += 1;
  }

  /** Flaky questions, keyed `unit \0 question`; a question is flaky when any phrasing flipped on either side. */
  finish(): Map<string, FlakyQuestion> {
    const flips = (t: RepeatTally) => t.correct > 0 && t.correct < t.attempts;
    const flakyKeys = new Set<string>();
    for (const m of Object.values(this.sides)) for (const t of m.values()) if (flips(t)) flakyKeys.add(`${t.unit}\u0000${t.questionId}`);
    const out = new Map<string, FlakyQuestion>();
    for (const [side, m] of Object.entries(this.sides) as ['baseline' | 'candidate', Map<string, PhrasingTally>][]) {
      for (const t of m.values()) {
        const key = `${t.unit}\u0000${t.questionId}`;
        if (!flakyKeys.has(key)) continue;
        let q = out.get(key);
        if (!q) {
          out.set(key, (q = { unit: t.unit, questionId: t.questionId, matterId: t.matterId, critical: t.critical, baseline: { attempts: 0, correct: 0 }, candidate: { attempts: 0, correct: 0 }, criticalRegression: false }));
        }
        q[side].attempts += t.attempts;
        q[side].correct += t.correct;
        if (side === 'candidate') q.critical = t.critical;
      }
    }
    for (const q of out.values()) {
      q.criticalRegression = q.critical && q.baseline.attempts > 0 && q.baseline.correct === q.baseline.attempts && q.candidate.correct < q.candidate.attempts;
    }
    return out;
  }
}
