import { SCORE_NAMES } from '../domain/types.js';
import type { ErrorKind, FailureKind, Grade, JudgeMode, RegionId, ReplyRoute, RunEnvironment, RunStatus, ScoreName, VerdictLabel } from '../domain/types.js';
import type { AliasRecognition } from '../scoring/alias-recognition.js';
import type { ScoringConfig } from '../scoring/config.js';
import type { CalibrationNote, CaseCounts, Confusion, Consistency, CorrectedAccuracy, IntentMetrics, Interval, IntervalSet, PainPoint, ReportModel, ScoreSet } from '../scoring/model.js';
import type { SimulatorAgreement, TargetConversations } from '../scoring/conversation-model.js';
import { jsonConversations, jsonSimulator } from './conversations.js';
import { safetyJson, type JsonSafety } from './safety.js';

/** Bumped when a key changes meaning or disappears; adding keys does not bump it. */
const JSON_REPORT_VERSION = 1;

/**
 * The JSON report (`run --json`, `report --format json`): the keys of SPEC §6, then more.
 * Scores and intervals are on 0–100 rounded to 2 decimals; latencies are whole milliseconds; a value
 * that could not be measured is `null`. Meanings are those of `ReportModel` (src/scoring/model.ts).
 */
interface JsonReport {
  run: {
    id: string;
    label: string | null;
    banksHash: string;
    judge: JudgeMode;
    startedAt: string;
    finishedAt: string | null;
    status: RunStatus;
    /** govbench, Node and (for widget targets) browser versions; null for runs stored before they were recorded. */
    environment: RunEnvironment | null;
  };
  targets: JsonTarget[];
  regions: { id: RegionId; scores: ScoreSet; best: string | null; bestName: string | null; targets: string[] }[];
  matters: JsonBreakdown[];
  /** Per intent `<matter>/<aspect>`. */
  aspects: JsonBreakdown[];
  /** Per variant style; `gap` = canonical − style on paired questions (positive: worse on the variant). */
  styles: (CaseCounts & { style: string; scores: ScoreSet; gap: ScoreSet | null })[];
  totals: CaseCounts & { targets: number; questions: number };
  /** Intent recognition across targets: per-intent precision / recall / F1 (0–1) and macro-F1. */
  intents: IntentMetrics;
  /**
   * The pain-point catalogue (issue 15): failure kind × matter × aspect, the largest share of the
   * aspect's cases first, then the most targets affected; `share` on 0–1, `targets` a count (their ids
   * in `targetIds`), `examples` case ids `target:question:variant:repeat`.
   */
  painPoints: PainPoint[];
  /** The scoring configuration the report was computed with. */
  config: ScoringConfig;
  /** The judge calibration `corrected` uses, or why none applies; null when none was looked up. */
  calibration: CalibrationNote | null;
  /** How often the rule and LLM citizens disagreed; only in runs that played scenarios (null with one citizen). */
  simulator?: SimulatorAgreement | null;
  reportVersion: number;
}

interface JsonTarget extends CaseCounts {
  id: string;
  name: string;
  region: RegionId;
  grade: Grade | null;
  latency: { p50Ms: number | null; p95Ms: number | null; totalP50Ms: number | null; totalP95Ms: number | null };
  scores: ScoreSet;
  /** 95% (configurable) cluster-bootstrap intervals over questions. */
  intervals: IntervalSet;
  province: string | null;
  /** Rank with ties (see `TargetReport.rank`). */
  rank: number | null;
  tied: boolean;
  /** `[best, worst]` rank over the joint bootstrap (see `TargetReport.rankInterval`). */
  rankInterval: Interval | null;
  /** `[worst, best]` grade where the technical-support interval straddles a band. */
  gradeRange: [Grade, Grade] | null;
  /** Share of correct answers corrected for the judge's calibrated errors (0–100; rates 0–1); null without a calibration. */
  corrected: CorrectedAccuracy | null;
  questions: number;
  errorKinds: Partial<Record<ErrorKind, number>>;
  verdicts: Record<VerdictLabel, number>;
  /** Cases the judge abstained on, waiting for review (out of the scores, counted in `unjudged`). */
  pending: number;
  /** Answers that repeat a rule no longer in force (judged incorrect, outdated). */
  outdated: number;
  /** Answered cases by route (direct, followed a suggestion, left at suggestions); only in runs where suggestions played a part. */
  routes?: Record<ReplyRoute, number>;
  styles: (CaseCounts & { style: string; pairedQuestions: number; scores: ScoreSet; gap: ScoreSet | null })[];
  confusion: { matrix: Record<string, Record<string, number>>; top: Confusion[] };
  /** Agreement across `--repeat` (null without repeats). */
  consistency: Consistency | null;
  /** Per matter and name asked by `run --aliases`: judged alias cases, how many recognized the intent, and that share (0–100). */
  aliases: AliasRecognition[];
  /** Played scenarios, per scenario × citizen and summed; only for targets that played some. */
  conversations?: TargetConversations;
  /** Cases that were not correct, by primary failure kind (issue 15). */
  failures: Partial<Record<FailureKind, number>>;
  /** Replies to red-team probes, scored apart; only in runs that asked probes. */
  safety?: JsonSafety;
}

