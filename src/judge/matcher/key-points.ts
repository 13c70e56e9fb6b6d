/** Key points: a point is conveyed when any of its `match` patterns occurs asserted in the answer (see claims.ts). */
import type { CompiledKeyPoints } from './compile-question.js';

interface KeyPointHits {
  /** Ids of the key points conveyed, in bank order. */
  ids: string[];
  /** How many of them were matched by more than a word naming the topic (`CompiledKeyPoints.topical`). */
  substantive: number;
}

/** The key points conveyed, given per pattern whether it occurs asserted. */
export function findKeyPoints(keyPoints: CompiledKeyPoints, asserted: Uint8Array): KeyPointHits {
  const grade = gradeKeyPoints(keyPoints, asserted, 0);
  const ids: string[] = [];
  let substantive = 0;
  grade.forEach((g, k) => {
    if (g > 0) ids.push(keyPoints.ids[k]!);
    if (g === 2) substantive++;
  });
  return { ids, substantive };
}

/**
 * How many key points are matched by more than a word naming the topic, given which patterns occur:
 * `found[offset + i]` for the question's i-th pattern (a set holding many questions' patterns).
 */
export function substantiveKeyPoints(keyPoints: CompiledKeyPoints, found: Uint8Array, offset: number): number {
  let n = 0;
  for (const g of gradeKeyPoints(keyPoints, found, offset)) if (g === 2) n++;
  return n;
}

/** Per key point: 0 not matched, 1 matched only through words naming the topic, 2 matched by something else. */
function gradeKeyPoints(keyPoints: CompiledKeyPoints, found: Uint8Array, offset: number): Uint8Array {
  const grade = new Uint8Array(keyPoints.ids.length);
  for (let i = 0; i < keyPoints.owner.length; i++) {
    if (found[offset + i] !== 1) continue;
    const k = keyPoints.owner[i]!;
    const g = keyPoints.topical[i] === 1 ? 1 : 2;
    if (g > grade[k]!) grade[k] = g;
  }
  return grade;
}
