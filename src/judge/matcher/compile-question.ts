/** A question's reference compiled once per judge: patterns normalised, fact units canonical. */
import { OUT_OF_SCOPE, type Fact, type Intent, type Matter, type Question, type SupersededRule } from '../../domain/types.js';
import { cleanText, stripPunctuation } from '../../text/normalize.js';
import { segment } from '../../text/segment.js';
import { normalizeFactValue } from '../../text/units.js';
import type { MatcherPhrases } from './phrases.js';
import { compilePatternSet, matchForms, type MatchForms, type PatternSet } from './text-pattern.js';

/** A question's key points, all their `match` patterns in one set. */
export interface CompiledKeyPoints {
  ids: readonly string[];
  patterns: PatternSet;
  /** Pattern index → key point index. */
  owner: readonly number[];
  /**
   * Pattern index → 1 when the pattern names the topic rather than an answer to it: it occurs in the
   * questions of at least half of the matter's aspects. (Not the matter's name: names often list
   * sub-matters, 挂失补换.) An answer that only echoes the topic conveys nothing by matching it.
   */
  topical: Uint8Array;
  /**
   * Key point index → 1 when the point itself is a negation (无需验资, 不能代办) or the question is out of
   * scope (where declining is the answer): a denial cue before its phrase expresses it, not denies it.
   */
  negative: Uint8Array;
}

export interface CompiledFact {
  id: string;
  /** Canonical value (万元 → 元 ×10000). */
  value: number;
  /** Canonical unit (天 → 日, 月 → 个月, 岁 → 周岁). */
  unit: string;
  /** Null: the fact applies anywhere in the answer. */
  context: PatternSet | null;
  /** Other lawful values (canonical), each with the context it is lawful in (null: wherever the fact applies). */
  also: ReadonlyArray<{ value: number; context: PatternSet | null }>;
}

/** A value an old rule stated, compiled. */
interface CompiledOldFact {
  ruleId: string;
  value: number;
  unit: string;
  context: PatternSet | null;
}

/** The superseded rules that apply to a question's aspect. */
interface CompiledSuperseded {
  facts: readonly CompiledOldFact[];
  /** Statements of old rules; `ruleOf[i]` names the rule of statement i. */
  statements: PatternSet;
  ruleOf: readonly string[];
  /** Rule id → how an answer may know it (for the rationale). */
  names: ReadonlyMap<string, string>;
}

export interface CompiledQuestion {
  question: Question;
  outOfScope: boolean;
  keyPoints: CompiledKeyPoints;
  minKeyPoints: number;
  facts: readonly CompiledFact[];
  /** Canonical unit → every value the reference states with it (its facts' values and context-free `also` values). */
  acceptedValues: ReadonlyMap<string, readonly number[]>;
  /**
   * The facts of the matter's other questions that name their step (have a context): a figure said of
   * that step is checked against them wherever it stands.
   */
  matterFacts: readonly CompiledFact[];
  /**
   * The context phrases of `facts` then `matterFacts` in one set, so a clause is scanned once for every
   * step it names: `contextOwner[i]` is the index (own facts first) of the fact pattern i belongs to.
   */
  contexts: PatternSet;
  contextOwner: Int32Array;
  superseded: CompiledSuperseded;
  contradictions: PatternSet;
  /** Words that merely echo the topic: the question and its variants, the matter's names and aspects. */
  echo: ReadonlySet<string>;
  /** 0-based indices of the turns marked `expect: clarify`. */
  clarifyTurns: ReadonlySet<number>;
}

/** What a question is compiled against. */
interface QuestionContext {
  matter: Matter | undefined;
  intents: readonly Intent[];
  phrases: MatcherPhrases;
  /** Per aspect of the question's matter, the matching forms of its questions' texts and variants. */
  aspectTexts: readonly (readonly MatchForms[])[];
  /** Facts with a context of every question of the matter, compiled once per matter (see `compileMatterFacts`). */
  matterFacts: ReadonlyArray<MatterFact>;
}

/** The question texts of each aspect of each matter, for `QuestionContext.aspectTexts`. */
export function aspectTextsByMatter(questions: readonly Question[]): Map<string, MatchForms[][]> {
  const byIntent = new Map<string, { matterId: string; texts: MatchForms[] }>();
  for (const q of questions) {
    const entry = byIntent.get(q.intent) ?? { matterId: q.matterId, texts: [] };
    for (const text of [q.text, ...q.variants.map((v) => v.text), ...(q.turns ?? []).map((t) => t.user)]) {
      entry.texts.push(matchForms(cleanText(text)));
    }
    byIntent.set(q.intent, entry);
  }
  const out = new Map<string, MatchForms[][]>();
  for (const { matterId, texts } of byIntent.values()) out.set(matterId, [...(out.get(matterId) ?? []), texts]);
  return out;
}

/** A bank fact in canonical units, its context and lawful alternatives compiled. */
function compileFact(f: Fact, id = f.id): CompiledFact {
  const { value, unit } = normalizeFactValue(f.value, f.unit);
  const factor = value / (f.value || 1);
  return {
    id,
    value,
    unit,
    context: f.context.length > 0 ? compilePatternSet(f.context) : null,
    also: f.also.map((a) => ({ value: f.value === 0 ? normalizeFactValue(a.value, f.unit).value : a.value * factor, context: a.context.length > 0 ? compilePatternSet(a.context) : null })),
  };
}

