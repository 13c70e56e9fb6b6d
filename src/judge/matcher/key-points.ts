/** Key points: a point is conveyed when any of its `match` patterns occurs in the answer. */
import type { CompiledKeyPoints } from './compile-question.js';
import type { MatchForms } from './text-pattern.js';

export interface KeyPointHits {
  /** Ids of the key points conveyed, in bank order. */
  ids: string[];
  /** How many of them were matched by more than a word naming the topic (`CompiledKeyPoints.topical`). */
  substantive: number;
}

export function findKeyPoints(keyPoints: CompiledKeyPoints, forms: MatchForms): KeyPointHits {
  const found = keyPoints.patterns.matches(forms);
  // 1: matched only through words naming the topic; 2: matched by something else.
  const hit = new Uint8Array(keyPoints.ids.length);
  found.forEach((m, i) => {
    if (m !== 1) return;
    const k = keyPoints.owner[i]!;
    hit[k] = Math.max(hit[k]!, keyPoints.topical[i] === 1 ? 1 : 2);
  });
  return { ids: keyPoints.ids.filter((_, i) => hit[i]! > 0), substantive: hit.filter((h) => h === 2).length };
}

/** Ids of the key points the answer conveys, in bank order. */
export function hitKeyPoints(keyPoints: CompiledKeyPoints, forms: MatchForms): string[] {
  return findKeyPoints(keyPoints, forms).ids;
}

/** SPEC §4: min(1, hits ÷ minKeyPoints). */
export function keyPointAccuracy(hits: number, minKeyPoints: number): number {
  return minKeyPoints <= 0 ? 1 : Math.min(1, hits / minKeyPoints);
}
