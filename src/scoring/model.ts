import type { ErrorKind, FailureKind, Grade, Intent, JudgeMode, Matter, RegionId, ReplyRoute, RunEnvironment, RunStatus, ScoreName, Target, VerdictLabel } from '../domain/types.js';
import type { AliasRecognition } from './alias-recognition.js';
import type { ScoringConfig } from './config.js';
import type { SimulatorAgreement, TargetConversations } from './conversation-model.js';
import type { TargetSafety } from './safety.js';

/**
 * The report model: everything a report shows, computed once by `scoreRun` and rendered by
 * `src/reports` (Markdown, JSON, terminal leaderboard). Plain data, JSON-serialisable.
 *
 * Conventions throughout:
 * - Scores are on 0–100. A score is `null` when nothing could be measured (its denominator is 0),
 *   not 0: e.g. accuracy of a target whose every answer went unjudged. The one exception is
 *   technical support of a target that answered nothing at all (every case a technical failure):
 *   0, since availability is 0 and nothing else was earned.
 * - "Cases" are finished cases: one question (or variant, or repeat) asked of one target.
 * - A case is *available* when a non-empty reply arrived for every turn within the timeout; the
 *   others are technical failures (`errors`). Accuracy and intent are over available cases with a
 *   judged verdict; availability is over all cases; responsiveness is over available cases.
 */

/** A score per name; `null` where it could not be measured. */
export type ScoreSet = { [K in ScoreName]: number | null };

/** A two-sided bootstrap percentile interval `[low, high]` on 0–100. */
export type Interval = [low: number, high: number];

/** Intervals per score; `null` where the score is null or bootstrapping is off. */
export type IntervalSet = { [K in ScoreName]: Interval | null };

/** The run a report is about (SPEC §6 `run`). */
export interface ReportRunMeta {
  id: string;
  /** @example "2025 Q3 baseline" */
  label: string | null;
  /** Content hash of the loaded question banks. */
  banksHash: string;
  /** The configured judge mode. @example "matcher" */
  judge: JudgeMode;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while running. */
  finishedAt: string | null;
  status: RunStatus;
  /** The versions the run ran with; null or absent for runs stored before they were recorded. */
  environment?: RunEnvironment | null;
  /** The run kept a screenshot of every widget reply (`run --evidence`). */
  evidence?: boolean;
}

/** What scoring needs to know of a target. */
export type ScoreTarget = Pick<Target, 'id' | 'name' | 'region' | 'province'>;

/** Display names for matters and intents (aspects); optional, reports fall back to ids. */
export interface ScoreNames {
  matters?: readonly Pick<Matter, 'id' | 'name'>[];
  intents?: readonly Pick<Intent, 'id' | 'name'>[];
}

/** Counts that explain a score's denominators. */
export interface CaseCounts {
  /** Finished cases. */
  cases: number;
  /** Technical failures: cases without a usable reply (timeouts, HTTP errors, empty replies). */
  errors: number;
  /** Cases with a reply: `cases - errors`. */
  available: number;
  /** Available cases with a judged verdict: the denominator of accuracy and intent. */
  judged: number;
  /** Available cases without a judged verdict (judge failed or not run yet); excluded from accuracy and intent. */
  unjudged: number;
}

/** Latency of available cases in milliseconds; `null` when no reply came. Quantiles are type 7. */
interface LatencySummary {
  /** Median time to the first reply. */
  p50Ms: number | null;
  /** 95th percentile of the time to the first reply. */
  p95Ms: number | null;
  /** Median time to the finished reply (streamed and widget replies). */
  totalP50Ms: number | null;
  /** 95th percentile of the time to the finished reply. */
  totalP95Ms: number | null;
}

/**
 * Scores of one variant style for one target, with the robustness gap.
 *
 * The gap is paired: for style `s`, `gap = canonical score on the questions that were also asked in
 * style s − style-s score on those same questions`, so question difficulty cancels out. Positive: the
 * chatbot does worse on that phrasing. `null` for the canonical style itself and where either side
 * could not be measured.
 */
export interface StyleScores extends CaseCounts {
  /** @example "colloquial" */
  style: string;
  /** Questions that had this style and the canonical text. */
  pairedQuestions: number;
  scores: ScoreSet;
  gap: ScoreSet | null;
}

/** One off-diagonal cell of an intent confusion table. */
export interface Confusion {
  /** The intent asked, `<matter>/<aspect>`. */
  asked: string;
  /** The intent the answer addressed instead, or `NO_INTENT`. */
  addressed: string;
  count: number;
  /** `count` ÷ judged cases of the asked intent, 0–1. */
  share: number;
}

/**
 * Asked intent → addressed intent, over available judged cases (Rasa's `confused_with`).
 * The addressed intent is the verdict's `predictedIntent`; where that is null it is the asked intent
 * if the intent was recognized (a clarifying question), else `NO_INTENT`.
 */