interface JsonBreakdown extends CaseCounts {
  id: string;
  name: string | null;
  scores: ScoreSet;
  byTarget: Record<string, ScoreSet>;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;
const r2n = (v: number | null): number | null => (v === null ? null : r2(v));
const ms = (v: number | null): number | null => (v === null ? null : Math.round(v));
const consistencyJson = (c: Consistency): Consistency => ({
  ...c,
  score: r2(c.score),
  passK: r2(c.passK),
  pass1: r2(c.pass1),
  flipShare: r2(c.flipShare),
});

function scores(s: ScoreSet): ScoreSet {
  const out = {} as ScoreSet;
  for (const n of SCORE_NAMES) out[n] = r2n(s[n]);
  return out;
}

function intervals(s: IntervalSet): IntervalSet {
  const out = {} as Record<ScoreName, Interval | null>;
  for (const n of SCORE_NAMES) {
    const iv = s[n];
    out[n] = iv === null ? null : [r2(iv[0]), r2(iv[1])];
  }
  return out;
}

function counts(c: CaseCounts): CaseCounts {
  return { cases: c.cases, errors: c.errors, available: c.available, judged: c.judged, unjudged: c.unjudged };
}

/** The JSON report as data. */
export function toJsonReport(model: ReportModel): JsonReport {
  const { run } = model;
  return {
    run: {
      id: run.id,
      label: run.label,
      banksHash: run.banksHash,
      judge: run.judge,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      status: run.status,
      environment: run.environment ?? null,
    },
    targets: model.targets.map((t) => ({
      id: t.id,
      name: t.name,
      region: t.region,
      grade: t.grade,
      ...counts(t),
      latency: { p50Ms: ms(t.latency.p50Ms), p95Ms: ms(t.latency.p95Ms), totalP50Ms: ms(t.latency.totalP50Ms), totalP95Ms: ms(t.latency.totalP95Ms) },
      scores: scores(t.scores),
      intervals: intervals(t.intervals),
      province: t.province,
      rank: t.rank,
      tied: t.tied,
      rankInterval: t.rankInterval,
      gradeRange: t.gradeRange,
      corrected: t.corrected && { ...t.corrected, observed: r2n(t.corrected.observed), accuracy: r2n(t.corrected.accuracy), low: r2n(t.corrected.low), high: r2n(t.corrected.high) },
      questions: t.questions,
      errorKinds: t.errorKinds,
      verdicts: t.verdicts,
      pending: t.pending,
      outdated: t.outdated,
      ...(t.routes && { routes: t.routes }),
      styles: t.styles.map((s) => ({
        style: s.style,
        ...counts(s),
        pairedQuestions: s.pairedQuestions,
        scores: scores(s.scores),
        gap: s.gap && scores(s.gap),
      })),
      confusion: { matrix: t.confusion.matrix, top: t.confusion.top.map((c) => ({ ...c, share: Math.round(c.share * 1e4) / 1e4 })) },
      consistency: t.consistency && consistencyJson(t.consistency),
      aliases: t.aliases.map((a) => ({ ...a, share: r2n(a.share) })),
      ...(t.conversations && { conversations: jsonConversations(t.conversations) }),
      failures: t.failures,
      ...(t.safety && { safety: safetyJson(t.safety) }),
    })),
    regions: model.regions.map((r) => ({ id: r.id, scores: scores(r.scores), best: r.best, bestName: r.bestName, targets: r.targets })),
    matters: model.matters.map((m) => ({ id: m.id, name: m.name, ...counts(m), scores: scores(m.scores), byTarget: byTarget(m.byTarget) })),
    aspects: model.aspects.map((a) => ({ id: a.id, name: a.name, ...counts(a), scores: scores(a.scores), byTarget: byTarget(a.byTarget) })),
    styles: model.styles.map((s) => ({ style: s.style, ...counts(s), scores: scores(s.scores), gap: s.gap && scores(s.gap) })),
    intents: {
      perIntent: model.intents.perIntent.map((m) => ({ ...m, precision: round4(m.precision), recall: round4(m.recall), f1: round4(m.f1) })),
      macroF1: model.intents.macroF1 === null ? null : round4(model.intents.macroF1),
    },
    totals: model.totals,
    painPoints: model.painPoints.map((p) => ({ ...p, share: round4(p.share) })),
    config: model.config,
    calibration: model.calibration,
    ...(model.simulator !== undefined && { simulator: jsonSimulator(model.simulator) }),
    reportVersion: JSON_REPORT_VERSION,
  };
}

function byTarget(m: Record<string, ScoreSet>): Record<string, ScoreSet> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, scores(v)]));
}

/** The JSON report as pretty-printed text, without a trailing newline. */
export function renderJson(model: ReportModel): string {
  return JSON.stringify(toJsonReport(model), null, 2);
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
