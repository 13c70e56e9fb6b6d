/**
 * The `matcher` judge (SPEC §4): deterministic and offline. Key points, facts with numbers and units,
 * contradictions, fallback detection and intent by the nearest reference among all loaded intents —
 * everything learnt from the loaded banks and judges/matcher-phrases.yaml, nothing about any matter in code.
 */
import { createHash } from 'node:crypto';
import type { BankSet, Judge, JudgeInput, Question, Verdict } from '../../domain/types.js';
import { lazy } from '../../util/lazy.js';
import { MATCHER_JUDGE } from '../modes.js';
import type { VerdictFields } from '../rubric.js';
import { analyseAnswer, type AnswerSentence } from './answer-text.js';
import { isClarifyingQuestion } from './clarify.js';
import { aspectTextsByMatter, compileMatterFacts, compileQuestion, type CompiledQuestion } from './compile-question.js';
import { findContradictions } from './contradictions.js';
import { findFactErrors } from './facts.js';
import { analyseFallback } from './fallback.js';
import { featuresOf, IntentIndex } from './intent.js';
import { findKeyPoints } from './key-points.js';
import { bindingOf, claimKeyPoints, type ClaimScope } from './claims.js';
import { MatterNames } from './matter-names.js';
import { loadMatcherPhrases, type MatcherPhrases } from './phrases.js';
import { MATCHER_THRESHOLDS, type MatcherThresholds } from './thresholds.js';
import { decideVerdict, type Evidence } from './verdict.js';

/**
 * Bumped by hand when the matcher's logic changes in a way that can change a verdict; with the
 * thresholds and the phrase file's hash it makes the judge version.
 */
const MATCHER_RULES_REVISION = 3;

interface MatcherJudgeOptions {
  /**
   * The phrase lists to use.
   * @default judges/matcher-phrases.yaml of this project
   */
  phrasesFile?: string;
  /** Overrides of the tuned thresholds (for calibration experiments). */
  thresholds?: Partial<MatcherThresholds>;
}

/** A matcher judge that can also show the evidence behind a verdict. */
export interface MatcherJudge extends Judge {
  /** The verdict fields and the evidence they were decided from (for debugging and calibration). */
  explain(input: JudgeInput): { fields: VerdictFields; evidence: Evidence };
}

/** Creates the deterministic matcher judge over the loaded banks; compiles every question once. */
export function createMatcherJudge(banks: BankSet, options: MatcherJudgeOptions = {}): MatcherJudge {
  const phrases = loadMatcherPhrases(options.phrasesFile);
  const t: MatcherThresholds = { ...MATCHER_THRESHOLDS, ...options.thresholds };
  const compiled = new Map<string, CompiledQuestion>();
  const byObject = new WeakMap<Question, CompiledQuestion>();
  const mattersById = new Map(banks.matters.map((m) => [m.id, m]));
  const aspectTexts = aspectTextsByMatter(banks.questions);
  const matterFacts = compileMatterFacts(banks.questions);
  // Callers may hand in equal question objects of their own (a re-judge reloads the banks): those reuse
  // the compiled form; a question that differs from the loaded one of its id is compiled on its own.
  const compile = (q: Question): CompiledQuestion => {
    const cached = byObject.get(q);
    if (cached) return cached;
    const known = compiled.get(q.id);
    const cq =
      known && sameQuestion(known.question, q)
        ? known
        : compileQuestion(q, {
            matter: mattersById.get(q.matterId),
            intents: banks.intents,
            phrases,
            aspectTexts: aspectTexts.get(q.matterId) ?? [],
            matterFacts: matterFacts.get(q.matterId) ?? [],
          });
    if (!known) compiled.set(q.id, cq);
    byObject.set(q, cq);
    return cq;
  };
  for (const q of banks.questions) compile(q);
  const intents = new IntentIndex(banks, compiled, phrases.stopwords, t);
  const names = new MatterNames(banks.matters);
  const version = judgeVersion(phrases, t);

  const explain = (input: JudgeInput) => {
    const evidence = gatherEvidence(compile(input.question), input, phrases, intents, names, t);
    return { fields: decideVerdict(evidence, t), evidence };
  };

  return {
    name: MATCHER_JUDGE,
    version,
    explain,
    // Deterministic code on data checked at load: whatever it throws is a bug of ours, which the runner
    // records as such (and fails the run) rather than as an unjudged case the city would wait on.
    judge(input: JudgeInput): Verdict {
      return { status: 'judged', judge: MATCHER_JUDGE, turn: input.turn, ...explain(input).fields };
    },
  };
}

