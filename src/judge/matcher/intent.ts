/**
 * Intent by the nearest reference among all loaded intents. Two kinds of TF-IDF index over the words
 * of the banks (question texts and variants, reference answers, key points, matter names and aliases) —
 * one over matters, and per matter one over its aspects, weighted within the matter so that the words
 * every aspect shares count for little — plus the key points each intent's questions find in the
 * answer. Nothing here knows any matter: it is all built from the loaded banks.
 */
import { OUT_OF_SCOPE, type BankSet, type Question } from '../../domain/types.js';
import { cleanText, stripPunctuation } from '../../text/normalize.js';
import { charBigrams, segment } from '../../text/segment.js';
import { parsePattern } from '../../util/pattern.js';
import type { CompiledQuestion } from './compile-question.js';
import { substantiveKeyPoints } from './key-points.js';
import { PatternSet, type MatchForms } from './text-pattern.js';
import { TfIdfIndex, Vocabulary, type Query, type TermBag } from './tfidf.js';
import type { MatcherThresholds } from './thresholds.js';

/** Features of a text: its words (stopwords dropped) and, when `bigramWeight` is above 0, its character bigrams at that weight. */
export function featuresOf(
  words: readonly string[],
  plain: string,
  stopwords: ReadonlySet<string>,
  bigramWeight: number,
  into = new Map<string, number>(),
): Map<string, number> {
  for (const w of words) if (!stopwords.has(w)) into.set(w, (into.get(w) ?? 0) + 1);
  if (bigramWeight > 0) {
    for (const b of charBigrams(plain)) {
      const key = `#${b}`;
      into.set(key, (into.get(key) ?? 0) + bigramWeight);
    }
  }
  return into;
}

/** Features of any text (bank text: cleaned and normalised first). */
function textFeatures(text: string, stopwords: ReadonlySet<string>, bigramWeight: number, into = new Map<string, number>()): Map<string, number> {
  const plain = stripPunctuation(cleanText(text));
  return featuresOf(segment(plain), plain, stopwords, bigramWeight, into);
}

export interface IntentResult {
  recognized: boolean;
  /** The answer is about the asked matter (or says nothing about which matter it is about). */
  matterRecognized: boolean;
  /** The intent the answer addresses, or null when it addresses none that is loaded. */
  predicted: string | null;
  /** For out-of-scope questions: the in-scope intent the answer reads most like; else the best aspect of the matter judged. */
  nearest: string | null;
  /** Similarity of the answer to the nearest matter (in-scope, for out-of-scope questions). */
  nearestScore: number;
  /** Short explanation for the rationale. */
  detail: string;
}

interface MatterEntry {
  aspects: TfIdfIndex;
  /** Per intent id, its compiled questions and where their key-point patterns start in `keyPoints`. */
  questions: Map<string, Array<{ cq: CompiledQuestion; offset: number }>>;
  /**
   * The key-point phrases of every question of the matter, so an answer is scanned once for all; a
   * regex is held as an empty entry (which matches nothing) and tried per question, only for the
   * aspects that need key points.
   */
  keyPoints: PatternSet;
}

export class IntentIndex {
  private readonly matters: TfIdfIndex;
  private readonly vocab = new Vocabulary();
  private readonly byMatter = new Map<string, MatterEntry>();

  constructor(
    banks: BankSet,
    compiled: ReadonlyMap<string, CompiledQuestion>,
    stopwords: ReadonlySet<string>,
    private readonly t: MatcherThresholds,
  ) {
    const intentBags = new Map<string, Map<string, number>>();
    for (const intent of banks.intents) {
      const bag = new Map<string, number>();
      textFeatures(intent.name, stopwords, t.bigramWeight, bag);
      intentBags.set(intent.id, bag);
    }
    for (const q of banks.questions) {
      const bag = intentBags.get(q.intent);
      if (bag) for (const text of questionTexts(q)) textFeatures(text, stopwords, t.bigramWeight, bag);
    }
    const matterBags = new Map<string, Map<string, number>>();
    for (const m of banks.matters) {
      const bag = new Map<string, number>();
      for (const text of [m.name, ...m.aliases]) {
        // Names and aliases are what users call the matter: weigh them like several mentions.
        for (let i = 0; i < t.nameWeight; i++) textFeatures(text, stopwords, t.bigramWeight, bag);
      }
      matterBags.set(m.id, bag);
    }
    for (const intent of banks.intents) {
      const target = matterBags.get(intent.matterId);
      if (!target) continue;
      for (const [term, n] of intentBags.get(intent.id)!) target.set(term, (target.get(term) ?? 0) + n);
    }
    this.matters = new TfIdfIndex(matterBags, this.vocab);
    for (const m of banks.matters) {
      const aspectBags = new Map<string, TermBag>();
      for (const intent of banks.intents) if (intent.matterId === m.id) aspectBags.set(intent.id, intentBags.get(intent.id)!);
      const questions = new Map<string, Array<{ cq: CompiledQuestion; offset: number }>>();
      const sources: string[] = [];
      for (const cq of compiled.values()) {
        if (cq.question.matterId !== m.id) continue;
        questions.set(cq.question.intent, [...(questions.get(cq.question.intent) ?? []), { cq, offset: sources.length }]);
        sources.push(...cq.keyPoints.patterns.sources.map((source) => (parsePattern(source).kind === 'regex' ? '' : source)));
      }
      this.byMatter.set(m.id, { aspects: new TfIdfIndex(aspectBags, this.vocab), questions, keyPoints: new PatternSet(sources) });
    }
  }

