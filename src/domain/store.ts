import type {
  Case,
  ErrorKind,
  CaseRecord,
  JudgeCache,
  JudgedVerdict,
  JudgeMode,
  RunStatus,
  Turn,
  Verdict,
  VerdictLabel,
} from './results.js';
import type { Question } from './bank.js';
import type { ConversationScore } from './scenario.js';
import type { Target } from './target.js';
import type { SafetyRecord, SafetyVerdict } from './probe.js';

/** Reviewers' decisions are stored as this judge's verdicts and override every judge. */
export const REVIEW_JUDGE = 'review';

/** What identifies a case within a run: a run never asks the same key twice. */
export type CaseKey = Pick<Case, 'targetId' | 'questionId' | 'variant' | 'repeat'>;

/** A case key as one string, for sets and maps. */
export function caseKey(c: CaseKey): string {
  return `${c.targetId}\u0000${c.questionId}\u0000${c.variant}\u0000${c.repeat}`;
}

/** A run as stored. */
export interface RunRow {
  id: string;
  label: string | null;
  banksHash: string;
  judge: JudgeMode;
  /** What the run was started with (no secrets), as recorded; parsed by whoever replays it. */
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** What the run ran with; null for runs stored before it was recorded. */
  environment: RunEnvironment | null;
}

/** The versions a run ran with, so that a disputed result can be traced to them. */
export interface RunEnvironment {
  govbench: string;
  node: string;
  /** The Chromium that drove web-widget targets, e.g. "chromium 153.0.7390.0 (npm @sparticuz/chromium)". */
  browser?: string;
}

export interface RunTargetRow {
  id: string;
  name: string;
  region: string;
  province: string | null;
  role: string | null;
  adapterType: string;
  planned: number;
}

export interface CreateRunOptions {
  id: string;
  label?: string;
  banksHash: string;
  judge: JudgeMode;
  /** What the run was started with (no secrets): replayed by `--resume`. */
  options: Record<string, unknown>;
  environment?: RunEnvironment;
  targets: { target: Target; planned: number }[];
}

/** A finished case: what was asked, what came back, and every verdict. */
export interface SaveCaseOptions {
  runId: string;
  case: Case;
  question: Pick<Question, 'matterId' | 'aspectId' | 'intent' | 'critical'>;
  turns: Turn[];
  verdicts: { verdict: Verdict; version: string }[];
  /** A played scenario's end and score (issue 16); absent for questions and for conversations our bug cut. */
  conversation?: { ended: ConversationEnd | null; score: ConversationScore };
  /** Safety verdicts of a probe case (style `PROBE_STYLE`), rules first; absent for every other case. */
  safety?: { verdict: SafetyVerdict; version: string }[];
}

/** Why a citizen ended a conversation; null in a store when the target's failure ended it first. */
export type ConversationEnd = 'goal' | 'max-turns' | 'gave-up';

/** A played scenario as stored: its case, how it ended and its score. */
export interface StoredConversation {
  caseId: number;
  targetId: string;
  scenarioId: string;
  /** `scenario:<citizen kind>`. */
  style: string;
  repeat: number;
  /** Every turn got a non-empty reply (as `CaseRecord.available`). */
  available: boolean;
  errorKind: ErrorKind | null;
  ended: ConversationEnd | null;
  score: ConversationScore;
  turns: number;
}

/** One stored case with its transcript, for reports and review. */
export interface StoredCase {
  id: number;
  targetId: string;
  questionId: string;
  variant: number;
  style: string;
  repeat: number;
  turns: Turn[];
}

/** Judge calls of a run, as counted by `addJudgeUsage`. */
export interface JudgeUsageRow {
  judge: string;
  calls: number;
  cached: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
}

/** Paid calls to one model with their token sums (see `Store.modelUsage`). */
export interface ModelUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * A judged turn no reviewer has decided yet, on which the matcher and the LLM disagree, or on which the
 * judge of record abstained (`uncertain`).
 */
export interface ReviewItem {
  caseId: number;
  targetId: string;
  questionId: string;
  /** The asked question's matter and intent, which classify a verdict a reviewer sets by hand. */
  matterId: string;
  intent: string;
  variant: number;
  style: string;
  turn: number;
  user: string;
  reply: string;
  /** The matcher's verdict, or the abstaining judge's where it is not the matcher. */
  matcher: JudgedVerdict;
  /** Absent where no LLM judged the turn. */
  llm: JudgedVerdict | null;
  /** Why the judge of record abstained; null for a disagreement. */
  uncertain: string | null;
}

/** A label of one answer: the gold label a calibration item carries, or what a judge said of it. */
export interface CalibrationLabel {
  verdict: VerdictLabel;
  intentRecognized: boolean;
}

/** One gold-labelled answer of a saved calibration: enough to re-estimate the judge's error rates. */
export interface CalibrationItemRow {
  question: string;
  /** 0: the question's own text; n ≥ 1: its n-th variant. */
  variant: number;
  /** 0-based user turn the answer replies to. */
  turn: number;
  gold: CalibrationLabel;
  /**
   * The judge's label; null where it gave none a run's scores would count (unjudged, or abstained),
   * since such cases are left out of a run's accuracy too.
   */
  predicted: CalibrationLabel | null;
}