/**
 * The evidence about one answer, each part computed when the rubric first asks for it: a fallback
 * reply is decided before any intent is classified, a reply with key points before fallback phrases
 * are weighed. `explain` callers that read every field get all of it.
 */
function gatherEvidence(
  cq: CompiledQuestion,
  input: JudgeInput,
  phrases: MatcherPhrases,
  intents: IntentIndex,
  names: MatterNames,
  t: MatcherThresholds,
): Evidence {
  const answer = analyseAnswer(input.answer, phrases);
  const otherMatterOnly = (named: ReadonlySet<string>) => named.size > 0 && !named.has(cq.question.matterId) && !cq.outOfScope;
  const scope: ClaimScope = {
    aboutOtherMatter: (sentence) => otherMatterOnly(names.named(sentence.forms)),
    namesOtherMatter: (forms) => !cq.outOfScope && names.namesOther(cq.question.matterId, forms),
  };
  const keyPointHits = lazy(() => cq.keyPoints.patterns.plainHits(answer.forms));
  const claims = lazy(() => claimKeyPoints(cq.keyPoints, keyPointHits, answer, phrases, scope));
  const keyPoints = lazy(() => findKeyPoints(cq.keyPoints, claims().asserted));
  const facts = lazy(() => findFactErrors(cq, answer, phrases));
  const contradictions = lazy(() => findContradictions(cq.contradictions, answer, phrases.negation));
  const oldStatements = lazy(() => {
    const past = (sentence: AnswerSentence) => phrases.claims.past.test(sentence.forms);
    const said = new Set(findContradictions(cq.superseded.statements, answer, phrases.negation, past));
    return cq.superseded.statements.sources.flatMap((source, i) => (said.has(source) ? [cq.superseded.ruleOf[i]!] : []));
  });
  const outdated = lazy(() => [...new Set([...facts().outdated, ...oldStatements()])]);
  const binding = lazy(() => bindingOf(keyPointHits(), answer, phrases, t.unbound.minSentences));
  const mentions = lazy(() => ({
    asked: names.names(cq.question.matterId, answer.forms),
    neighbours: names.neighbours(cq.question.matterId, answer.forms.plain).map((n) => n.text),
  }));
  const fallback = lazy(() => analyseFallback(answer, phrases, cq.echo));
  const clarifying = lazy(() => isClarifyingQuestion(answer.clean, phrases));
  const intent = lazy(() => {
    const features = featuresOf(
      answer.words().map((w) => w.text),
      answer.forms.plain,
      phrases.stopwords,
      t.bigramWeight,
    );
    return intents.classify(features, answer.forms, cq);
  });
  return {
    cq,
    turn: input.turn,
    empty: answer.forms.plain.length === 0,
    get keyPointsHit() {
      return keyPoints().ids;
    },
    get substantiveHits() {
      return keyPoints().substantive;
    },
    get factErrors() {
      return facts().errors;
    },
    get outdated() {
      return outdated();
    },
    get denied() {
      return claims().denied;
    },
    get discounted() {
      return claims().discounted;
    },
    get mentions() {
      return mentions();
    },
    get binding() {
      return binding();
    },
    get styled() {
      return isMarkdownStyled(input.answer);
    },
    get contradictions() {
      return contradictions();
    },
    get fallback() {
      return fallback();
    },
    get clarifying() {
      return clarifying();
    },
    get intent() {
      return intent();
    },
  };
}

const MARKDOWN = [/\*\*[^*\n]+\*\*/, /^\s{0,3}#{1,6}\s/m, /^\s*\|.*\|\s*$/m];
const BULLET = /^\s*[-*•]\s+\S/gm;

/**
 * Markdown as large-model assistants write it (bold, headings, tables, bullet lists) — not the HTML
 * lists of FAQ bots: the structured, fluent answers whose relations between terms the matcher cannot check.
 */
function isMarkdownStyled(raw: string): boolean {
  return MARKDOWN.some((re) => re.test(raw)) || (raw.match(BULLET)?.length ?? 0) >= 2;
}

function sameQuestion(a: Question, b: Question): boolean {
  return a === b || JSON.stringify({ ...a, pos: null }) === JSON.stringify({ ...b, pos: null });
}

function judgeVersion(phrases: MatcherPhrases, t: MatcherThresholds): string {
  const content = JSON.stringify({ revision: MATCHER_RULES_REVISION, thresholds: t, phrases: phrases.hash });
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

