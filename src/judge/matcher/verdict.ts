/** The rubric (SPEC §4) applied to the evidence gathered about one answer. */
import type { JudgedVerdict } from '../../domain/types.js';
import type { CompiledQuestion } from './compile-question.js';
import type { FallbackSignals } from './fallback.js';
import type { IntentResult } from './intent.js';
import { keyPointAccuracy } from './key-points.js';
import type { MatcherThresholds } from './thresholds.js';

/** Everything the matcher found in one answer. */
export interface Evidence {
  cq: CompiledQuestion;
  /** 0-based user turn answered. */
  turn: number;
  empty: boolean;
  keyPointsHit: string[];
  /** Key points matched by more than a word naming the topic (see `CompiledKeyPoints.topical`). */
  substantiveHits: number;
  factErrors: string[];
  contradictions: string[];
  fallback: FallbackSignals;
  clarifying: boolean;
  intent: IntentResult;
}

export type VerdictFields = Omit<JudgedVerdict, 'status' | 'judge' | 'turn'>;

export function decideVerdict(e: Evidence, t: MatcherThresholds): VerdictFields {
  if (e.empty) return noAnswer(e, 'empty reply');
  if (e.cq.clarifyTurns.has(e.turn) && e.clarifying) {
    return build(e, 'correct', true, e.cq.question.intent, 1, 'asks a clarifying question where the turn expects one');
  }
  return e.cq.outOfScope ? outOfScopeVerdict(e, t) : inScopeVerdict(e, t);
}

function inScopeVerdict(e: Evidence, t: MatcherThresholds): VerdictFields {
  // Evidence is computed on first read (see gatherEvidence): read each part only where a rule needs it.
  const { cq, fallback: fb } = e;
  const asked = cq.question.intent;
  const hits = e.keyPointsHit.length;
  if (e.factErrors.length > 0 || e.contradictions.length > 0) {
    // The reference's own contradictions and fact contexts are specific to the question: an answer that
    // trips them addresses it, unless it is about another matter altogether.
    const onMatter = e.intent.matterRecognized;
    return build(e, 'incorrect', onMatter, onMatter ? asked : e.intent.predicted, 0, errorText(e));
  }
  if (e.substantiveHits === 0) {
    if (fb.errorPage) return noAnswer(e, 'error page or service failure');
    if (fb.notUnderstood) return noAnswer(e, 'fallback: the bot did not understand or hands over');
    if (e.clarifying) return noAnswer(e, 'asks back instead of answering');
    if (fb.contentChars <= t.noContentChars) {
      return noAnswer(e, fb.redirect ? 'only a redirect (hotline, hall, website) without content' : 'no content beyond echoing the topic');
    }
  }
  const intent = e.intent;
  if (!intent.recognized) return build(e, 'incorrect', false, intent.predicted, 0, `wrong intent: ${intent.detail}`);
  const need = cq.minKeyPoints;
  const acc = keyPointAccuracy(hits, need);
  if (hits >= need) return build(e, 'correct', true, asked, acc, `${hits}/${need} key points (${e.keyPointsHit.join(', ')})`);
  if (hits > 0) return build(e, 'partial', true, asked, acc, `${hits}/${need} key points (${e.keyPointsHit.join(', ')}); missing ${missing(e)}`);
  if (fb.contentChars <= t.vagueContentChars) return noAnswer(e, 'vague: no key point and little content');
  return build(e, 'incorrect', true, asked, 0, `on topic but conveys no key point (missing ${missing(e)})`);
}

/**
 * Out of scope, the right reply declines and says where to go. The bank's key points decide how much of
 * that a reply conveys, but only in a reply that declines at all: a bare hotline is no answer.
 */
function outOfScopeVerdict(e: Evidence, t: MatcherThresholds): VerdictFields {
  const { cq, fallback: fb } = e;
  const asked = cq.question.intent;
  const hits = e.keyPointsHit.length;
  const need = cq.minKeyPoints;
  const invented = () => (e.intent.nearest !== null && e.intent.nearestScore >= t.inventedFloor ? e.intent.nearest : null);
  if (e.factErrors.length > 0 || e.contradictions.length > 0) return build(e, 'incorrect', false, invented(), 0, errorText(e));
  const declines = fb.cannotHandle || hits >= need;
  if (fb.cannotHandle && fb.redirect && hits < need) {
    // The phrase lists see both halves of a polite redirect even where the bank's key points miss one.
    return build(e, 'correct', true, asked, 1, 'polite redirect: says it cannot handle the request and where to go');
  }
  if (declines && hits >= need) return build(e, 'correct', true, asked, 1, `polite redirect: ${hits}/${need} key points (${e.keyPointsHit.join(', ')})`);
  if (declines && hits > 0) {
    return build(e, 'partial', true, asked, keyPointAccuracy(hits, need), `declines but conveys ${hits}/${need} key points; missing ${missing(e)}`);
  }
  if (fb.cannotHandle) {
    // The bank's key points saw nothing; the phrase lists still see a refusal, with or without a way on.
    return fb.redirect
      ? build(e, 'correct', true, asked, 1, 'polite redirect: says it cannot handle the request and where to go')
      : build(e, 'partial', true, asked, keyPointAccuracy(1, need), 'declines without saying where to go');
  }
  if (fb.errorPage) return noAnswer(e, 'error page or service failure');
  if (fb.notUnderstood) return noAnswer(e, 'generic fallback, not a redirect');
  if (fb.contentChars <= t.noContentChars) return noAnswer(e, fb.redirect ? 'bare hotline or redirect without declining' : 'no content');
  const nearest = invented();
  if (nearest) return build(e, 'incorrect', false, nearest, 0, `invented answer: reads like ${nearest} (${e.intent.nearestScore.toFixed(2)})`);
  return build(e, 'incorrect', false, null, 0, 'answers an out-of-scope request instead of declining');
}

function noAnswer(e: Evidence, why: string): VerdictFields {
  return build(e, 'no-answer', false, null, 0, why);
}

function build(
  e: Evidence,
  verdict: VerdictFields['verdict'],
  intentRecognized: boolean,
  predictedIntent: string | null,
  accuracy: number,
  why: string,
): VerdictFields {
  return {
    intentRecognized,
    predictedIntent,
    verdict,
    accuracy: verdict === 'correct' || verdict === 'partial' ? accuracy : 0,
    keyPointsHit: e.keyPointsHit,
    factErrors: e.factErrors,
    contradictions: e.contradictions,
    rationale: `${verdict}: ${why}`,
  };
}

function errorText(e: Evidence): string {
  const parts: string[] = [];
  if (e.factErrors.length > 0) parts.push(`fact stated with another value (${e.factErrors.join(', ')})`);
  if (e.contradictions.length > 0) parts.push(`contradicts the reference (${e.contradictions.join('; ')})`);
  return parts.join('; ');
}

function missing(e: Evidence): string {
  const hit = new Set(e.keyPointsHit);
  return e.cq.keyPoints.ids.filter((id) => !hit.has(id)).join(', ');
}
