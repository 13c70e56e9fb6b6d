/**
 * Key points as claims: a key point counts only where the answer asserts it about the asked thing —
 * not denied (不需要户口簿), not guessed (好像要户口簿吧), not asked back (需要户口簿吗？), not offered in a
 * list of suggested questions (您是不是想问：…户口簿…), not said of another loaded matter. A key point
 * the answer denies and nowhere asserts is an error: the answer says the opposite of the reference.
 */
import type { AnswerSentence, AnswerText } from './answer-text.js';
import type { CompiledKeyPoints } from './compile-question.js';
import type { MatcherPhrases } from './phrases.js';
import type { MatchForms } from './text-pattern.js';

/** Why a key point the answer matches does not count. */
export type Discount = 'denied' | 'hedged' | 'asked' | 'suggested' | 'echo' | 'other-matter';

export interface KeyPointClaims {
  /** Per pattern: 1 where some occurrence is asserted. */
  asserted: Uint8Array;
  /** Ids of key points the answer denies and nowhere asserts, in bank order. */
  denied: string[];
  /** Key points matched but not asserted, with why (the first reason found). */
  discounted: Array<{ id: string; why: Discount }>;
}

/** What the claims depend on beyond the answer: which sentences name another matter. */
export interface ClaimScope {
  /** True when the sentence names another loaded matter and not the asked one. */
  aboutOtherMatter(sentence: AnswerSentence): boolean;
  /** True when the text names any loaded matter but the asked one (a quick test before sentences are looked at). */
  namesOtherMatter(forms: MatchForms): boolean;
}

const QUESTION_MARK = /[?？吗呢]/;

/**
 * Which patterns of the key points occur asserted. Answers without any cue of denial, doubt, questions
 * or suggestions assert every pattern they match, and are settled by one scan.
 */
export function claimKeyPoints(kp: CompiledKeyPoints, answer: AnswerText, phrases: MatcherPhrases, scope: ClaimScope): KeyPointClaims {
  const found = kp.patterns.matches(answer.forms);
  if (!found.includes(1)) return { asserted: found, denied: [], discounted: [] };
  const c = phrases.claims;
  const ignorant = c.ignorance.test(answer.forms);
  const mayDiscount =
    QUESTION_MARK.test(answer.clean) ||
    c.hedge.test(answer.forms) ||
    c.suggestion.test(answer.forms) ||
    (ignorant && c.weakHedge.test(answer.forms)) ||
    scope.namesOtherMatter(answer.forms) ||
    kp.patterns.hits(answer.forms).some((hit) => cueNear(answer.forms[hit.form], hit.start, hit.end, c));
  if (!mayDiscount) return { asserted: found, denied: [], discounted: [] };
  const sentences = answer.sentences();

  const asserted = new Uint8Array(found.length);
  const why = new Map<number, Discount>();
  let suggesting = false;
  for (const sentence of sentences) {
    suggesting ||= c.suggestion.test(sentence.forms);
    const sentenceWhy: Discount | null = suggesting
      ? 'suggested'
      : sentence.asks
        ? 'asked'
        : c.hedge.test(sentence.forms)
          ? 'hedged'
          : scope.aboutOtherMatter(sentence)
            ? 'other-matter'
            : null;
    for (const clause of sentence.clauses) {
      for (const hit of kp.patterns.hits(clause)) {
        const text = clause[hit.form];
        const before = text.slice(0, hit.start);
        const clauseWhy =
          sentenceWhy ??
          (denies(before, text.slice(hit.end), c)
            ? 'denied'
            : c.embeddedQuestion.some((cue) => before.includes(cue))
              ? 'asked'
              : framesTopic(text, c)
                ? 'echo'
                : ignorant && c.weakHedge.test(clause)
                  ? 'hedged'
                  : null);
        if (clauseWhy === null) asserted[hit.index] = 1;
        else if (!why.has(hit.index) || clauseWhy === 'denied') why.set(hit.index, clauseWhy);
      }
    }
  }
  return { asserted, ...summarise(kp, found, asserted, why) };
}

/**
 * Whether a clause-level cue could stand near a key point found at [start, end) of the whole answer's
 * matching form, where clause ends are gone: a superset of what the clauses will show, to skip them when
 * nothing is near.
 */
