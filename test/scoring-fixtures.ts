import { caseFailure, type CaseRecord, type ErrorKind, type VerdictLabel } from '../src/domain/types.js';
import type { ReportRunMeta, ScoreTarget } from '../src/scoring/model.js';

/** Hand-built cases for the scoring and report tests; the expected numbers are worked out in the tests. */

export const RUN: ReportRunMeta = {
  id: 'run-1',
  label: 'fixture',
  banksHash: 'abcdef0123456789',
  judge: 'matcher',
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T01:00:00.000Z',
  status: 'finished',
};

export const TARGETS: ScoreTarget[] = [
  { id: 'shanghai', name: '上海', region: 'east', province: '上海' },
  { id: 'beijing', name: '北京', region: 'north', province: '北京' },
  { id: 'hangzhou', name: '杭州', region: 'east', province: '浙江' },
  { id: 'wuhan', name: '武汉', region: 'central', province: '湖北' },
];

const QUESTIONS: Record<string, { matterId: string; aspectId: string }> = {
  q1: { matterId: 'm1', aspectId: 'a' },
  q2: { matterId: 'm1', aspectId: 'b' },
  q3: { matterId: 'm2', aspectId: 'a' },
};

export interface CaseSpec {
  target: string;
  q: string;
  style?: string;
  repeat?: number;
  firstMs?: number | null;
  /** Absent: available. */
  error?: ErrorKind;
  /** `[verdict, intentRecognized, accuracy, predictedIntent]`; 'unjudged' or absent (null verdict). */
  v?: [VerdictLabel, boolean, number, string | null] | 'unjudged';
}

/** The failure kind as the stores read it: technical kinds from the error, none without a stored kind. */
const withFailure = (r: Omit<CaseRecord, 'failure'>): CaseRecord => ({ ...r, failure: caseFailure(r.errorKind, r.verdict) });

export function record(s: CaseSpec): CaseRecord {
  const q = QUESTIONS[s.q] ?? { matterId: 'm9', aspectId: 'x' };
  const intent = `${q.matterId}/${q.aspectId}`;
  const style = s.style ?? 'canonical';
  const available = s.error === undefined;
  const firstMs = available ? (s.firstMs === undefined ? 1000 : s.firstMs) : null;
  return withFailure({
    targetId: s.target,
    questionId: s.q,
    matterId: q.matterId,
    aspectId: q.aspectId,
    intent,
    variant: style === 'canonical' ? 0 : ['colloquial', 'typo', 'indirect'].indexOf(style) + 1,
    style,
    repeat: s.repeat ?? 0,
    critical: false,
    available,
    errorKind: s.error ?? null,
    firstMs,
    totalMs: firstMs === null ? null : firstMs + 500,
    verdict:
      s.v === undefined
        ? null
        : s.v === 'unjudged'
          ? { status: 'unjudged', judge: 'matcher', turn: 0, reason: 'judge failed' }
          : {
              status: 'judged',
              judge: 'matcher',
              turn: 0,
              verdict: s.v[0],
              intentRecognized: s.v[1],
              accuracy: s.v[2],
              predictedIntent: s.v[3],
              keyPointsHit: [],
              factErrors: [],
              contradictions: [],
              rationale: '',
            },
  });
}

/**
 * shanghai: 7 cases over q1–q3 with variants, a timeout, an unjudged case, a repeat and confusions.
 * beijing: 3 canonical cases. hangzhou: 1 perfect case. wuhan: no cases.
 */
export const CASES: CaseRecord[] = [
  { target: 'shanghai', q: 'q1', firstMs: 1000, v: ['correct', true, 1, 'm1/a'] },
  { target: 'shanghai', q: 'q1', style: 'colloquial', firstMs: 16500, v: ['partial', true, 0.5, null] },
  { target: 'shanghai', q: 'q2', firstMs: 3000, v: ['correct', true, 1, 'm1/b'] },
  { target: 'shanghai', q: 'q2', style: 'colloquial', firstMs: 2000, v: ['incorrect', false, 0, 'm2/a'] },
  { target: 'shanghai', q: 'q2', style: 'typo', error: 'timeout' },
  { target: 'shanghai', q: 'q3', firstMs: 30000, v: 'unjudged' },
  { target: 'shanghai', q: 'q3', repeat: 1, firstMs: 3000, v: ['no-answer', false, 0, null] },
  { target: 'beijing', q: 'q1', v: ['correct', true, 1, 'm1/a'] },
  { target: 'beijing', q: 'q2', v: ['correct', true, 1, 'm1/b'] },
  { target: 'beijing', q: 'q3', v: ['partial', true, 0.5, 'm2/a'] },
  { target: 'hangzhou', q: 'q1', v: ['correct', true, 1, 'm1/a'] },
].map((s) => record(s as CaseSpec));
