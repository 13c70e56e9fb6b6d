/**
 * Key points as claims: a key point counts only where the answer asserts it about the asked thing —
 * not denied (不需要户口簿), not guessed (好像要户口簿吧), not asked back (需要户口簿吗？), not offered in a
 * list of suggested questions (您是不是想问：…户口簿…), not said of another loaded matter. A key point
 * the answer denies and nowhere asserts is an error: the answer says the opposite of the reference.
 */
import type { AnswerSentence, AnswerText, ClauseSpan } from './answer-text.js';
import type { CompiledKeyPoints } from './compile-question.js';
import { CUE, type MatcherPhrases } from './phrases.js';
import type { MatchForms, PatternHit } from './text-pattern.js';

/** An occurrence of one of a question's key-point patterns in the whole answer. */
type KeyPointHit = PatternHit & { index: number };

/** Why a key point the answer matches does not count. */
export type Discount = 'denied' | 'hedged' | 'asked' | 'suggested' | 'echo' | 'other-matter';

interface KeyPointClaims {
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
export function claimKeyPoints(kp: CompiledKeyPoints, hits: () => readonly KeyPointHit[], answer: AnswerText, phrases: MatcherPhrases, scope: ClaimScope): KeyPointClaims {
  const f = answer.forms;
  const found = kp.patterns.matches(f);
  if (!found.includes(1)) return { asserted: found, denied: [], discounted: [] };
  const c = phrases.claims;
  const cues = cuesOf(c.cues.hits(f), c.cueKinds);
  const ignorant = cues.has(CUE.ignorance);
  const mayDiscount =
    QUESTION_MARK.test(answer.clean) ||
    cues.has(CUE.hedge) ||
    cues.has(CUE.suggestion) ||
    (ignorant && cues.has(CUE.weakHedge)) ||
    scope.namesOtherMatter(f) ||
    cueNearAny(hits, cues);
  if (!mayDiscount) return { asserted: found, denied: [], discounted: [] };
  const judged = judgeInPlace(found.length, hits(), answer, c, cues, ignorant, scope);
  for (const [i, why] of judged.why) {
    // A negative point (不能代办) "denied" (不能为您代办) is what the answer asserts.
    if (why === 'denied' && kp.negative[kp.owner[i]!] === 1) {
      judged.asserted[i] = 1;
      judged.why.delete(i);
    }
  }
  return { asserted: judged.asserted, ...summarise(kp, found, judged.asserted, judged.why) };
}

interface Judged {
  asserted: Uint8Array;
  why: Map<number, Discount>;
}

/** Why a key point found in a clause is not asserted there, or null where it is. */
function clauseDiscount(clause: string, start: number, end: number, c: MatcherPhrases['claims'], weaklyHedged: boolean): Discount | null {
  const before = clause.slice(0, start);
  if (denies(before, clause.slice(end), c)) return 'denied';
  if (c.embeddedQuestion.some((cue) => before.includes(cue))) return 'asked';
  if (framesTopic(clause, c)) return 'echo';
  return weaklyHedged ? 'hedged' : null;
}

function record(judged: Judged, index: number, why: Discount | null): void {
  if (why === null) judged.asserted[index] = 1;
  else if (!judged.why.has(index) || why === 'denied') judged.why.set(index, why);
}

/**
 * The whole answer's hits (in the plain form) placed in their clauses and sentences through its clause
 * spans, so no clause's forms are computed. A pattern found only in the numeric form (二十个工作日 for
 * 20个工作日) has no hit here and counts as asserted (see `summarise`).
 */
function judgeInPlace(
  patterns: number,
  hits: readonly KeyPointHit[],
  answer: AnswerText,
  c: MatcherPhrases['claims'],
  cues: Cues,
  ignorant: boolean,
  scope: ClaimScope,
): Judged {
  const plain = answer.forms.plain;
  const spans = answer.clauseSpans();
  const sentences = answer.sentences();
  const at = (pos: number) => spanAt(spans, pos);
  const firstSuggestion = Math.min(...cues.of(CUE.suggestion).map((h) => spans[at(h.start)]?.sentence ?? Infinity));
  const hedged = new Set(cues.of(CUE.hedge).map((h) => spans[at(h.start)]?.sentence));
  const weak = ignorant ? new Set(cues.of(CUE.weakHedge).map((h) => at(h.start))) : new Set<number>();
  const otherMatter = scope.namesOtherMatter(answer.forms);
  const judged: Judged = { asserted: new Uint8Array(patterns), why: new Map() };
  for (const hit of hits) {
    const k = at(hit.start);
    const span = spans[k];
    // A phrase that spans punctuation (申领、换领) is placed by its start; one that spans clauses, asserted.
    if (!span || hit.end > span.end) {
      record(judged, hit.index, null);
      continue;
    }
    const sentence = span.sentence;
    const sentenceWhy: Discount | null =
      sentence >= firstSuggestion
        ? 'suggested'
        : sentences[sentence]?.asks
          ? 'asked'
          : hedged.has(sentence)
            ? 'hedged'
            : otherMatter && scope.aboutOtherMatter(sentences[sentence]!)
              ? 'other-matter'
              : null;
    const clause = plain.slice(span.start, span.end);
    record(judged, hit.index, sentenceWhy ?? clauseDiscount(clause, hit.start - span.start, hit.end - span.start, c, weak.has(k)));
  }
  return judged;
}

/** Index of the clause span holding a plain-form position (binary search; spans are in order). */
function spanAt(spans: readonly ClauseSpan[], pos: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (spans[mid]!.start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The claim cues found in an answer, by kind. */
interface Cues {
  has(kind: number): boolean;
  of(kind: number): PatternHit[];
}

/** Cue occurrences in the plain form (the one clause spans are measured in), by kind. */
function cuesOf(found: ReadonlyArray<PatternHit & { index: number }>, kinds: Uint8Array): Cues {
  const byKind = new Map<number, PatternHit[]>();
  for (const h of found) {
    if (h.form !== 'plain') continue;
    const kind = kinds[h.index]!;
    const list = byKind.get(kind);
    if (list) list.push(h);
    else byKind.set(kind, [h]);
  }
  return { has: (kind) => byKind.has(kind), of: (kind) => byKind.get(kind) ?? [] };
}

/**
 * Whether a clause-level cue could stand near any key point found in the whole answer's matching form,
 * where clause ends are gone: a superset of what the clauses will show, to skip them when nothing is
 * near. The cues come from one scan; the hits are placed against their positions.
 */
function cueNearAny(hits: () => readonly PatternHit[], cues: Cues): boolean {
  const before = cues.of(CUE.before);
  const after = cues.of(CUE.after);
  const frames = cues.of(CUE.frame);
  if (before.length + after.length + frames.length === 0) return false;
  return hits().some(
    (h) =>
      before.some((cue) => cue.form === h.form && cue.end <= h.start && cue.start >= h.start - DENIAL_WINDOW) ||
      after.some((cue) => cue.form === h.form && cue.start >= h.end && cue.end <= h.end + DENIAL_WINDOW) ||
      frames.some((cue) => cue.form === h.form && cue.end <= h.start && cue.start >= h.start - FRAME_REACH),
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

export function bindingOf(hits: readonly KeyPointHit[], answer: AnswerText, phrases: MatcherPhrases, minSentences: number): Binding {
  const sentences = answer.sentences();
  const long = sentences.flatMap((s, i) => (hanCount(s.text) >= CONTENT_SENTENCE ? [i] : []));
  // Too few sentences to judge how many are bound: nothing more is worth computing.
  if (long.length < minSentences) return { sentences: long.length, bound: long.length };
  // Placed through the plain form's clause spans: a key point said only with Chinese numerals is missed
  // here, which at worst leaves its sentence unbound in a measure of how much of the answer is bound.
  const spans = answer.clauseSpans();
  const sentenceOf = (h: PatternHit) => (h.form === 'plain' ? spans[spanAt(spans, h.start)]?.sentence : undefined);
  const withKeyPoint = new Set(hits.map(sentenceOf));
  const withBoilerplate = new Set(phrases.boilerplate.hits(answer.forms).map(sentenceOf));
  let counted = 0;
  let bound = 0;
  for (const i of long) {
    const has = withKeyPoint.has(i);
    if (!has && withBoilerplate.has(i)) continue;
    counted++;
    if (has) bound++;
  }
  return { sentences: counted, bound };
}

function hanCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) n++;
  }
  return n;
}
