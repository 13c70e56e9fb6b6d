/**
 * Why a case is not correct (issue 15): one primary kind per case, from the judges' evidence and the
 * transcript. Ids are stable: reports, trends across years and the pain-point catalogue key on them.
 */

/** What the answer did wrong, when a reply came. */
export const ANSWER_FAILURE_KINDS = [
  'fallback',
  'handoff',
  'wrong-matter',
  'wrong-aspect',
  'missing-key-points',
  'wrong-fact',
  'outdated',
  'contradiction',
  'suggestions-only',
  'declined-in-scope',
  'answered-out-of-scope',
] as const;

/** Why no usable reply came (the city's side; our own failures are never classified). */
export const TECHNICAL_FAILURE_KINDS = ['timeout', 'connect', 'http-status', 'parse', 'empty', 'blocked', 'unavailable'] as const;

export const FAILURE_KINDS = [...ANSWER_FAILURE_KINDS, ...TECHNICAL_FAILURE_KINDS] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];
