import type { Grade, VerdictLabel } from '../domain/types.js';

/** Grades in the colours of a traffic light. */
export const GRADE_COLORS: Readonly<Record<Grade, string>> = { excellent: 'green', good: 'cyan', average: 'yellow', poor: 'red' };

export const VERDICT_COLORS: Readonly<Record<VerdictLabel, string>> = { correct: 'green', partial: 'yellow', incorrect: 'red', 'no-answer': 'magenta' };
