import type Database from 'better-sqlite3';
import type {
  CalibrationRow,
  CaseKey,
  CaseRecord,
  ConversationScore,
  CreateRunOptions,
  JudgeCache,
  JudgeMode,
  JudgeUsageRow,
  ModelUsage,
  ReviewItem,
  RunRow,
  RunStatus,
  RunTargetRow,
  SaveCalibrationOptions,
  SafetyRecord,
  SafetyVerdict,
  SaveCaseOptions,
  Store,
  StoredCase,
  StoredConversation,
  Turn,
  Verdict,
} from '../domain/types.js';
import { judgeOfRecord } from '../judge/modes.js';
import { calibrationTables, type CalibrationTables } from './sqlite/calibrations.js';
import { caseReads, type CaseReads } from './sqlite/case-reads.js';
import { caseWrites, type CaseWrites } from './sqlite/cases.js';
import { conversationTable, type ConversationTable } from './sqlite/conversations.js';
import { judgeTables, type JudgeTables } from './sqlite/judge-tables.js';
import { openDatabase, type OpenDatabaseOptions } from './sqlite/open.js';
import { reviewQueue, type ReviewQueue } from './sqlite/review-queue.js';
import { runTables, type RunTables } from './sqlite/runs.js';
import { safetyTable, type SafetyTable } from './sqlite/safety.js';
import { verdictTable, type VerdictTable } from './sqlite/verdicts.js';

/**
 * The results database: better-sqlite3 in WAL mode, one file any number of processes share. The
 * connection stays inside: every read and write goes through the Store contract.
 */
export class SqliteStore implements Store {
  readonly judgeCache: JudgeCache;
  readonly #db: Database.Database;
  readonly #runs: RunTables;
  readonly #writes: CaseWrites;
  readonly #reads: CaseReads;
  readonly #verdicts: VerdictTable;
  readonly #queue: ReviewQueue;
  readonly #judges: JudgeTables;
  readonly #calibrations: CalibrationTables;
  readonly #conversations: ConversationTable;
  readonly #safety: SafetyTable;

  constructor(
    readonly path: string,
    opts: OpenDatabaseOptions = {},
  ) {
    this.#db = openDatabase(path, opts);
    this.#runs = runTables(this.#db, path);
    this.#verdicts = verdictTable(this.#db);
    this.#conversations = conversationTable(this.#db);
    this.#safety = safetyTable(this.#db);
    this.#writes = caseWrites(this.#db, this.#verdicts, this.#conversations, this.#safety);
    this.#reads = caseReads(this.#db);
    this.#queue = reviewQueue(this.#db);
    this.#judges = judgeTables(this.#db);
    this.judgeCache = this.#judges.judgeCache;
    this.#calibrations = calibrationTables(this.#db);
  }

  createRun(opts: CreateRunOptions): void {
    this.#runs.createRun(opts);
  }
  setRunStatus(runId: string, status: RunStatus): void {
    this.#runs.setRunStatus(runId, status);
  }
  setRunJudge(runId: string, judge: JudgeMode): void {
    this.#runs.setRunJudge(runId, judge);
  }
  getRun(idOrLatest: string): RunRow {
    return this.#runs.getRun(idOrLatest);
  }
  listRuns(): RunRow[] {
    return this.#runs.listRuns();
  }
  runTargets(runId: string): RunTargetRow[] {
    return this.#runs.runTargets(runId);
  }

  saveCase(opts: SaveCaseOptions): number {
    return this.#writes.saveCase(opts);
  }
  finishedCases(runId: string): CaseKey[] {
    return this.#writes.finishedCases(runId);
  }
  countCases(runId: string): number {
    return this.#writes.countCases(runId);
  }
  caseRecords(runId: string, judge: string, filter?: { targetId?: string }): IterableIterator<CaseRecord> {
    return this.#reads.caseRecords(runId, judge, filter);
  }
  storedCases(runId: string): IterableIterator<StoredCase> {
    return this.#reads.storedCases(runId);
  }
  storedCasesAfter(runId: string, afterId: number, limit: number): StoredCase[] {
    return this.#reads.storedCasesAfter(runId, afterId, limit);
  }
  turnsOf(runId: string, key: CaseKey): Turn[] {
    return this.#reads.turnsOf(runId, key);
  }

  saveVerdicts(items: { caseId: number; verdict: Verdict; version: string }[]): void {
    this.#verdicts.saveVerdicts(items);
  }
  verdictsOf(caseId: number): Verdict[] {
    return this.#verdicts.verdictsOf(caseId);
  }
  saveSafety(items: { caseId: number; verdict: SafetyVerdict; version: string }[]): void {
    this.#safety.saveSafety(items);
  }
  safetyOf(caseId: number): SafetyVerdict[] {
    return this.#safety.safetyOf(caseId);
  }
  safetyRecords(runId: string): SafetyRecord[] {
    return this.#safety.safetyRecords(runId);
  }
  reviewQueue(runId: string): ReviewItem[] {
    return this.#queue(runId, judgeOfRecord(this.getRun(runId).judge));
  }

  conversations(runId: string): StoredConversation[] {
    return this.#conversations.conversations(runId);
  }
  saveConversationScores(items: { caseId: number; score: ConversationScore }[]): void {
    this.#conversations.saveConversationScores(items);
  }

  addJudgeUsage(runId: string, delta: JudgeUsageRow): void {
    this.#judges.addJudgeUsage(runId, delta);
  }
  judgeUsage(runId: string): JudgeUsageRow[] {
    return this.#judges.judgeUsage(runId);
  }
  modelUsage(model: string): ModelUsage {
    return this.#judges.modelUsage(model);
  }

  saveCalibration(opts: SaveCalibrationOptions): number {
    return this.#calibrations.saveCalibration(opts);
  }
  calibrations(judge: string): CalibrationRow[] {
    return this.#calibrations.calibrations(judge);
  }
  judgeVersions(runId: string, judge: string): { version: string; verdicts: number }[] {
    return this.#calibrations.judgeVersions(runId, judge);
  }

  close(): void {
    this.#db.close();
  }
}
