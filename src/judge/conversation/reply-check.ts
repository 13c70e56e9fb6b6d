/**
 * One bot reply of a conversation checked against its scenario's reference with the matcher's own key
 * point, fact and contradiction checks: the scenario is judged as a question whose text is the opening.
 */
import type { BankSet, Matter, Question, Scenario } from '../../domain/types.js';
import { createMatcherJudge, type MatcherJudge } from '../matcher/index.js';
import { analyseAnswer } from '../matcher/answer-text.js';
import { loadMatcherPhrases } from '../matcher/phrases.js';

/** What one reply conveys of the scenario's reference. */
export interface ReplyCheck {
  keyPointsHit: string[];
  factErrors: string[];
  /** Reference contradictions the reply asserts. */
  contradictions: string[];
  /** Empty, a fallback, or only a referral: the matcher's `no-answer`. */
  noAnswer: boolean;
  /** Per reference fact id, the values the reply states for it (its unit, in its context), in canonical units. */
  stated: ReadonlyMap<string, { unit: string; values: readonly number[] }>;
}

export interface ScenarioChecker {
  check(reply: string): ReplyCheck;
}

/** The scenario as the matcher's question: the opening is what was asked. */
export function scenarioQuestion(scenario: Scenario): Question {
  return {
    id: scenario.id,
    matterId: scenario.matterId,
    aspectId: scenario.aspectId,
    intent: scenario.intent,
    text: scenario.opening,
    variants: [],
    critical: scenario.critical,
    reference: scenario.reference,
    pos: scenario.pos,
  };
}

const checkers = new WeakMap<Scenario, Map<Matter | undefined, ScenarioChecker>>();

/**
 * A checker for one scenario, compiled once per scenario object and matter. `matters` supplies the
 * scenario's matter (its names for fallback echoes, its superseded rules); key points do not depend on
 * it. Only that matter and the scenario's own intent are loaded, so the check never depends on which
 * other banks happen to be loaded.
 */
export function scenarioChecker(scenario: Scenario, matters: readonly Matter[]): ScenarioChecker {
  const matter = matters.find((m) => m.id === scenario.matterId);
  const byMatter = checkers.get(scenario) ?? new Map<Matter | undefined, ScenarioChecker>();
  checkers.set(scenario, byMatter);
  const cached = byMatter.get(matter);
  if (cached) return cached;
  const question = scenarioQuestion(scenario);
  const banks: BankSet = {
    matters: matter ? [matter] : [],
    intents: [{ id: scenario.intent, matterId: scenario.matterId, aspectId: scenario.aspectId, name: scenario.aspectId }],
    questions: [question],
    hash: '',
    files: [],
    scenarios: [],
  };
  const judge: MatcherJudge = createMatcherJudge(banks);
  const phrases = loadMatcherPhrases();
  const checker: ScenarioChecker = {
    check(reply) {
      const { fields, evidence } = judge.explain({ question, turn: 0, answer: reply });
      const stated = new Map<string, { unit: string; values: number[] }>();
      const answer = analyseAnswer(reply, phrases);
      evidence.cq.facts.forEach((f) => {
        const values: number[] = [];
        for (const s of answer.sentences()) {
          if (f.context !== null && !f.context.test(s.forms)) continue;
          for (const q of s.quantities) if (!q.ordinal && q.unit === f.unit && !values.includes(q.value)) values.push(q.value);
        }
        if (values.length > 0) stated.set(f.id, { unit: f.unit, values });
      });
      return {
        keyPointsHit: evidence.keyPointsHit,
        factErrors: evidence.factErrors,
        contradictions: evidence.contradictions,
        noAnswer: fields.verdict === 'no-answer',
        stated,
      };
    },
  };
  byMatter.set(matter, checker);
  return checker;
}
