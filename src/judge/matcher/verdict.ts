/**
 * The rubric (SPEC §4) applied to the evidence gathered about one answer, with how sure the matcher is.
 * Each rule that decides a verdict starts from its own confidence; evidence that conflicts with the
 * verdict or leaves the answer's claims unbound to the question lowers it, and below
 * `abstainBelow` the matcher abstains: the verdict stays as its best guess and `uncertain` says why.
 */
import { keyPointAccuracy, type VerdictFields } from '../rubric.js';
import type { Binding, Discount } from './claims.js';
import type { CompiledQuestion } from './compile-question.js';
import type { FallbackSignals } from './fallback.js';
import type { IntentResult } from './intent.js';
import type { MatcherThresholds } from './thresholds.js';

/** Everything the matcher found in one answer. */
export interface Evidence {
  cq: CompiledQuestion;
  /** 0-based user turn answered. */
  turn: number;
  empty: boolean;
  /** Key points the answer asserts. */
  keyPointsHit: string[];
  /** Asserted key points matched by more than a word naming the topic (see `CompiledKeyPoints.topical`). */
  substantiveHits: number;
  /** Key points matched but not asserted (denied, guessed, asked back, suggested, said of another matter). */
  discounted: ReadonlyArray<{ id: string; why: Discount }>;
  /** Key points the answer denies and nowhere asserts. */
  denied: string[];
  factErrors: string[];
  /** Superseded rules the answer repeats. */
  outdated: string[];
  contradictions: string[];
  fallback: FallbackSignals;
  clarifying: boolean;
  intent: IntentResult;
  /** Whether the answer names the asked matter; qualified mentions of a neighbouring thing it does not name. */
  mentions: { asked: boolean; neighbours: string[] };
  /** Sentences with content, and how many of them hold a key point of the question. */
  binding: Binding;
  /** Written in markdown as large-model assistants write (bold, headings, tables, bullets). */
  styled: boolean;
}

/** A verdict before its confidence is settled: the rule's own confidence and what lowers it. */
interface Draft {
  fields: VerdictFields;
  confidence: number;
  doubts: string[];
}

export function decideVerdict(e: Evidence, t: MatcherThresholds): VerdictFields {
  const draft = draftVerdict(e, t);
  const confidence = Math.max(0, Math.min(1, draft.confidence));
  const fields: VerdictFields = { ...draft.fields, confidence: round(confidence) };
  if (confidence < t.abstainBelow) fields.uncertain = draft.doubts.join('; ') || 'thin evidence';
  return fields;
}

function draftVerdict(e: Evidence, t: MatcherThresholds): Draft {
  if (e.empty) return noAnswer(e, 'empty reply', 1);
  if (e.cq.clarifyTurns.has(e.turn) && e.clarifying) {
    return build(e, 'correct', true, e.cq.question.intent, 1, 'asks a clarifying question where the turn expects one', t.confidence.clarify);
  }
  return e.cq.outOfScope ? outOfScopeVerdict(e, t) : inScopeVerdict(e, t);
}

