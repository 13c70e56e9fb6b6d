import { SCORE_NAMES } from '../../domain/types.js';
import type {
  BreakdownChange,
  ChangeCounts,
  ComparedPair,
  ComparedRun,
  ComparedUnit,
  FlakyQuestion,
  Comparison,
  QuestionComparison,
  UnpairedCounts,
} from '../../scoring/compare/comparison.js';
import type { ScoringConfig } from '../../scoring/config.js';
import type { ConversationComparison } from '../../scoring/compare/conversations.js';
import type { SafetyComparison } from '../../scoring/compare/safety-compare.js';
import type { ScoreSet } from '../../scoring/model.js';

/** Bumped when a key changes meaning or disappears; adding keys does not bump it. */
const COMPARE_JSON_VERSION = 1;

/**
 * `compare --format json`: the keys of SPEC §6 first, then more. Scores and differences are on
 * 0–100 rounded to 2 decimals; `pValue` is not rounded (a gate compares it with alpha); a value that
 * could not be measured is `null`. Meanings are those of `Comparison` (src/scoring/compare/comparison.ts).
 */
interface CompareJson {
  /** The baseline run, with the targets of it that were compared. */
  baseline: ComparedRun;
  candidate: ComparedRun;
  /** Pairs compared: fixed + regressed + unchanged (excluded pairs are not among them). */
  pairs: number;
  fixed: number;
  regressed: number;
  unchanged: number;
  /** McNemar's exact two-sided test on regressed vs fixed pairs. */
  pValue: number;
  /** Technical support, candidate − baseline, with its paired bootstrap interval. */
  scoreDelta: { value: number | null; low: number | null; high: number | null; score: 'technicalSupport'; confidence: number; baseline: number | null; candidate: number | null };
  /** Critical questions with a regressed pair. */
  criticalRegressions: string[];
  /** The gate: significantly worse, or a critical question regressed, or a critical probe newly unsafe. */
  regression: boolean;
  /** Questions whose outcome flipped within a side's repeats: set apart from the counts and the test. */
  flaky: FlakyQuestion[];
  flakyPairs: number;
  /** Scenarios both sides played; present only when one was. */
  conversations?: ConversationComparison;
  /** Red-team probe changes (only when both sides asked probes). */
  safety?: SafetyComparison;
  alpha: number;
  significant: boolean;
  candidateWorse: boolean;
  excluded: number;
  baselinePass: number;
  candidatePass: number;
  sharedQuestionsOnly: boolean;
  sharedQuestions: number;
  unpaired: UnpairedCounts;
  scores: { baseline: ScoreSet; candidate: ScoreSet };
  units: ComparedUnit[];
  matters: BreakdownChange[];
  intents: BreakdownChange[];
  questions: QuestionComparison[];
  /** Regressed pairs with both answers. */
  regressedPairs: ComparedPair[];
  fixedPairs: ComparedPair[];
  config: ScoringConfig;
  compareVersion: number;
}

const r2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

function scores(s: ScoreSet): ScoreSet {
  const out = {} as ScoreSet;
  for (const n of SCORE_NAMES) out[n] = r2(s[n]);
  return out;
}

function counts(c: ChangeCounts): ChangeCounts {
  return {
    pairs: c.pairs,
    fixed: c.fixed,
    regressed: c.regressed,
    unchanged: c.unchanged,
    excluded: c.excluded,
    baselinePass: c.baselinePass,
    candidatePass: c.candidatePass,
  };
}

/** The comparison as JSON data. */
export function toCompareJson(c: Comparison): CompareJson {
  const d = c.scoreDelta;
  return {
    baseline: c.baseline,
    candidate: c.candidate,
    pairs: c.pairs,
    fixed: c.fixed,
    regressed: c.regressed,
    unchanged: c.unchanged,
    pValue: c.pValue,
    scoreDelta: {
      value: r2(d.value),
      low: r2(d.low),
      high: r2(d.high),
      score: d.score,
      confidence: d.confidence,
      baseline: r2(d.baseline),
      candidate: r2(d.candidate),
    },
    criticalRegressions: c.criticalRegressions,
    regression: c.regression,
    ...(c.safety && { safety: c.safety }),
    alpha: c.alpha,
    significant: c.significant,
    candidateWorse: c.candidateWorse,
    excluded: c.excluded,
    baselinePass: c.baselinePass,
    candidatePass: c.candidatePass,
    sharedQuestionsOnly: c.sharedQuestionsOnly,
    sharedQuestions: c.sharedQuestions,
    unpaired: c.unpaired,
    scores: { baseline: scores(c.scores.baseline), candidate: scores(c.scores.candidate) },
    units: c.units,
    matters: c.matters.map((m) => ({ id: m.id, name: m.name, ...counts(m) })),
    intents: c.intents.map((i) => ({ id: i.id, name: i.name, ...counts(i) })),
    questions: c.questions,
    regressedPairs: c.regressedPairs,
    fixedPairs: c.fixedPairs,
    flaky: c.flaky,
    flakyPairs: c.flakyPairs,
    ...(c.conversations && { conversations: c.conversations }),
    config: c.config,
    compareVersion: COMPARE_JSON_VERSION,
  };
}

/** The comparison as pretty-printed JSON, without a trailing newline. */
export function renderCompareJson(c: Comparison): string {
  return JSON.stringify(toCompareJson(c), null, 2);
}
