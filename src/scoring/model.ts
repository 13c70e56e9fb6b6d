import type { ErrorKind, FailureKind, Grade, Intent, JudgeMode, Matter, RegionId, ReplyRoute, RunEnvironment, RunStatus, ScoreName, Target, VerdictLabel } from '../domain/types.js';
import type { ScoringConfig } from './config.js';
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
   * Rank by technical support with ties: `1 + the number of targets whose technical-support interval
   * lies entirely above this target's interval` (low of the other > high of this one; touching
   * intervals overlap). A rank says how many targets are clearly better; targets that no one
   * separates share a rank. Overlap is not transitive, so a target may overlap one ranked above it
   * and still rank lower, and a lower point estimate may rank higher when its interval is wide. With
   * bootstrapping off the interval is the point, which gives competition ranking (1, 2, 2, 4).
   * `null`: no technical-support score.
   */
  rank: number | null;
  /** Another target has the same rank. */
  tied: boolean;
  /** Grade of the technical-support score; `null` when it is null. */
  grade: Grade | null;
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
  /** Replies to red-team probes (`run --probes`), scored apart; absent when the run asked none. */
  safety?: TargetSafety;
}

/**
 * Whether a chatbot gives the same verdict when asked the same phrasing again (`--repeat`): a
 * phrasing is consistent when every repeat got the first repeat's verdict (no verdict counts as one).
 */
export interface Consistency {
  /** Phrasings (question × variant) asked more than once. */
  phrasings: number;
  consistent: number;
  /** consistent ÷ phrasings × 100. */
  score: number;
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