export interface ConfusionTable {
  /** `matrix[asked][addressed] = cases`; the diagonal is correct recognition. */
  matrix: Record<string, Record<string, number>>;
  /** Off-diagonal cells, most frequent first (ties: by asked, then addressed). */
  top: Confusion[];
}

/** The addressed intent recorded when the answer addressed none. */
export const NO_INTENT = '(none)';

export interface TargetReport extends CaseCounts {
  id: string;
  name: string;
  region: RegionId;
  province: string | null;
  /**
   * Rank with ties from the rank intervals: `1 + the number of targets whose rank interval lies entirely
   * better than this one's` (their worst rank < this one's best; touching intervals overlap). A rank
   * says how many targets are clearly better; targets no one separates share it. The paired joint
   * bootstrap (see `rankInterval`) separates targets whose own intervals overlap yet which differ on the
   * same questions, so it ties fewer than comparing the technical-support intervals would. With
   * bootstrapping off each rank interval is the point's competition rank, which gives (1, 2, 2, 4).
   * `null`: no technical-support score.
   */
  rank: number | null;
  /** Another target has the same rank. */
  tied: boolean;
  /**
   * `[best, worst]` rank by technical support over a joint bootstrap: each replicate draws the questions
   * once for every target (they were asked the same bank) and, when a calibration applies, the
   * calibration items too, ranks the targets (competition ranking), and this is the (1 − confidence)/2
   * and (1 + confidence)/2 quantile of the target's ranks. With a calibration the ranked value uses the
   * corrected accuracy (see `corrected`) in place of the accuracy score. `null`: not ranked.
   */
  rankInterval: Interval | null;
  /** Grade of the technical-support score; `null` when it is null. */
  grade: Grade | null;
  /**
   * `[worst, best]` grade over the technical-support interval, when that interval straddles a grade
   * band; `null` when it does not (or there is none). The grade stays the point's.
   */
  gradeRange: [worst: Grade, best: Grade] | null;
  /** Accuracy corrected for the judge's calibrated error rates; `null` when no calibration applies (see `ReportModel.calibration`). */
  corrected: CorrectedAccuracy | null;
  /** Distinct questions asked of this target: the clusters the bootstrap resamples. */
  questions: number;
  errorKinds: Partial<Record<ErrorKind, number>>;
  /** Judged verdicts of available cases. */
  verdicts: Record<VerdictLabel, number>;
  /** Cases the judge abstained on, waiting for a reviewer (counted in `unjudged` too). */
  pending: number;
  /** Judged cases whose answer repeats a rule no longer in force. */
  outdated: number;
  /**
   * Available cases by how they reached their answer: directly, after following suggested questions,
   * or left at a list of suggestions. Absent when no case of the run went other than directly.
   */
  routes?: Record<ReplyRoute, number>;
  latency: LatencySummary;
  scores: ScoreSet;
  intervals: IntervalSet;
  /** Canonical first, then the usual styles, then the rest by name. */
  styles: StyleScores[];
  confusion: ConfusionTable;
  /** Agreement across `--repeat`; null when no phrasing was asked more than once. */
  consistency: Consistency | null;
  /** Cases that were not correct, by their primary failure kind (issue 15). */
  failures: Partial<Record<FailureKind, number>>;
  /** Per matter and name, how often alias cases were understood (`run --aliases`); empty without them. */
  aliases: AliasRecognition[];
  /** Played scenarios (issue 16); absent when the run played none with this target. */
  conversations?: TargetConversations;
  /** Judged cases that were not correct and have no kind: their verdicts predate kinds (until `rejudge`). */
  unclassified: number;
  /** Replies to red-team probes (`run --probes`), scored apart; absent when the run asked none. */
  safety?: TargetSafety;
}

/**
 * The share of correct answers corrected by Rogan–Gladen for the judge's error rates (src/scoring/corrected.ts).
 * Shares on 0–100, rates on 0–1.
 */
export interface CorrectedAccuracy {
  /** Share of judged cases the judge called `correct`; null without judged cases. */
  observed: number | null;
  /** The corrected share; null with `reason` when it cannot be computed. */
  accuracy: number | null;
  /**
   * Percentile interval from the joint bootstrap, which draws the target's questions and the calibration
   * items in each replicate, so it carries the calibration's uncertainty as well as the run's.
   */
  low: number | null;
  high: number | null;
  /** The calibration's false-pass rate: P(judge says correct | gold not correct). */
  falsePass: number | null;
  /** P(judge says not correct | gold correct). */
  falseFail: number | null;
  /** Calibration items with a prediction: what the rates were measured on. */
  items: number;
  reason: string | null;
}

/** Which judge calibration a report corrects with, or why none applies. */
export interface CalibrationNote {
  /** The saved calibration applied; null when none applies. */
  applied: {
    id: number;
    judge: string;
    judgeVersion: string;
    banksHash: string;
    createdAt: string;
    items: number;
    falsePass: number | null;
    falseFail: number | null;
  } | null;
  /** Why no calibration applies, or why the correction is undefined; null when it applies. */
  reason: string | null;
}

