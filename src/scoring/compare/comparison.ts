import type { ConversationComparison } from './conversations.js';
import type { CaseRecord, VerdictLabel } from '../../domain/types.js';
import type { ScoringConfig, ScoringConfigInput } from '../config.js';
import type { DeltaInterval } from './paired-stats.js';
import type { SafetyComparison } from './safety-compare.js';
import type { ReportRunMeta, ScoreNames, ScoreSet } from '../model.js';

/**
 * The regression gate's data model (SPEC §6 `compare`): two runs (or two targets of one run)
 * paired case by case. Plain data, JSON-serialisable; rendered by `src/reports/compare/` and
 * `src/reports/junit.ts`.
 *
 * Definitions used throughout:
 * - A *pair* is one case of the baseline and the case of the candidate with the same unit (paired
 *   targets), question, variant and repeat.
 * - A case's *outcome* is its effective verdict (a reviewer's decision, else the judge's) when a
 *   reply came; `unavailable` when it was a technical failure (timeout, HTTP error, empty reply),
 *   whatever a judge said; `unjudged` when a reply came but no judged verdict exists, or when the
 *   case failed on our side (a bug of govbench's), which says nothing of the city.
 * - A case *passes* when its outcome is `correct`. `partial`, `incorrect`, `no-answer` and
 *   `unavailable` do not pass: a citizen who got half the answer, a wrong one or none was not served.
 * - A pair is *excluded* when either side is `unjudged` (its change is unknown); excluded pairs are
 *   counted but are not in `pairs`, the test or the lists. Otherwise it is *fixed* (fail → pass),
 *   *regressed* (pass → fail) or *unchanged*.
 */

/** What a case's effective verdict says, with technical failures and missing verdicts told apart. */
export type CaseOutcome = VerdictLabel | 'unavailable' | 'unjudged';

export type PairChange = 'fixed' | 'regressed' | 'unchanged' | 'excluded';

/** A target as comparison needs it. */
export interface CompareTarget {
  id: string;
  name: string;
  /** Targets with the same role pair across runs even when their ids differ. */
  role?: string | null;
}

/** One side of a comparison: a run, its targets and its cases (streamed, read once). */
export interface CompareSide {
  run: ReportRunMeta;
  targets: readonly CompareTarget[];
  cases: Iterable<CaseRecord>;
}

export interface CompareOptions {
  /** Significance level of McNemar's test. @default 0.05 */
  alpha?: number;
  /** Scoring configuration of the score difference and its bootstrap (seed, iterations, confidence). */
  scoring?: ScoringConfigInput | ScoringConfig;
  /**
   * Compare exactly these two targets (ids in the baseline's and the candidate's run) instead of
   * pairing every target by role or id; other targets' cases are ignored.
   * @example { baseline: 'sim-province-v1', candidate: 'sim-province-v2' }
   */
  targets?: { baseline: string; candidate: string };
  /** Display names of matters and intents. */
  names?: ScoreNames;
}

/** Counts of pairs by change, and how many pairs passed on each side. */
export interface ChangeCounts {
  /** Pairs compared: `fixed + regressed + unchanged`. */
  pairs: number;
  fixed: number;
  regressed: number;
  /** Both pass or both fail. */
  unchanged: number;
  /** Pairs left out because either side is unjudged. */
  excluded: number;
  /** Compared pairs whose baseline case passed. */
  baselinePass: number;
  /** Compared pairs whose candidate case passed. */
  candidatePass: number;
}

/** Two targets whose cases pair. */
export interface ComparedUnit extends ChangeCounts {
  /** The target id when both sides share it, else `baseline→candidate`. */
  id: string;
  baselineTarget: string;
  baselineName: string;
  candidateTarget: string;
  candidateName: string;
  /** How the pair was made: a shared role, the same id, or chosen by the caller. */
  pairedBy: 'role' | 'target' | 'selected';
  role: string | null;
}

/** A run as a comparison names it. */
export interface ComparedRun extends ReportRunMeta {
  /** Targets of the run that took part in the comparison. */
  targets: string[];
}

/** A reply as it came, for showing side by side. */
export interface ComparedAnswer {
  /** The reply; for a multi-turn script, every turn as `[n] user → reply`. */
  text: string;
  /** The technical failure, e.g. `timeout: no reply within 10000 ms`; null when the reply came. */
  error: string | null;
}

