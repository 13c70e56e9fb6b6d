import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  JudgeMode,
  CaseRecord,
  JudgeCache,
  TokenUsage,
  ErrorKind,
  JudgedVerdict,
  Question,
  RunStatus,
  Target,
  Turn,
  Verdict,
} from '../domain/types.js';
import type { CaseKey, CreateRunOptions, JudgeUsageRow, ReviewItem, RunRow, RunTargetRow, SaveCaseOptions, Store, StoredCase } from '../domain/store.js';
import { REVIEW_JUDGE } from '../domain/store.js';
import { UserError } from '../util/errors.js';
import { reviewQueue } from './review-queue.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { toRunRow, toStoredCase, toTurn, verdictFromRow } from './rows.js';

export const DEFAULT_DB = 'results/govbench.db';

export { REVIEW_JUDGE, caseKey } from '../domain/store.js';
export type { RunRow, RunTargetRow, CreateRunOptions, SaveCaseOptions, StoredCase, JudgeUsageRow } from '../domain/store.js';

/**
 * The results database: better-sqlite3 in WAL mode. Each finished case is written in one transaction,
 * so a killed run loses at most the cases in flight.
 */
export class SqliteStore implements Store {
  readonly judgeCache: JudgeCache = { get: (key) => this.get(key), set: (entry) => this.set(entry) };
  readonly db: Database.Database;
  private readonly insertCase: Database.Statement;
  private readonly insertTurn: Database.Statement;
  private readonly upsertVerdict: Database.Statement;
  private readonly saveCaseTx: (opts: SaveCaseOptions) => number;