function inScopeVerdict(e: Evidence, t: MatcherThresholds): Draft {
  // Evidence is computed on first read (see gatherEvidence): read each part only where a rule needs it.
  const { cq, fallback: fb } = e;
  const asked = cq.question.intent;
  const hits = e.keyPointsHit.length;
  if (e.factErrors.length > 0 || e.contradictions.length > 0 || e.outdated.length > 0 || e.denied.length > 0) {
    // The reference's own contradictions and fact contexts are specific to the question: an answer that
    // trips them addresses it, unless it is about another matter altogether.
    const onMatter = e.intent.matterRecognized;
    const sure = e.factErrors.length > 0 || e.contradictions.length > 0 || e.outdated.length > 0 ? t.confidence.error : t.confidence.denial;
    return build(e, 'incorrect', onMatter, onMatter ? asked : e.intent.predicted, 0, errorText(e), sure);
  }
  if (e.substantiveHits === 0) {
    if (fb.errorPage) return noAnswer(e, 'error page or service failure', t.confidence.fallback);
    if (fb.notUnderstood) return noAnswer(e, 'fallback: the bot did not understand or hands over', t.confidence.fallback);
    if (e.clarifying) return noAnswer(e, 'asks back instead of answering', t.confidence.fallback);
    if (fb.contentChars <= t.noContentChars) {
      return noAnswer(e, fb.redirect ? 'only a redirect (hotline, hall, website) without content' : 'no content beyond echoing the topic', t.confidence.fallback);
    }
    if (fb.suggestionOnly) return noAnswer(e, 'offers suggested questions instead of an answer', t.confidence.fallback);
    if (fb.ignorant) return noAnswer(e, 'says it does not know', t.confidence.vague);
    if (fb.deferralOnly) return noAnswer(e, 'only boilerplate, redirects and the topic echoed', t.confidence.vague);
    const unasserted = e.discounted.filter((d) => d.why !== 'other-matter');
    if (unasserted.length > 0 && fb.contentChars <= t.vagueContentChars * 2) {
      return noAnswer(e, `key points only ${describeDiscounts(unasserted)}, little else`, t.confidence.vague);
    }
  }
  const intent = e.intent;
  if (!intent.recognized) {
    const draft = build(e, 'incorrect', false, intent.predicted, 0, `wrong intent: ${intent.detail}`, t.confidence.wrongIntent);
    if (intent.matterRecognized && hits > 0) {
      // Another aspect reads closer, yet the answer asserts the asked question's own key points.
      draft.confidence -= t.doubt.aspectConflict;
      draft.doubts.push(`reads like ${intent.predicted ?? 'another aspect'} but asserts key points of the question (${e.keyPointsHit.join(', ')})`);
    }
    return draft;
  }
  const need = cq.minKeyPoints;
  const acc = keyPointAccuracy(hits, need);
  if (hits >= need) return doubted(e, t, build(e, 'correct', true, asked, acc, `${hits}/${need} key points (${e.keyPointsHit.join(', ')})`, t.confidence.keyPoints));
  if (hits > 0) {
    return doubted(e, t, build(e, 'partial', true, asked, acc, `${hits}/${need} key points (${e.keyPointsHit.join(', ')}); missing ${missing(e)}`, t.confidence.keyPoints));
  }
  if (fb.contentChars <= t.vagueContentChars) return noAnswer(e, 'vague: no key point and little content', t.confidence.vague);
  const draft = build(e, 'incorrect', true, asked, 0, `on topic but conveys no key point (missing ${missing(e)})`, t.confidence.noKeyPoint);
  if (fb.contentChars >= t.fluentContentChars && e.mentions.asked && e.discounted.length === 0) {
    // A long answer about the asked matter in words the reference does not use may still be right.
    draft.confidence -= t.doubt.unmatchedFluent;
    draft.doubts.push('a long answer about the matter that matches no key point phrase');
  }
  return draft;
}

/**
 * Lowers the confidence of a passing verdict where the answer's claims are not bound to the question:
 * a neighbouring thing named and the asked matter never; key points also found guessed, asked back or
 * said of another matter; markdown as assistants write it; most sentences of a long answer holding no
 * key point; a long answer carried by one key point.
 */
function doubted(e: Evidence, t: MatcherThresholds, draft: Draft): Draft {
  const { mentions } = e;
  if (!mentions.asked && mentions.neighbours.length > 0) {
    draft.confidence -= t.doubt.neighbour;
    draft.doubts.push(`names ${[...new Set(mentions.neighbours)].join(', ')} and never the asked matter`);
  }
  const unasserted = e.discounted.filter((d) => d.why !== 'other-matter');
  if (unasserted.length > 0) {
    draft.confidence -= t.doubt.discounted;
    draft.doubts.push(`key points also ${describeDiscounts(unasserted)}`);
  }
  if (e.discounted.some((d) => d.why === 'other-matter')) {
    draft.confidence -= t.doubt.otherMatter;
    draft.doubts.push('key points also said of another matter');
  }
  if (e.styled) {
    draft.confidence -= t.doubt.styled;
    draft.doubts.push('a fluent, structured answer: its key points are there, whether it ties them to the right step, person or matter the matcher cannot check');
  }
  const { binding } = e;
  if (binding.sentences >= t.unbound.minSentences && binding.bound / binding.sentences <= t.unbound.maxBoundShare) {
    draft.confidence -= t.doubt.unbound;
    draft.doubts.push(`${binding.sentences - binding.bound} of ${binding.sentences} sentences hold no key point of the question`);
  }
  const fb = e.fallback;
  if (!mentions.asked && fb.contentChars >= t.fluentContentChars && e.substantiveHits <= 1) {
    draft.confidence -= t.doubt.thin;
    draft.doubts.push('a long answer that never names the asked matter, bound to it by one key point');
  }
  return draft;
}

/**
 * Out of scope, the right reply declines and says where to go. The bank's key points decide how much of
 * that a reply conveys, but only in a reply that declines at all: a bare hotline is no answer.
 */