/** A fact of one of the matter's questions, with its context phrases as written. */
interface MatterFact {
  questionId: string;
  fact: CompiledFact;
  sources: readonly string[];
}

/** The facts with a context of every question of each matter: what a figure said of a named step must match. */
export function compileMatterFacts(questions: readonly Question[]): Map<string, MatterFact[]> {
  const out = new Map<string, MatterFact[]>();
  // Questions of one matter often repeat a fact word for word: one entry each, under its first question.
  const seen = new Set<string>();
  for (const q of questions) {
    for (const f of q.reference.facts) {
      if (f.context.length === 0) continue;
      const key = JSON.stringify([q.matterId, f.value, f.unit, f.context, f.also]);
      if (seen.has(key)) continue;
      seen.add(key);
      const list = out.get(q.matterId) ?? [];
      list.push({ questionId: q.id, fact: compileFact(f, `${q.id}/${f.id}`), sources: f.context });
      out.set(q.matterId, list);
    }
  }
  return out;
}

function compileSuperseded(question: Question, rules: readonly SupersededRule[]): CompiledSuperseded {
  const applies = rules.filter((r) => r.aspects === undefined || r.aspects.includes(question.aspectId));
  const facts = applies.flatMap((r) =>
    r.facts.map((f): CompiledOldFact => {
      const { value, unit } = normalizeFactValue(f.value, f.unit);
      return { ruleId: r.id, value, unit, context: f.context.length > 0 ? compilePatternSet(f.context) : null };
    }),
  );
  return {
    facts,
    statements: compilePatternSet(applies.flatMap((r) => r.statements)),
    ruleOf: applies.flatMap((r) => r.statements.map(() => r.id)),
    names: new Map(applies.map((r) => [r.id, r.rule])),
  };
}

export function compileQuestion(question: Question, ctx: QuestionContext): CompiledQuestion {
  const ref = question.reference;
  const facts = ref.facts.map((f) => compileFact(f));
  const acceptedValues = new Map<string, number[]>();
  for (const f of facts) {
    const values = [f.value, ...f.also.filter((a) => a.context === null).map((a) => a.value)];
    acceptedValues.set(f.unit, [...(acceptedValues.get(f.unit) ?? []), ...values]);
  }
  const matterFacts = ctx.matterFacts.filter((m) => m.questionId !== question.id).map((m) => m.fact);
  const contextSources = question.reference.facts.map((f) => f.context);
  const matterSources = ctx.matterFacts.filter((m) => m.questionId !== question.id).map((m) => m.sources);
  const allSources = [...contextSources, ...matterSources];
  return {
    question,
    outOfScope: question.matterId === OUT_OF_SCOPE,
    keyPoints: compileKeyPoints(question, ctx),
    minKeyPoints: ref.minKeyPoints,
    facts,
    acceptedValues,
    matterFacts,
    contexts: compilePatternSet(allSources.flat()),
    contextOwner: Int32Array.from(allSources.flatMap((sources, i) => sources.map(() => i))),
    superseded: compileSuperseded(question, ctx.matter?.superseded ?? []),
    contradictions: compilePatternSet(ref.contradictions),
    echo: echoWords(question, ctx),
    clarifyTurns: new Set((question.turns ?? []).flatMap((t, i) => (t.expect === 'clarify' ? [i] : []))),
  };
}

function compileKeyPoints(q: Question, ctx: QuestionContext): CompiledKeyPoints {
  const sources = q.reference.keyPoints.flatMap((k) => k.match);
  const patterns = compilePatternSet(sources);
  const topical = new Uint8Array(sources.length);
  const aspects = ctx.aspectTexts.length;
  if (aspects >= 2) {
    const seen = new Uint16Array(sources.length);
    for (const texts of ctx.aspectTexts) {
      const inAspect = new Uint8Array(sources.length);
      for (const forms of texts) patterns.matches(forms).forEach((m, i) => (inAspect[i] = inAspect[i]! | m));
      inAspect.forEach((m, i) => (seen[i] = seen[i]! + m));
    }
    seen.forEach((n, i) => {
      if (n * 2 >= aspects) topical[i] = 1;
    });
  }
  return {
    ids: q.reference.keyPoints.map((k) => k.id),
    patterns,
    owner: q.reference.keyPoints.flatMap((k, i) => k.match.map(() => i)),
    topical,
    negative: Uint8Array.from(q.reference.keyPoints, (k) => (q.matterId === OUT_OF_SCOPE || NEGATION.test(k.text) ? 1 : 0)),
  };
}

/** A key point's text that says what is not needed or not possible. */
const NEGATION = /[不无免非未没勿禁]|取消|拒绝/;

function echoWords(q: Question, ctx: QuestionContext): Set<string> {
  const texts = [q.text, ...q.variants.map((v) => v.text), ...(q.turns ?? []).map((t) => t.user)];
  if (ctx.matter) {
    texts.push(ctx.matter.name, ...ctx.matter.aliases);
    if (ctx.matter.department) texts.push(ctx.matter.department);
  }
  for (const intent of ctx.intents) if (intent.matterId === q.matterId) texts.push(intent.name);
  const words = new Set<string>();
  // Segmented like answers are: the matching form, punctuation gone.
  for (const t of texts) for (const w of segment(stripPunctuation(cleanText(t)))) words.add(w);
  return words;
}
