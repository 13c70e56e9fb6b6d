import { caseFailure, type CaseRecord } from '../src/domain/types.js';
import type { CaseOutcome, CompareSide, CompareTarget } from '../src/scoring/compare/comparison.js';

/** Hand-built cases for the compare and JUnit tests; the expected numbers are worked out in the tests. */

export interface CaseSpec {
  target: string;
  q: string;
  out: CaseOutcome;
  variant?: number;
  repeat?: number;
  critical?: boolean;
  /** @default 'm1' */
  matter?: string;
  /** @default 'a' */
  aspect?: string;
  rationale?: string;
}

const ACCURACY: Record<string, number> = { correct: 1, partial: 0.5, incorrect: 0, 'no-answer': 0 };

/** One case; available cases answer in 1 s, so responsiveness is 100 and drops out of the arithmetic. */
/** The failure kind as the stores read it: technical kinds from the error, none without a stored kind. */
const withFailure = (r: Omit<CaseRecord, 'failure'>): CaseRecord => ({ ...r, failure: caseFailure(r.errorKind, r.verdict) });

export function rec(s: CaseSpec): CaseRecord {
  const matterId = s.matter ?? 'm1';
  const aspectId = s.aspect ?? 'a';
  const available = s.out !== 'unavailable';
  const variant = s.variant ?? 0;
  return withFailure({
    targetId: s.target,
    questionId: s.q,
    matterId,
    aspectId,
    intent: `${matterId}/${aspectId}`,
    variant,
    style: variant === 0 ? 'canonical' : `style-${variant}`,
    repeat: s.repeat ?? 0,
    critical: s.critical ?? false,
    available,
    errorKind: available ? null : 'timeout',
    firstMs: available ? 1000 : null,
    totalMs: available ? 1500 : null,
    verdict:
      s.out === 'unavailable'
        ? null
        : s.out === 'unjudged'
          ? { status: 'unjudged', judge: 'matcher', turn: 0, reason: 'judge failed' }
          : {
              status: 'judged',
              judge: 'matcher',
              turn: 0,
              verdict: s.out,
              intentRecognized: s.out !== 'no-answer',
              predictedIntent: null,
              accuracy: ACCURACY[s.out]!,
              keyPointsHit: ['k1'],
              factErrors: [],
              contradictions: [],
              rationale: s.rationale ?? `${s.out} because`,
            },
  });
}

export function side(
  id: string,
  targets: readonly (string | CompareTarget)[],
  cases: readonly CaseSpec[],
  banksHash = 'bank-1',
): CompareSide {
  return {
    run: {
      id,
      label: `label ${id}`,
      banksHash,
      judge: 'matcher',
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T01:00:00.000Z',
      status: 'finished',
    },
    targets: targets.map((t) => (typeof t === 'string' ? { id: t, name: `name ${t}`, role: null } : t)),
    cases: cases.map(rec),
  };
}

/** `n` questions `q01…` of one target, each with the given outcome. */
export function many(target: string, n: number, out: CaseOutcome, from = 1): CaseSpec[] {
  return Array.from({ length: n }, (_, i) => ({ target, q: `q${String(from + i).padStart(2, '0')}`, out }));
}