  /** `existing`: a command that only reads results refuses a path with no database rather than creating one. */
  constructor(readonly path: string, opts: { existing?: boolean } = {}) {
    if (opts.existing && path !== ':memory:' && !existsSync(path)) {
      throw new UserError(`${path}: no such database`, 'pass the --db a run wrote to (default results/govbench.db)');
    }
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      // Read before anything is written: switching to WAL rewrites the header of a file we may refuse.
      this.refuseNewer();
      enableWal(this.db);
    } catch (err) {
      if (err instanceof UserError) throw err;
      if (isBusy(err)) {
        throw new UserError(`${path}: locked by another process for over ${BUSY_TIMEOUT_MS / 1000} s`, 'try again when it is done', { cause: err });
      }
      throw new UserError(`${path}: not a govbench database (${(err as Error).message})`, 'pass another --db file', { cause: err });
    }
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.insertCase = this.db.prepare(`
      INSERT INTO cases (run_id, target_id, question_id, matter_id, aspect_id, intent, variant, style, repeat,
                         critical, available, error_kind, first_ms, total_ms, finished_at)
      VALUES (@runId, @targetId, @questionId, @matterId, @aspectId, @intent, @variant, @style, @repeat,
              @critical, @available, @errorKind, @firstMs, @totalMs, @finishedAt)`);
    this.insertTurn = this.db.prepare(`
      INSERT INTO turns (case_id, idx, user, reply, raw, ok, error_kind, error, http_status, first_ms, total_ms, attempts,
                         prompt_tokens, completion_tokens, screenshot)
      VALUES (@caseId, @index, @user, @reply, @raw, @ok, @errorKind, @error, @httpStatus, @firstMs, @totalMs, @attempts,
              @promptTokens, @completionTokens, @screenshot)`);
    this.upsertVerdict = this.db.prepare(`
      INSERT OR REPLACE INTO verdicts (case_id, judge, judge_version, turn, status, intent_recognized, predicted_intent,
                                       verdict, accuracy, key_points_hit, fact_errors, contradictions, rationale, reason, created_at,
                                       confidence, uncertain, outdated)
      VALUES (@caseId, @judge, @version, @turn, @status, @intentRecognized, @predictedIntent,
              @verdict, @accuracy, @keyPointsHit, @factErrors, @contradictions, @rationale, @reason, @createdAt,
              @confidence, @uncertain, @outdated)`);
    this.saveCaseTx = this.db.transaction((o: SaveCaseOptions) => this.writeCase(o));
  }

  private refuseNewer(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      this.db.close();
      throw new UserError(
        `${this.path}: written by a newer govbench (schema ${version}; this one knows up to ${SCHEMA_VERSION})`,
        'upgrade govbench or pass another --db file',
      );
    }
  }

  private migrate(): void {
    let version: number;
    try {
      version = this.db.pragma('user_version', { simple: true }) as number;
    } catch (err) {
      throw new UserError(`${this.path}: not an SQLite database (${(err as Error).message})`, 'pass another --db file', { cause: err });
    }
    if (version > SCHEMA_VERSION) {
      throw new UserError(
        `${this.path}: written by a newer govbench (schema ${version}; this one knows up to ${SCHEMA_VERSION})`,
        'upgrade govbench or pass another --db file',
      );
    }
    if (version === SCHEMA_VERSION) return;
    // Two runs may open a new database at once: each step takes the write lock before reading the
    // version, so the second waits and then finds the step done instead of creating tables twice.
    const step = this.db.transaction((): boolean => {
      const v = this.db.pragma('user_version', { simple: true }) as number;
      if (v >= SCHEMA_VERSION) return false;
      this.db.exec(MIGRATIONS[v]!);
      this.db.pragma(`user_version = ${v + 1}`);
      return true;
    });
    for (let more = true; more; ) more = step.immediate();
  }

  close(): void {
    this.db.close();
  }

  createRun(opts: CreateRunOptions): void {
    const insertTarget = this.db.prepare(`
      INSERT INTO run_targets (run_id, target_id, name, region, province, role, adapter_type, planned)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO runs (id, label, banks_hash, judge, options, started_at, status) VALUES (?, ?, ?, ?, ?, ?, 'running')`)
        .run(opts.id, opts.label ?? null, opts.banksHash, opts.judge, JSON.stringify(opts.options), new Date().toISOString());
      for (const { target: t, planned } of opts.targets) {
        insertTarget.run(opts.id, t.id, t.name, t.region, t.province ?? null, t.role ?? null, t.adapter?.type ?? 'none', planned);
      }
    })();
  }

  setRunStatus(runId: string, status: RunStatus): void {
    const finishedAt = status === 'running' ? null : new Date().toISOString();
    this.db.prepare(`UPDATE runs SET status = ?, finished_at = ? WHERE id = ?`).run(status, finishedAt, runId);
  }

  setRunJudge(runId: string, judge: JudgeMode): void {
    this.db.prepare(`UPDATE runs SET judge = ? WHERE id = ?`).run(judge, runId);
  }

  /** A run by id, or the newest with `latest`; a missing one is a user error. */
  getRun(idOrLatest: string): RunRow {
    const row = (
      idOrLatest === 'latest'
        ? this.db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1`).get()
        : this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(idOrLatest)
    ) as Record<string, unknown> | undefined;
    if (!row) {
      throw new UserError(
        idOrLatest === 'latest' ? `${this.path}: no runs yet` : `${this.path}: no run "${idOrLatest}"`,
        'list runs with `govbench runs`',
      );
    }
    return toRunRow(row);
  }

  listRuns(): RunRow[] {
    return (this.db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC`).all() as Record<string, unknown>[]).map(toRunRow);
  }

  runTargets(runId: string): RunTargetRow[] {
    return this.db
      .prepare(
        `SELECT target_id AS id, name, region, province, role, adapter_type AS adapterType, planned
         FROM run_targets WHERE run_id = ? ORDER BY rowid`,
      )
      .all(runId) as RunTargetRow[];
  }

  finishedCases(runId: string): CaseKey[] {
    return this.db
      .prepare(`SELECT target_id AS targetId, question_id AS questionId, variant, repeat FROM cases WHERE run_id = ?`)
      .all(runId) as CaseKey[];
  }

  reviewQueue(runId: string): ReviewItem[] {
    return reviewQueue(this, runId);
  }

  countCases(runId: string): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM cases WHERE run_id = ?`).get(runId) as { n: number }).n;
  }

  /** Commits one finished case, its turns and verdicts atomically. */
  saveCase(opts: SaveCaseOptions): number {
    return this.saveCaseTx(opts);
  }

  private writeCase(o: SaveCaseOptions): number {
    const available = o.turns.length > 0 && o.turns.every((t) => t.ok && t.reply.trim() !== '');
    const failed = o.turns.find((t) => !t.ok);
    const first = o.turns[0];
    const last = o.turns[o.turns.length - 1];
    const { lastInsertRowid } = this.insertCase.run({
      runId: o.runId,
      targetId: o.case.targetId,
      questionId: o.case.questionId,
      matterId: o.question.matterId,
      aspectId: o.question.aspectId,
      intent: o.question.intent,
      variant: o.case.variant,
      style: o.case.style,
      repeat: o.case.repeat,
      critical: o.question.critical ? 1 : 0,
      available: available ? 1 : 0,
      errorKind: failed?.errorKind ?? (available ? null : 'empty'),
      firstMs: first?.ok ? first.firstMs : null,
      totalMs: last?.ok ? last.totalMs : null,
      finishedAt: new Date().toISOString(),
    });
    const caseId = Number(lastInsertRowid);
    for (const t of o.turns) {
      this.insertTurn.run({
        caseId,
        index: t.index,
        user: t.user,
        reply: t.reply,
        raw: t.raw,
        ok: t.ok ? 1 : 0,
        errorKind: t.errorKind ?? null,
        error: t.error ?? null,
        httpStatus: t.httpStatus ?? null,
        firstMs: t.firstMs,
        totalMs: t.totalMs,
        attempts: t.attempts,
        promptTokens: t.usage?.promptTokens ?? null,
        completionTokens: t.usage?.completionTokens ?? null,
        screenshot: t.screenshot ?? null,
      });
    }
    for (const v of o.verdicts) this.writeVerdict(caseId, v.verdict, v.version);
    return caseId;
  }

  /** Replaces verdicts (one judge, one turn of a case each) in one transaction: rejudge, review. */
  saveVerdicts(items: { caseId: number; verdict: Verdict; version: string }[]): void {
    this.db.transaction(() => {
      for (const i of items) this.writeVerdict(i.caseId, i.verdict, i.version);
    })();
  }

  private writeVerdict(caseId: number, v: Verdict, version: string): void {
    const judged = v.status === 'judged' ? v : null;
    this.upsertVerdict.run({
      caseId,
      judge: v.judge,
      version,
      turn: v.turn,
      status: v.status,
      intentRecognized: judged ? (judged.intentRecognized ? 1 : 0) : null,
      predictedIntent: judged?.predictedIntent ?? null,
      verdict: judged?.verdict ?? null,
      accuracy: judged?.accuracy ?? null,
      keyPointsHit: judged ? JSON.stringify(judged.keyPointsHit) : null,
      factErrors: judged ? JSON.stringify(judged.factErrors) : null,
      contradictions: judged ? JSON.stringify(judged.contradictions) : null,
      rationale: judged?.rationale ?? null,
      reason: v.status === 'unjudged' ? v.reason : null,
      createdAt: new Date().toISOString(),
      confidence: judged?.confidence ?? null,
      uncertain: judged?.uncertain ?? null,
      outdated: judged?.outdated ? JSON.stringify(judged.outdated) : null,
    });
  }

  /**
   * Streams one record per finished case with its effective verdict: a reviewer's decision on the last
   * judged turn, else the given judge's. Memory stays flat however large the run.
   */
  *caseRecords(runId: string, judge: string, filter: { targetId?: string } = {}): IterableIterator<CaseRecord> {
    // One pass over cases joined with the candidate verdicts, best first per case, read as arrays: a
    // correlated subquery per case, or an object per row, cost several times more on large runs.
    const stmt = this.db
      .prepare(
        `SELECT c.id, c.target_id, c.question_id, c.matter_id, c.aspect_id, c.intent, c.variant, c.style, c.repeat, c.critical,
                c.available, c.error_kind, c.first_ms, c.total_ms,
                v.judge, v.turn, v.status, v.intent_recognized, v.predicted_intent,
                v.verdict, v.accuracy, v.key_points_hit, v.fact_errors, v.contradictions, v.rationale, v.reason,
                v.confidence, v.uncertain, v.outdated
         FROM cases c
         LEFT JOIN verdicts v ON v.case_id = c.id AND v.judge IN ('${REVIEW_JUDGE}', @judge)
         WHERE c.run_id = @runId ${filter.targetId !== undefined ? 'AND c.target_id = @targetId' : ''}
         ORDER BY c.id, v.turn DESC, v.judge = '${REVIEW_JUDGE}' DESC`,
      )
      .raw(true);
    let last = -1;
    const params = { runId, judge, ...(filter.targetId !== undefined && { targetId: filter.targetId }) };
    for (const r of stmt.iterate(params) as IterableIterator<unknown[]>) {
      if (r[0] === last) continue;
      last = r[0] as number;
      yield {
        targetId: r[1] as string,
        questionId: r[2] as string,
        matterId: r[3] as string,
        aspectId: r[4] as string,
        intent: r[5] as string,
        variant: r[6] as number,
        style: r[7] as string,
        repeat: r[8] as number,
        critical: r[9] === 1,
        available: r[10] === 1,
        errorKind: (r[11] as ErrorKind | null) ?? null,
        firstMs: (r[12] as number | null) ?? null,
        totalMs: (r[13] as number | null) ?? null,
        verdict: r[16] == null ? null : verdictFromRow(r, 14),
      };
    }
  }

  /** Cases with their transcripts, in the order they finished. */
  *storedCases(runId: string): IterableIterator<StoredCase> {
    const stmt = this.db.prepare(
      `SELECT c.id, c.target_id, c.question_id, c.variant, c.style, c.repeat, t.*
       FROM cases c JOIN turns t ON t.case_id = c.id WHERE c.run_id = ? ORDER BY c.id, t.idx`,
    );
    let current: StoredCase | undefined;
    for (const r of stmt.iterate(runId) as IterableIterator<Record<string, unknown>>) {
      if (current && current.id !== r.id) {
        yield current;
        current = undefined;
      }
      current ??= toStoredCase(r, []);
      current.turns.push(toTurn(r));
    }
    if (current) yield current;
  }

  /** Every verdict stored for a case — each judge's and a reviewer's, each turn's — by turn, then judge. */
  verdictsOf(caseId: number): Verdict[] {
    const rows = this.db
      .prepare(
        `SELECT judge, turn, status, intent_recognized, predicted_intent, verdict, accuracy, key_points_hit, fact_errors,
                contradictions, rationale, reason, confidence, uncertain, outdated
         FROM verdicts WHERE case_id = ? ORDER BY turn, judge`,
      )
      .raw(true)
      .all(caseId) as unknown[][];
    return rows.map((r) => verdictFromRow(r, 0));
  }

  /** The transcript of one case, found by its unique key (a few lookups need not read every case). */
  turnsOf(runId: string, key: CaseKey): Turn[] {
    const rows = this.db
      .prepare(
        `SELECT t.* FROM cases c JOIN turns t ON t.case_id = c.id
         WHERE c.run_id = ? AND c.target_id = ? AND c.question_id = ? AND c.variant = ? AND c.repeat = ?
         ORDER BY t.idx`,
      )
      .all(runId, key.targetId, key.questionId, key.variant, key.repeat) as Record<string, unknown>[];
    return rows.map(toTurn);
  }

  /**
   * A page of cases after a case id. Unlike `storedCases`, no statement stays open between pages, so the
   * caller may write (rejudge) while paging through a run.
   */
  storedCasesAfter(runId: string, afterId: number, limit: number): StoredCase[] {
    const turnsOf = this.db.prepare(`SELECT * FROM turns WHERE case_id = ? ORDER BY idx`);
    const rows = this.db
      .prepare(
        `SELECT id, target_id, question_id, variant, style, repeat FROM cases WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`,
      )
      .all(runId, afterId, limit) as Record<string, unknown>[];
    return rows.map((r) => toStoredCase(r, (turnsOf.all(r.id) as Record<string, unknown>[]).map(toTurn)));
  }

  /** A cached LLM verdict (JudgeCache). */
  get(key: string): JudgedVerdict | undefined {
    const row = this.db.prepare(`SELECT verdict FROM judge_cache WHERE key = ?`).get(key) as { verdict: string } | undefined;
    return row ? (JSON.parse(row.verdict) as JudgedVerdict) : undefined;
  }

  set(entry: { key: string; judge: string; model: string; rubricHash: string; verdict: JudgedVerdict; usage?: TokenUsage }): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO judge_cache (key, judge, model, rubric_hash, verdict, prompt_tokens, completion_tokens, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.key,
        entry.judge,
        entry.model,
        entry.rubricHash,
        JSON.stringify(entry.verdict),
        entry.usage?.promptTokens ?? 0,
        entry.usage?.completionTokens ?? 0,
        new Date().toISOString(),
      );
  }

  /** Adds to a run's judge call counts and token usage. */
  addJudgeUsage(runId: string, delta: JudgeUsageRow): void {
    this.db
      .prepare(
        `INSERT INTO judge_usage (run_id, judge, calls, cached, failures, prompt_tokens, completion_tokens)
         VALUES (@runId, @judge, @calls, @cached, @failures, @promptTokens, @completionTokens)
         ON CONFLICT (run_id, judge) DO UPDATE SET
           calls = calls + excluded.calls, cached = cached + excluded.cached, failures = failures + excluded.failures,
           prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens`,
      )
      .run({ runId, ...delta });
  }

  judgeUsage(runId: string): JudgeUsageRow[] {
    return this.db
      .prepare(
        `SELECT judge, calls, cached, failures, prompt_tokens AS promptTokens, completion_tokens AS completionTokens
         FROM judge_usage WHERE run_id = ? ORDER BY judge`,
      )
      .all(runId) as JudgeUsageRow[];
  }
}

/** How long a write waits for another process holding the database (two runs on one file). */
const BUSY_TIMEOUT_MS = 10_000;

function isBusy(err: unknown): boolean {
  return String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
}

/**
 * Switches a new file to WAL. Two processes creating the same database race for it, and the loser gets
 * SQLITE_BUSY at once, without the busy timeout (SQLite does not wait on a lock upgrade that could
 * deadlock), so it tries again until the timeout.
 */
function enableWal(db: Database.Database): void {
  const until = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