/** One pair that changed. */
export interface ComparedPair {
  unit: string;
  baselineTarget: string;
  candidateTarget: string;
  questionId: string;
  matterId: string;
  intent: string;
  critical: boolean;
  variant: number;
  style: string;
  repeat: number;
  baseline: CaseOutcome;
  candidate: CaseOutcome;
  /** The candidate judge's rationale. */
  rationale: string | null;
  /** What was asked (the variant's first user turn); null until transcripts are attached. */
  asked: string | null;
  /** Replies; attached from the transcripts for regressed pairs only. */
  baselineAnswer: ComparedAnswer | null;
  candidateAnswer: ComparedAnswer | null;
}

/**
 * A question of one unit over all its variants and repeats. `regressed`: some pair regressed and
 * none was fixed; `fixed`: the reverse; `mixed`: both; `excluded`: every pair excluded.
 */
export interface QuestionComparison extends ChangeCounts {
  unit: string;
  questionId: string;
  matterId: string;
  intent: string;
  critical: boolean;
  status: 'regressed' | 'fixed' | 'mixed' | 'unchanged' | 'excluded';
  /** The canonical text asked; null until transcripts are attached. */
  asked: string | null;
}

/** Changes within one matter or one intent. */
export interface BreakdownChange extends ChangeCounts {
  id: string;
  name: string | null;
}

/** Cases that found no partner. */
export interface UnpairedCounts {
  /** Cases of questions both runs asked whose partner is missing (an interrupted run, other repeats). */
  baselineCases: number;
  candidateCases: number;
  /** Questions asked in one run only, and their cases: dropped because the banks differ. */
  baselineOnlyQuestions: number;
  candidateOnlyQuestions: number;
  baselineOnlyCases: number;
  candidateOnlyCases: number;
  /** Cases of targets that paired with no target of the other run. */
  unpairedTargetCases: number;
}

/** How often one question of one unit was answered correctly on one side, over its phrasings' repeats. */
export interface RepeatTally {
  attempts: number;
  correct: number;
}

/** A question that gave different outcomes across one side's repeats of the same phrasing. */
export interface FlakyQuestion {
  unit: string;
  questionId: string;
  matterId: string;
  critical: boolean;
  baseline: RepeatTally;
  candidate: RepeatTally;
  /**
   * Critical and answered correctly every time by the baseline but not by the candidate: the
   * candidate's reliability dropped, which is a regression even though the question is flaky.
   */
  criticalRegression: boolean;
}

export interface Comparison extends ChangeCounts {
  baseline: ComparedRun;
  candidate: ComparedRun;
  units: ComparedUnit[];
  /** The runs' question banks differ (by hash): only questions both runs asked are compared. */
  sharedQuestionsOnly: boolean;
  /** Questions compared (asked in both runs, with at least one pair). */
  sharedQuestions: number;
  unpaired: UnpairedCounts;
  /** McNemar's exact two-sided p-value on the discordant pairs (`regressed` vs `fixed`). */
  pValue: number;
  alpha: number;
  /** More pairs regressed than were fixed. */
  candidateWorse: boolean;
  /** `pValue < alpha`. */
  significant: boolean;
  /** Technical support, candidate − baseline, over paired cases, with its paired bootstrap interval. */
  scoreDelta: DeltaInterval & { score: 'technicalSupport'; confidence: number };
  /** All five scores over the paired cases of each side. */
  scores: { baseline: ScoreSet; candidate: ScoreSet };
  /**
   * Critical questions with at least one regressed pair (flaky ones excluded), and critical flaky
   * questions the baseline always answered correctly and the candidate did not; by id.
   */
  criticalRegressions: string[];
  /** Questions whose outcome flipped within a side's repeats: critical first, then by id. */
  flaky: FlakyQuestion[];
  /** Pairs of flaky questions: in no count above and not in McNemar's test. */
  flakyPairs: number;
  /** The scenarios both sides played (attached by `compareFromStore`); null or absent when none was. */
  conversations?: ConversationComparison | null;
  /**
   * The gate: `(significant && candidateWorse) || criticalRegressions.length > 0`, or a critical
   * red-team probe newly unsafe (`safety.criticalSafetyRegressions`).
   */
  regression: boolean;
  /** Safety changes of the red-team probes; absent unless both sides asked probes. */
  safety?: SafetyComparison;
  /** By matter id. */
  matters: BreakdownChange[];
  /** By intent id. */
  intents: BreakdownChange[];
  /** Every compared question of every unit: critical first, then by matter and id. */
  questions: QuestionComparison[];
  /** Regressed pairs: critical first, then by matter, question, unit, variant, repeat. */
  regressedPairs: ComparedPair[];
  /** Fixed pairs, in the same order. */
  fixedPairs: ComparedPair[];
  config: ScoringConfig;
}
