/** A question's reference compiled once per judge: patterns normalised, fact units canonical. */
import { OUT_OF_SCOPE, type Intent, type Matter, type Question } from '../../domain/types.js';
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
}

export interface CompiledFact {
  id: string;
  /** Canonical value (万元 → 元 ×10000). */
  value: number;
  /** Canonical unit (天 → 日, 月 → 个月, 岁 → 周岁). */
  unit: string;
  /** Null: the fact applies anywhere in the answer. */
  context: PatternSet | null;
}

export interface CompiledQuestion {
  question: Question;
  outOfScope: boolean;
  keyPoints: CompiledKeyPoints;
  minKeyPoints: number;
  facts: readonly CompiledFact[];
  /** Canonical unit → every value the reference states with it. */
  acceptedValues: ReadonlyMap<string, readonly number[]>;
  contradictions: PatternSet;
  /** Words that merely echo the topic: the question and its variants, the matter's names and aspects. */
  echo: ReadonlySet<string>;
  /** 0-based indices of the turns marked `expect: clarify`. */
  clarifyTurns: ReadonlySet<number>;
}

/** What a question is compiled against. */
export interface QuestionContext {
  matter: Matter | undefined;
  intents: readonly Intent[];
  phrases: MatcherPhrases;
  /** Per aspect of the question's matter, the matching forms of its questions' texts and variants. */
  aspectTexts: readonly (readonly MatchForms[])[];
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

export function compileQuestion(question: Question, ctx: QuestionContext): CompiledQuestion {
  const ref = question.reference;
  const facts = ref.facts.map((f): CompiledFact => {
    const { value, unit } = normalizeFactValue(f.value, f.unit);
    return { id: f.id, value, unit, context: f.context.length > 0 ? compilePatternSet(f.context) : null };
  });
  const acceptedValues = new Map<string, number[]>();
  for (const f of facts) acceptedValues.set(f.unit, [...(acceptedValues.get(f.unit) ?? []), f.value]);
  return {
    question,
    outOfScope: question.matterId === OUT_OF_SCOPE,
    keyPoints: compileKeyPoints(question, ctx),
    minKeyPoints: ref.minKeyPoints,
    facts,
    acceptedValues,
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
  };
}

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
