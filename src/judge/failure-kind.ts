/**
 * The failure taxonomy (issue 15): the one primary kind of an answer that is not correct, from the
 * verdict's evidence, the reply and the question. Technical kinds come from the case's error
 * (`failureOfError`, src/domain/results.ts) and never reach this function: a failed turn is not judged.
 */
import { OUT_OF_SCOPE, type FailureKind, type JudgedVerdict, type Question } from '../domain/types.js';
import { blockedReplyKind } from '../text/blocked-reply.js';
import { cleanText } from '../text/normalize.js';
import { lazy } from '../util/lazy.js';
import { loadMatcherPhrases, type MatcherPhrases } from './matcher/phrases.js';
import { matchForms } from './matcher/text-pattern.js';

/** What the classifier reads of one judged answer. */
export interface AnswerFailureInput {
  /** The verdict's fields; `judge`, `turn` and the rationale are not read. */
  verdict: Pick<JudgedVerdict, 'verdict' | 'intentRecognized' | 'predictedIntent' | 'keyPointsHit' | 'factErrors' | 'contradictions' | 'outdated'>;
  /** The reply judged. */
  reply: string;
  /** The reply offered only suggested questions and the conversation ended there (route `left`). */
  suggestionsOnly?: boolean;
  question: Pick<Question, 'matterId' | 'intent'>;
  /** The judged turn expects a clarifying question (`expect: clarify`). */
  expectClarify?: boolean;
}

/**
 * A reply that says "I don't understand" reads as a fallback where it is judged no answer, or where it
 * is no longer than a notice: a long answer that apologises first is judged on what it says.
 */
const FALLBACK_NOTICE_CHARS = 80;

/** Found and read once: finding the phrase file walks the folders up from here. */
const shippedPhrases = lazy(() => loadMatcherPhrases());

/**
 * The primary failure kind of a judged answer; null for a correct one. The first rule that applies
 * decides, in this order — the one place the precedence is written:
 *
 * 1. `suggestions-only` — the conversation ended at a list of suggested questions, or a no-answer is
 *    only such a list;
 * 2. `handoff` — the reply hands the conversation to a human agent;
 * 3. `fallback` — the bot says it did not understand (还在学习, 换个说法) or shows an error page: a
 *    fallback reply is a fallback, never `missing-key-points`;
 * 4. out-of-scope questions: an answer given instead of declining is `answered-out-of-scope`; another
 *    no-answer (a bare hotline) is `fallback`; a refusal that leaves out where to go falls through;
 * 5. `declined-in-scope` — no answer, only a refusal or a redirect (12345, the hall) to a question the
 *    service is there for;
 * 6. `fallback` — any other no-answer (the topic echoed, "I am not sure", asked back);
 * 7. a turn that expects a clarifying question and got an answer instead: `wrong-matter` (the bot
 *    guessed the matter where it should have asked);
 * 8. `wrong-matter` / `wrong-aspect` — the answer addresses another intent: another matter (or none
 *    named), else another aspect of the asked matter. Before the errors: numbers of another matter's
 *    answer differing from this question's facts say nothing more;
 * 9. `outdated`, then `contradiction`, then `wrong-fact` — a fluent answer with a superseded rule, a
 *    statement the reference rules out, or a value stated differently;
 * 10. `missing-key-points` — the right intent with too few key points (partial, or none conveyed);
 * 11. `wrong-fact` — judged incorrect on the right intent with key points conveyed and no error named
 *     (an LLM judge's call: something it read is wrong).
 */
export function answerFailure(input: AnswerFailureInput, phrases: MatcherPhrases = shippedPhrases()): FailureKind | null {
  const { verdict: v, question } = input;
  if (v.verdict === 'correct') return null;
  const text = replyText(input.reply, phrases);
  const noAnswer = v.verdict === 'no-answer';
  if (input.suggestionsOnly || (noAnswer && text.suggestions)) return 'suggestions-only';
  if (text.handoff) return 'handoff';
  if (text.fallback && (noAnswer || text.chars <= FALLBACK_NOTICE_CHARS)) return 'fallback';
  if (question.matterId === OUT_OF_SCOPE) {
    if (v.verdict === 'incorrect') return 'answered-out-of-scope';
    if (noAnswer) return 'fallback';
  }
  if (noAnswer) return text.declines ? 'declined-in-scope' : 'fallback';
  if (input.expectClarify) return 'wrong-matter';
  if (!v.intentRecognized) return sameMatter(v.predictedIntent, question.intent) ? 'wrong-aspect' : 'wrong-matter';
  if ((v.outdated?.length ?? 0) > 0) return 'outdated';
  if (v.contradictions.length > 0) return 'contradiction';
  if (v.factErrors.length > 0) return 'wrong-fact';
  return v.verdict === 'partial' || v.keyPointsHit.length === 0 ? 'missing-key-points' : 'wrong-fact';
}

/** Intents are `<matter>/<aspect>`: the same matter is the same part before the slash. */
function sameMatter(predicted: string | null, asked: string): boolean {
  if (predicted === null) return false;
  const matter = (intent: string) => intent.slice(0, intent.lastIndexOf('/'));
  return matter(predicted) === matter(asked);
}

interface ReplyText {
  chars: number;
  handoff: boolean;
  fallback: boolean;
  declines: boolean;
  suggestions: boolean;
}

/** What the reply's words say, by the matcher's phrase lists and the runner's hand-off notices. */
function replyText(reply: string, phrases: MatcherPhrases): ReplyText {
  const clean = cleanText(reply);
  const forms = matchForms(clean);
  return {
    chars: [...clean.replace(/\s+/g, '')].length,
    handoff: blockedReplyKind(reply) === 'handoff',
    fallback: phrases.notUnderstood.test(forms) || phrases.errorPage.test(forms),
    declines: phrases.cannotHandle.test(forms) || phrases.redirect.test(forms),
    suggestions: phrases.claims.suggestion.test(forms),
  };
}