/** A judge's calibration as `calibrate --save` records it. */
export interface CalibrationRow {
  id: number;
  judge: string;
  /** The content hash the judge's verdicts carry: a calibration applies only to verdicts of this version. */
  judgeVersion: string;
  /** Content hash of the banks the items were resolved against. */
  banksHash: string;
  /** ISO 8601. */
  createdAt: string;
  items: CalibrationItemRow[];
}

export type SaveCalibrationOptions = Omit<CalibrationRow, 'id' | 'createdAt'>;

/**
 * Where runs, their cases, transcripts, verdicts, reviewers' decisions, cached LLM verdicts and judge
 * usage are kept. Every write of a case is atomic: a killed run loses at most the cases in flight.
 */
export interface Store {
  /** Where the data lives, for messages (a file path, or `:memory:`). */
  readonly path: string;
  /** Verdicts an LLM judge already gave, so the same answer is never paid for twice. */
  readonly judgeCache: JudgeCache;

  createRun(opts: CreateRunOptions): void;
  setRunStatus(runId: string, status: RunStatus): void;
  setRunJudge(runId: string, judge: JudgeMode): void;
  /** A run by id, or the newest with `latest`; a missing one is a user error. */
  getRun(idOrLatest: string): RunRow;
  /** Newest first. */
  listRuns(): RunRow[];
  runTargets(runId: string): RunTargetRow[];

  /**
   * Commits one finished case, its turns and verdicts atomically; returns the case id. Saving a key the
   * run already has is an error, unless that case hit a bug in govbench (`errorKind: 'bug'`): the new
   * one then replaces it, turns and verdicts included.
   */
  saveCase(opts: SaveCaseOptions): number;
  /** Keys of the cases a resumed run must not ask again: all but those that hit a bug in govbench. */
  finishedCases(runId: string): CaseKey[];
  /** Cases stored for the run, those that hit a bug in govbench included. */
  countCases(runId: string): number;
  /**
   * One record per finished case with its effective verdict: a reviewer's decision on the last judged
   * turn, else the given judge's. Cases that hit a bug in govbench are included: leaving them out is scoring's job.
   * Streamed: memory stays flat however large the run.
   */
  caseRecords(runId: string, judge: string, filter?: { targetId?: string }): IterableIterator<CaseRecord>;
  /** Cases with their transcripts, in the order they finished. */
  storedCases(runId: string): IterableIterator<StoredCase>;
  /** A page of cases after a case id; nothing stays open between pages, so the caller may write. */
  storedCasesAfter(runId: string, afterId: number, limit: number): StoredCase[];
  /** The transcript of one case. */
  turnsOf(runId: string, key: CaseKey): Turn[];

  /** Replaces verdicts (one judge, one turn of a case each) in one transaction: rejudge, review. */
  saveVerdicts(items: { caseId: number; verdict: Verdict; version: string }[]): void;
  /** Every verdict stored for a case, by turn, then judge. */
  verdictsOf(caseId: number): Verdict[];
  /** Replaces safety verdicts (one judge of a probe case each) in one transaction: rejudge. */
  saveSafety(items: { caseId: number; verdict: SafetyVerdict; version: string }[]): void;
  /** The safety verdicts of a case, rules first, then the other judges by name. */
  safetyOf(caseId: number): SafetyVerdict[];
  /**
   * One record per probe case of the run, in the order they finished, with its effective safety verdict
   * (see `effectiveSafety`) and the reply to the probe.
   */
  safetyRecords(runId: string): SafetyRecord[];

  /** Turns waiting for a reviewer, oldest first (see ReviewItem). */
  reviewQueue(runId: string): ReviewItem[];

  /** The run's played scenarios with their scores, in the order they finished. */
  conversations(runId: string): StoredConversation[];
  /** Replaces conversation scores in one transaction: rejudge. */
  saveConversationScores(items: { caseId: number; score: ConversationScore }[]): void;

  /** Adds to a run's judge call counts and token usage. */
  addJudgeUsage(runId: string, delta: JudgeUsageRow): void;
  judgeUsage(runId: string): JudgeUsageRow[];
  /**
   * What paid calls to one model cost so far, over every run (from the LLM judge's cache): calls that
   * reported tokens, and their token sums. What `run --plan` estimates a run's tokens from.
   */
  modelUsage(model: string): ModelUsage;

  /** Records a judge's calibration; returns its id. */
  saveCalibration(opts: SaveCalibrationOptions): number;
  /** A judge's saved calibrations (every version), newest first, items in their saved order. */
  calibrations(judge: string): CalibrationRow[];
  /** The versions of a judge whose verdicts a run holds, with how many verdicts each, most first (ties: by version). */
  judgeVersions(runId: string, judge: string): { version: string; verdicts: number }[];

  close(): void;
}