function cueNear(text: string, start: number, end: number, c: MatcherPhrases['claims']): boolean {
  const before = text.slice(Math.max(0, start - DENIAL_WINDOW), start);
  const after = text.slice(end, end + DENIAL_WINDOW);
  const frame = text.slice(Math.max(0, start - FRAME_REACH), start);
  return (
    c.denial.some((cue) => before.includes(cue)) ||
    c.embeddedQuestion.some((cue) => before.includes(cue)) ||
    c.denialAfter.some((cue) => after.includes(cue)) ||
    c.topicFrame.start.some((cue) => frame.includes(cue))
  );
}

/** How far before a key point a clause naming the topic (关于…) may begin, in characters. */
const FRAME_REACH = 24;

/** A clause that names the topic and nothing else: 关于…的问题. */
function framesTopic(clause: string, c: MatcherPhrases['claims']): boolean {
  return c.topicFrame.start.some((s) => clause.startsWith(s)) && c.topicFrame.end.some((e) => clause.endsWith(e));
}

function summarise(kp: CompiledKeyPoints, found: Uint8Array, asserted: Uint8Array, why: Map<number, Discount>): Omit<KeyPointClaims, 'asserted'> {
  const pointAsserted = new Uint8Array(kp.ids.length);
  const pointWhy = new Map<number, Discount>();
  found.forEach((f, i) => {
    const k = kp.owner[i]!;
    // Found in the whole answer but in no clause: a phrase that spans punctuation (申领、换领、补领), asserted.
    if (asserted[i] === 1 || (f === 1 && !why.has(i))) pointAsserted[k] = 1;
    else if (f === 1) {
      const w = why.get(i)!;
      if (!pointWhy.has(k) || w === 'denied') pointWhy.set(k, w);
    }
  });
  const denied: string[] = [];
  const discounted: Array<{ id: string; why: Discount }> = [];
  kp.ids.forEach((id, k) => {
    const w = pointWhy.get(k);
    if (pointAsserted[k] === 1 || w === undefined) return;
    discounted.push({ id, why: w });
    // A topical pattern (the matter's own name) denied says nothing about the key point's substance.
    if (w === 'denied' && deniedSubstantively(kp, k, found, why)) denied.push(id);
  });
  return { denied, discounted };
}

function deniedSubstantively(kp: CompiledKeyPoints, k: number, found: Uint8Array, why: Map<number, Discount>): boolean {
  return kp.owner.some((owner, i) => owner === k && found[i] === 1 && why.get(i) === 'denied' && kp.topical[i] !== 1);
}

/**
 * A denial cue stands before the phrase in its clause with nothing that turns the sentence between
 * (无需携带身份证原件和户口簿, but not 无需复印件但需要户口簿), or one follows the phrase closely.
 */
function denies(before: string, after: string, c: MatcherPhrases['claims']): boolean {
  const window = before.slice(-DENIAL_WINDOW);
  for (const cue of c.denial) {
    const at = window.lastIndexOf(cue);
    if (at >= 0 && !TURN.test(window.slice(at + cue.length))) return true;
  }
  const next = after.slice(0, DENIAL_WINDOW);
  return c.denialAfter.some((cue) => next.includes(cue));
}

/** How far before or after a key point a denial may stand, in characters of the matching form. */
const DENIAL_WINDOW = 12;
/** Words between a denial and a key point that end the denial's reach. */
const TURN = /但|而|只|仅|须|需要|要求|应当|应|必须|还要|另外|除/;

/** How much of a long answer the question's key points reach: sentences with content, and those holding a key point. */
export interface Binding {
  sentences: number;
  bound: number;
}

/** Sentences of at least this many Han characters say something (headings and sign-offs do not). */
const CONTENT_SENTENCE = 8;
const HAN = /\p{Script=Han}/gu;

export function bindingOf(kp: CompiledKeyPoints, answer: AnswerText, phrases: MatcherPhrases, minSentences: number): Binding {
  const long = answer.sentences().filter((s) => (s.text.match(HAN)?.length ?? 0) >= CONTENT_SENTENCE);
  // Too few sentences to judge how many are bound: the forms of each are not worth computing.
  if (long.length < minSentences) return { sentences: long.length, bound: long.length };
  let sentences = 0;
  let bound = 0;
  for (const sentence of long) {
    if (phrases.boilerplate.test(sentence.forms) && !kp.patterns.test(sentence.forms)) continue;
    sentences++;
    if (kp.patterns.test(sentence.forms)) bound++;
  }
  return { sentences, bound };
}
