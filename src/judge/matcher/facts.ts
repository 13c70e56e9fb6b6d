/**
 * Fact errors (SPEC §2): a value stated with a fact's unit — in a sentence holding one of the fact's
 * context phrases, or anywhere when it has none — that differs from the fact's value, from the lawful
 * values it allows there (`also`) and from every other fact of that unit in the reference. A value the
 * answer corrects (不是30日，而是20日) is not stated.
 *
 * Beyond that, a figure counts against the step it is attached to:
 * - a clause that names the step of some facts of the figure's unit (their context, this question's or
 *   another's of the matter) must state one of their values: another step's value is no excuse;
 * - a duration said of a fact's step in another unit (3个月内发放 where the fact is 3日) is a wrong figure,
 *   not an unchecked one;
 * - a value an old rule stated, where the reference's current value is expected, is outdated.
 */
import { CLAUSE_END, stripPunctuation } from '../../text/normalize.js';
import type { Quantity } from '../../text/numerals.js';
import type { AnswerSentence, AnswerText } from './answer-text.js';
import type { CompiledFact, CompiledQuestion } from './compile-question.js';
import type { MatcherPhrases } from './phrases.js';
import type { MatchForms } from './text-pattern.js';

const EPSILON = 1e-9;
/** Characters allowed between a correction cue and the value it corrects (不是在30日内). */
const CORRECTION_GAP = 1;

interface FactFindings {
  /** Ids of the facts stated with another value: the question's own, or `<question>/<fact>` of another step. */
  errors: string[];
  /** Ids of superseded rules whose old values the answer states. */
  outdated: string[];
}

const NONE: FactFindings = { errors: [], outdated: [] };
const DIGIT = /\d/;

export function findFactErrors(cq: CompiledQuestion, answer: AnswerText, phrases: MatcherPhrases): FactFindings {
  const { negation } = phrases;
  if (cq.facts.length === 0 && cq.matterFacts.length === 0 && cq.superseded.facts.length === 0) return NONE;
  // Numerals are digits in the numeric form: without a digit the answer states no quantity.
  if (!DIGIT.test(answer.forms.numeric) || answer.quantities().length === 0) return NONE;
  const errors = new Set<string>();
  const outdated = new Set<string>();
  const place = placeIn(answer);
  const named = stepsNamed(cq);
  answer.sentences().forEach((s, index) => {
    const sentence = { ...place.sentence(index), quantities: s.quantities };
    for (const q of sentence.quantities) {
      if (q.ordinal || corrected(answer.clean, q.index, negation.correction)) continue;
      const stated = q.range ?? [q.value];
      const clause = place.clause(index, clauseIndex(answer.clean, q.index, s));
      // A figure whose clause names the step of some facts of its unit is checked against those alone:
      // the other steps' values are no excuse (5日内作出决定 where the decision takes 20日).
      const bound = boundFacts(cq, q.unit, named(clause));
      const fine = bound.length > 0 ? bound.some((f) => allows(f, stated, sentence.forms)) : lawful(cq, q, stated, sentence.forms);
      if (fine) continue;
      const old = cq.superseded.facts.find((f) => f.unit === q.unit && stated.some((v) => same(v, f.value)) && (f.context === null || f.context.test(sentence.forms)));
      if (old) {
        // 原办法规定6个月内，已废止: the old value reported as past is neither outdated nor an error.
        if (!phrases.claims.past.test(sentence.forms)) outdated.add(old.ruleId);
        continue;
      }
      if (bound.length > 0) {
        for (const f of bound) errors.add(f.id);
        continue;
      }
      for (const f of cq.facts) {
        if (f.unit === q.unit && applies(f, sentence.forms)) errors.add(f.id);
        else if (f.unit !== q.unit && f.context !== null && otherDuration(f, q, stated) && f.context.test(clause)) errors.add(f.id);
      }
    }
  });
  if (errors.size === 0 && outdated.size === 0) return NONE;
  const own = cq.facts.filter((f) => errors.has(f.id)).map((f) => f.id);
  const others = [...errors].filter((id) => !cq.facts.some((f) => f.id === id));
  return { errors: [...own, ...others], outdated: [...outdated] };
}

/**
 * The facts a figure's clause names the step of: the question's own first (the step asked about), else
 * the matter's other steps. Facts without a context bind nothing here.
 */
function boundFacts(cq: CompiledQuestion, unit: string, named: Uint8Array): CompiledFact[] {
  const own = cq.facts.filter((f, i) => f.unit === unit && named[i] === 1);
  if (own.length > 0) return own;
  const offset = cq.facts.length;
  return cq.matterFacts.filter((f, i) => f.unit === unit && named[offset + i] === 1);
}