function outOfScopeVerdict(e: Evidence, t: MatcherThresholds): Draft {
  const { cq, fallback: fb } = e;
  const asked = cq.question.intent;
  const hits = e.keyPointsHit.length;
  const need = cq.minKeyPoints;
  const c = t.confidence;
  const invented = () => (e.intent.nearest !== null && e.intent.nearestScore >= t.inventedFloor ? e.intent.nearest : null);
  if (e.factErrors.length > 0 || e.contradictions.length > 0 || e.outdated.length > 0) return build(e, 'incorrect', false, invented(), 0, errorText(e), c.error);
  const declines = fb.cannotHandle || hits >= need;
  if (fb.cannotHandle && fb.redirect && hits < need) {
    // The phrase lists see both halves of a polite redirect even where the bank's key points miss one.
    return build(e, 'correct', true, asked, 1, 'polite redirect: says it cannot handle the request and where to go', c.keyPoints);
  }
  if (declines && hits >= need) return build(e, 'correct', true, asked, 1, `polite redirect: ${hits}/${need} key points (${e.keyPointsHit.join(', ')})`, c.keyPoints);
  if (declines && hits > 0) {
    return build(e, 'partial', true, asked, keyPointAccuracy(hits, need), `declines but conveys ${hits}/${need} key points; missing ${missing(e)}`, c.keyPoints);
  }
  if (fb.cannotHandle) {
    // The bank's key points saw nothing; the phrase lists still see a refusal, one that says nowhere to go
    // (a refusal with a way on was taken as a polite redirect above).
    return build(e, 'partial', true, asked, keyPointAccuracy(1, need), 'declines without saying where to go', c.keyPoints);
  }
  if (fb.errorPage) return noAnswer(e, 'error page or service failure', c.fallback);
  if (fb.notUnderstood) return noAnswer(e, 'generic fallback, not a redirect', c.fallback);
  if (fb.contentChars <= t.noContentChars) return noAnswer(e, fb.redirect ? 'bare hotline or redirect without declining' : 'no content', c.fallback);
  if (fb.suggestionOnly) return noAnswer(e, 'offers suggested questions instead of declining', c.fallback);
  if (fb.deferralOnly) return noAnswer(e, 'only boilerplate and the request echoed', c.vague);
  const nearest = invented();
  if (nearest) return build(e, 'incorrect', false, nearest, 0, `invented answer: reads like ${nearest} (${e.intent.nearestScore.toFixed(2)})`, c.wrongIntent);
  return build(e, 'incorrect', false, null, 0, 'answers an out-of-scope request instead of declining', c.wrongIntent);
}

function noAnswer(e: Evidence, why: string, confidence: number): Draft {
  return build(e, 'no-answer', false, null, 0, why, confidence);
}

function build(
  e: Evidence,
  verdict: VerdictFields['verdict'],
  intentRecognized: boolean,
  predictedIntent: string | null,
  accuracy: number,
  why: string,
  confidence: number,
): Draft {
  const outdated = verdict === 'incorrect' && e.outdated.length > 0 ? e.outdated : [];
  return {
    fields: {
      intentRecognized,
      predictedIntent,
      verdict,
      accuracy: verdict === 'correct' || verdict === 'partial' ? accuracy : 0,
      keyPointsHit: e.keyPointsHit,
      factErrors: e.factErrors,
      contradictions: [...e.contradictions, ...e.denied.map((id) => `denies key point ${id}`)],
      ...(outdated.length > 0 && { outdated }),
      rationale: `${verdict}: ${why}`,
    },
    confidence,
    doubts: [],
  };
}

function errorText(e: Evidence): string {
  const parts: string[] = [];
  if (e.outdated.length > 0) {
    parts.push(`outdated: repeats ${e.outdated.map((id) => e.cq.superseded.names.get(id) ?? id).join('; ')}`);
  }
  if (e.factErrors.length > 0) parts.push(`fact stated with another value (${e.factErrors.join(', ')})`);
  if (e.contradictions.length > 0) parts.push(`contradicts the reference (${e.contradictions.join('; ')})`);
  if (e.denied.length > 0) parts.push(`denies what the reference requires (${e.denied.join(', ')})`);
  return parts.join('; ');
}

function describeDiscounts(ds: ReadonlyArray<{ id: string; why: Discount }>): string {
  return [...new Set(ds.map((d) => DISCOUNT_TEXT[d.why]))].join(', ');
}

const DISCOUNT_TEXT: Readonly<Record<Discount, string>> = {
  denied: 'denied',
  hedged: 'guessed',
  asked: 'asked back',
  suggested: 'offered as suggested questions',
  echo: 'only in a clause naming the topic',
  'other-matter': 'said of another matter',
};

function missing(e: Evidence): string {
  const hit = new Set(e.keyPointsHit);
  return e.cq.keyPoints.ids.filter((id) => !hit.has(id)).join(', ');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