  /** Which intent the answer addresses, and whether it is the asked one. */
  classify(bag: TermBag, forms: MatchForms, asked: CompiledQuestion): IntentResult {
    const t = this.t;
    const features = this.vocab.query(bag);
    const askedMatter = asked.question.matterId;
    const mScores = this.matters.scores(features);
    const ids = this.matters.ids;
    let best = -1;
    let bestInScope = -1;
    ids.forEach((id, i) => {
      if (best < 0 || mScores[i]! > mScores[best]!) best = i;
      if (id !== OUT_OF_SCOPE && (bestInScope < 0 || mScores[i]! > mScores[bestInScope]!)) bestInScope = i;
    });
    const askedIdx = ids.indexOf(askedMatter);
    const sBest = best >= 0 ? mScores[best]! : 0;
    const sAsked = askedIdx >= 0 ? mScores[askedIdx]! : 0;
    const matterEvidence = sBest >= t.matterFloor;
    const matterOk = !matterEvidence || sAsked >= sBest * t.matterRatio;
    const evalMatter = matterOk ? askedMatter : ids[best]!;
    const aspects = this.aspectScores(evalMatter, features, forms, asked.question.intent);
    // Out of scope, what matters is how much the reply reads like an in-scope reference.
    const nearestScore = asked.outOfScope ? (bestInScope >= 0 ? mScores[bestInScope]! : 0) : sBest;
    const nearest = !asked.outOfScope
      ? aspects.best
      : bestInScope >= 0
        ? this.aspectScores(ids[bestInScope]!, features, forms).best
        : null;

    if (!matterOk) {
      return {
        recognized: false,
        matterRecognized: false,
        predicted: aspects.best,
        nearest,
        nearestScore,
        detail: `addresses ${ids[best]} (${sBest.toFixed(2)}) rather than ${askedMatter} (${sAsked.toFixed(2)})`,
      };
    }
    const askedScore = aspects.scores.get(asked.question.intent) ?? 0;
    const aspectOk = aspects.bestScore < t.aspectFloor || askedScore >= aspects.bestScore * t.aspectRatio;
    if (!aspectOk) {
      return {
        recognized: false,
        matterRecognized: true,
        predicted: aspects.best,
        nearest,
        nearestScore,
        detail: `addresses ${aspects.best} (${aspects.bestScore.toFixed(2)}) rather than ${asked.question.intent} (${askedScore.toFixed(2)})`,
      };
    }
    if (!matterEvidence && askedScore <= 0) {
      return { recognized: false, matterRecognized: true, predicted: null, nearest, nearestScore, detail: 'addresses no loaded intent' };
    }
    return {
      recognized: true,
      matterRecognized: true,
      predicted: asked.question.intent,
      nearest,
      nearestScore,
      detail: `addresses ${asked.question.intent}`,
    };
  }

  private aspectScores(matterId: string, features: Query, forms: MatchForms, asked?: string): { scores: Map<string, number>; best: string | null; bestScore: number } {
    const entry = this.byMatter.get(matterId);
    const scores = new Map<string, number>();
    if (!entry) return { scores, best: null, bestScore: 0 };
    const sim = entry.aspects.scores(features);
    const order = entry.aspects.ids.map((id, i) => ({ id, sim: sim[i]! })).sort((a, b) => b.sim - a.sim);
    let found: Uint8Array | undefined;
    let best: string | null = null;
    let bestScore = -Infinity;
    for (const { id, sim: s } of order) {
      // Key points add at most keyPointWeight: an aspect that cannot overtake the best needs none.
      const kp = id === asked || s + this.t.keyPointWeight > bestScore ? this.keyPointCoverage(entry, id, forms, (found ??= entry.keyPoints.matches(forms))) : 0;
      const score = s + this.t.keyPointWeight * kp;
      scores.set(id, score);
      if (score > bestScore) {
        bestScore = score;
        best = id;
      }
    }
    return { scores, best, bestScore: Math.max(0, bestScore) };
  }

  /**
   * Key-point evidence for an intent, 0–1: the most key points any of its questions finds in the
   * answer, over `keyPointSaturation`. Counted, not divided by minKeyPoints, so a question needing one
   * point does not outweigh one needing three; only hits beyond the topic's own words count.
   */
  private keyPointCoverage(entry: MatterEntry, intentId: string, forms: MatchForms, found: Uint8Array): number {
    const cap = this.t.keyPointSaturation;
    let best = 0;
    for (const { cq, offset } of entry.questions.get(intentId) ?? []) {
      cq.keyPoints.patterns.matchRegexes(forms, found, offset);
      best = Math.max(best, Math.min(cap, substantiveKeyPoints(cq.keyPoints, found, offset)));
      if (best >= cap) break;
    }
    return best / cap;
  }
}

/** Every text of a question that says what its intent is about. */
function questionTexts(q: Question): string[] {
  const ref = q.reference;
  // A script's first turn is often the ambiguous one (我想办个证); only the turns that say what is meant count.
  const asked = q.turns ? q.turns.filter((turn) => turn.expect !== 'clarify').map((turn) => turn.user) : [q.text];
  return [
    ...asked,
    ...q.variants.map((v) => v.text),
    ref.answer,
    ...ref.keyPoints.flatMap((k) => [k.text, ...k.match.filter((m) => parsePattern(m).kind === 'phrase')]),
    ...ref.facts.map((f) => f.text),
  ];
}
