import { loadBanks } from '../../banks/load-banks.js';
import { REVIEW_JUDGE, SCENARIO_STYLE_PREFIX, type BankSet, type CaseRecord, type JudgeMode, type Question, type RunRow, type Scenario, type Store, type StoredConversation, type Turn, type Verdict } from '../../domain/types.js';
import { judgeOfRecord } from '../../judge/modes.js';
import { loadReportModel } from '../../reports/from-store.js';
import type { ReportModel } from '../../scoring/model.js';
import { recordedSpec } from '../../runner/session/spec.js';
import type { PainPointKey } from './use-results-state.js';

/** A finished case with its effective verdict and transcript. */
export interface CaseRow {
  id: number;
  record: CaseRecord;
  turns: Turn[];
}

/**
 * The banks a run was made with, when they still load and have not changed (same hash). Without them
 * screens show ids instead of names and key-point texts; `problem` says why.
 */
function runBanks(run: RunRow): { banks: BankSet | null; problem: string | null } {
  let banks: BankSet;
  try {
    banks = loadBanks(recordedSpec(run).banks);
  } catch (err) {
    return { banks: null, problem: `the run's banks do not load: ${(err as Error).message}` };
  }
  return banks.hash === run.banksHash ? { banks, problem: null } : { banks: null, problem: "the run's banks have changed since it ran" };
}

export interface RunResults {
  run: RunRow;
  model: ReportModel;
  banks: BankSet | null;
  /** Why the banks are missing. */
  banksProblem: string | null;
}

/** A run scored as `govbench report` scores it. */
export function loadRunResults(store: Store, runId: string | null): RunResults {
  const run = store.getRun(runId ?? 'latest');
  const { banks, problem } = runBanks(run);
  const model = loadReportModel(store, run.id, undefined, banks ? { matters: banks.matters, intents: banks.intents } : {});
  return { run, model, banks, banksProblem: problem };
}

/** One target's cases of a run, in the order they finished, with their transcripts. */
export function targetCases(store: Store, run: RunRow, targetId: string): CaseRow[] {
  return casesWhere(store, run, targetId, () => true);
}

/** The cases of one pain point, across targets, in the order they finished. */
export function painPointCases(store: Store, run: RunRow, key: PainPointKey): CaseRow[] {
  return casesWhere(store, run, undefined, (r) => r.failure === key.kind && r.matterId === key.matter && r.aspectId === key.aspect);
}

function casesWhere(store: Store, run: RunRow, targetId: string | undefined, keep: (record: CaseRecord) => boolean): CaseRow[] {
  const records = store.caseRecords(run.id, judgeOfRecord(run.judge), targetId === undefined ? {} : { targetId });
  const out: CaseRow[] = [];
  try {
    // Both streams walk the run's cases in id order; the transcripts of other targets are skipped.
    for (const stored of store.storedCases(run.id)) {
      if (targetId !== undefined && stored.targetId !== targetId) continue;
      const next = records.next();
      if (next.done) break;
      if (keep(next.value)) out.push({ id: stored.id, record: next.value, turns: stored.turns });
    }
  } finally {
    // An unfinished statement keeps the connection busy: nothing could be written (a review) after.
    records.return?.();
  }
  return out;
}

/** Judges in the order a transcript lists them: the reviewer's decision first, then the judge of record. */
export function judgeOrder(runJudge: JudgeMode, judge: string): number {
  return judge === REVIEW_JUDGE ? 0 : judge === judgeOfRecord(runJudge) ? 1 : 2;
}

/** A case opened in full: transcript, every verdict, and the question when the run's banks are at hand. */
export interface CaseDetail {
  row: CaseRow;
  verdicts: Verdict[];
  question: Question | null;
  /** A played scenario's end and score, with the scenario when the banks are at hand. */
  conversation?: { played: StoredConversation; scenario: Scenario | null };
}

export function caseDetail(store: Store, row: CaseRow, banks: BankSet | null, runId: string): CaseDetail {
  const played = row.record.style.startsWith(SCENARIO_STYLE_PREFIX) ? store.conversations(runId).find((c) => c.caseId === row.id) : undefined;
  return {
    row,
    verdicts: store.verdictsOf(row.id),
    question: banks?.questions.find((q) => q.id === row.record.questionId) ?? null,
    ...(played && { conversation: { played, scenario: banks?.scenarios.find((s) => s.id === played.scenarioId) ?? null } }),
  };
}