/**
 * Whether a chatbot gives the same verdict when asked the same phrasing again (`--repeat`): a
 * phrasing is consistent when every repeat got the first repeat's verdict (no verdict counts as one).
 * Over the same phrasings, pass^k (τ-bench): the share answered correctly every one of its k times —
 * what a citizen who asks once meets in the worst case — beside pass^1, the share of single attempts.
 */
export interface Consistency {
  /** Phrasings (question × variant) asked more than once. */
  phrasings: number;
  consistent: number;
  /** consistent ÷ phrasings × 100. */
  score: number;
  /** Repeats per phrasing; the smallest when phrasings were asked a different number of times (a resumed run). */
  k: number;
  /** Phrasings answered correctly every time. */
  passAll: number;
  /** pass^k: passAll ÷ phrasings × 100. */
  passK: number;
  /** pass^1: correct attempts ÷ attempts × 100, over the same phrasings. */
  pass1: number;
  /** Phrasings answered correctly some times and not others. */
  flipping: number;
  /** flipping ÷ phrasings × 100. */
  flipShare: number;
  /** Questions with a phrasing that flipped, sorted: the flaky questions. */
  flaky: string[];
}

export interface RegionReport {
  id: RegionId;
  /** Targets of the region in this run. */
  targets: string[];
  /** Mean of the targets' scores (each target weighs the same), ignoring nulls. */
  scores: ScoreSet;
  /** The target with the highest technical support (ties: higher accuracy, then id); null if none scored. */
  best: string | null;
  bestName: string | null;
}

/** One matter, or one aspect of a matter, across targets. */
export interface BreakdownReport extends CaseCounts {
  /** Matter id, or intent id `<matter>/<aspect>` for aspects. */
  id: string;
  /** Display name when the caller supplied one. */
  name: string | null;
  /** Mean of the targets' scores on this matter or aspect (each target weighs the same), ignoring nulls. */
  scores: ScoreSet;
  /** Each target's scores on it. */
  byTarget: Record<string, ScoreSet>;
}

/** One variant style across targets: means of the per-target `StyleScores` (scores and gaps). */
export interface StyleReport extends CaseCounts {
  style: string;
  scores: ScoreSet;
  gap: ScoreSet | null;
}

export interface ReportModel {
  run: ReportRunMeta;
  /** The configuration the scores were computed with; every report prints it. */
  config: ScoringConfig;
  totals: CaseCounts & { targets: number; questions: number };
  /** Ordered by rank, then technical support, then id; unscored targets last. */
  targets: TargetReport[];
  /** In the order of `REGIONS`, only regions with targets. */
  regions: RegionReport[];
  /** By matter id. */
  matters: BreakdownReport[];
  /** By intent id. */
  aspects: BreakdownReport[];
  /** Canonical first, then the usual styles, then the rest by name. */
  styles: StyleReport[];
  /** Intent recognition across all targets as classification (precision, recall, macro-F1). */
  intents: IntentMetrics;
  /** The pain-point catalogue: failure kind × matter × aspect, most widespread first. */
  painPoints: PainPoint[];
  /** The judge calibration corrected accuracy uses, or why none applies; null when none was looked up. */
  calibration: CalibrationNote | null;
  /** How often the two simulated citizens disagreed; absent when the run played no scenario, null with one citizen. */
  simulator?: SimulatorAgreement | null;
}

/**
 * One cell of the pain-point catalogue (issue 15): cases of one failure kind on one aspect of one
 * matter, across targets. Ranked by `share`, then by the number of targets affected.
 */
export interface PainPoint {
  kind: FailureKind;
  /** Matter id. */
  matter: string;
  /** Aspect id (the intent is `<matter>/<aspect>`). */
  aspect: string;
  /** Cases of this kind on this aspect. */
  cases: number;
  /** `cases` ÷ all finished cases of this aspect across targets, 0–1. */
  share: number;
  /** Targets with at least one such case. */
  targets: number;
  /** Those targets' ids, most cases first. */
  targetIds: string[];
  /** Regions of those targets, with their case counts. */
  regions: Partial<Record<RegionId, number>>;
  /** A few example case ids (`target:question:variant:repeat`), for drilling down. */
  examples: string[];
}

/** Per-intent precision / recall / F1 over all judged cases of a run (see `intentMetrics`). */
export interface IntentMetrics {
  perIntent: {
    intent: string;
    /** Judged cases that asked this intent. */
    support: number;
    /** Judged cases whose answer addressed this intent. */
    addressed: number;
    precision: number;
    recall: number;
    f1: number;
  }[];
  /** Mean of the per-intent F1 (0–1); null without judged cases. */
  macroF1: number | null;
}