/**
 * Which facts (own first, then the matter's) a clause names the step of, by one scan of every context
 * phrase; clauses repeat across quantities, so each is scanned once.
 */
function stepsNamed(cq: CompiledQuestion): (clause: MatchForms) => Uint8Array {
  const seen = new Map<string, Uint8Array>();
  return (clause) => {
    let named = seen.get(clause.plain);
    if (!named) {
      named = new Uint8Array(cq.facts.length + cq.matterFacts.length);
      cq.contexts.matches(clause).forEach((hit, i) => {
        if (hit === 1) named![cq.contextOwner[i]!] = 1;
      });
      seen.set(clause.plain, named);
    }
    return named;
  };
}

/** A value the reference allows in this sentence: a fact's value, or a lawful alternative whose context is present. */
function lawful(cq: CompiledQuestion, q: Quantity, stated: readonly number[], forms: MatchForms): boolean {
  const accepted = cq.acceptedValues.get(q.unit);
  if (accepted && stated.some((v) => accepted.some((a) => same(a, v)))) return true;
  return cq.facts.some((f) => f.unit === q.unit && allows(f, stated, forms));
}

function allows(f: CompiledFact, stated: readonly number[], forms: MatchForms): boolean {
  return stated.some((v) => same(v, f.value) || f.also.some((a) => same(v, a.value) && (a.context === null || a.context.test(forms))));
}

function applies(f: CompiledFact, forms: MatchForms): boolean {
  return f.context === null || f.context.test(forms);
}

function same(a: number, b: number): boolean {
  return Math.abs(a - b) < EPSILON;
}

/** Days in each duration unit, for comparing a figure said in another unit than the fact's. */
const DAYS: Readonly<Record<string, number>> = { 日: 1, 周: 7, 个月: 30, 年: 365, 小时: 1 / 24 };

/** A duration in another unit than the fact's that is not the same length (3个月 vs 3日; not 1年 vs 12个月). */
function otherDuration(f: CompiledFact, q: Quantity, stated: readonly number[]): boolean {
  const fd = DAYS[f.unit];
  const qd = DAYS[q.unit];
  if (fd === undefined || qd === undefined) return false;
  const lengths = [f.value, ...f.also.map((a) => a.value)].map((v) => v * fd);
  return !stated.some((v) => lengths.some((l) => Math.abs(v * qd - l) <= 0.03 * l));
}

/**
 * The plain forms of an answer's sentences and clauses, cut from the whole answer's plain form by its
 * clause spans: no sentence or clause is normalised again, nor its numerals converted. Context phrases
 * are compared with the plain spelling.
 */
function placeIn(answer: AnswerText): { sentence(index: number): { forms: MatchForms }; clause(sentence: number, clause: number): MatchForms } {
  const spans = answer.clauseSpans();
  const plain = answer.forms.plain;
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  spans.forEach((span, i) => {
    if (!first.has(span.sentence)) first.set(span.sentence, i);
    last.set(span.sentence, i);
  });
  const forms = (start: number, end: number): MatchForms => {
    const text = plain.slice(start, end);
    return { plain: text, numeric: text };
  };
  return {
    sentence(index) {
      const a = spans[first.get(index) ?? -1];
      const b = spans[last.get(index) ?? -1];
      return { forms: a && b ? forms(a.start, b.end) : forms(0, 0) };
    },
    clause(sentence, clause) {
      const span = spans[(first.get(sentence) ?? -1) + clause];
      return span && span.sentence === sentence ? forms(span.start, span.end) : this.sentence(sentence).forms;
    },
  };
}

/** Which clause of its sentence a position falls in: clause ends counted from the sentence's start. */
function clauseIndex(clean: string, index: number, sentence: AnswerSentence): number {
  const start = clean.lastIndexOf(sentence.text, index);
  if (start < 0) return 0;
  return clean.slice(start, index).split(CLAUSE_END).length - 1;
}

/** True when a correction cue ends right before the value at `index`, in the same clause. */
function corrected(clean: string, index: number, cues: readonly string[]): boolean {
  if (cues.length === 0) return false;
  let start = index;
  while (start > 0 && !CLAUSE_END_CHAR.test(clean[start - 1]!)) start--;
  const before = stripPunctuation(clean.slice(start, index));
  return cues.some((cue) => {
    const at = before.lastIndexOf(cue);
    return at >= 0 && before.length - (at + cue.length) <= CORRECTION_GAP;
  });
}

const CLAUSE_END_CHAR = new RegExp(`^${CLAUSE_END.source}$`);
